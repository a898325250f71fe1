import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { mutableKind } from "../analysis/support/built-kind";
import { identifierNames, unparenthesize } from "../analysis/support/syntax";

/** Literals that create nothing mutable, and names a fresh item may use freely. */
const PURE_LEAVES = new Set(["integer", "float", "string", "concatenated_string", "true", "false", "none", "ellipsis"]);

export const sharedReferenceRepetitionRule: Rule = {
  code: "PYM010",
  name: "shared-reference-repetition",
  knowledge: "shared-reference-repetition",
  severity: "warning",
  nodeTypes: ["binary_operator"],
  messages: {
    message: {
      en: "Every slot of this list is the same `{item}` object: `*` repeats references, it does not copy the object, so a change made through one slot shows up in all of them. Build one object per slot with `[{item} for _ in range(...)]`.",
      ko: "이 리스트의 모든 칸은 같은 `{item}` 객체 하나를 가리킵니다. `*`는 객체를 복사하지 않고 참조만 반복하므로, 한 칸을 통해 바꾼 내용이 모든 칸에 보입니다. `[{item} for _ in range(...)]`로 칸마다 새 객체를 만드세요.",
      "zh-cn": "这个列表的每个位置都是同一个 `{item}` 对象：`*` 只重复引用，不会复制对象，所以通过一个位置做的修改会出现在所有位置。请用 `[{item} for _ in range(...)]` 为每个位置创建新对象。",
    },
    fix: {
      en: "Build a new {kind} for each slot with a comprehension",
      ko: "컴프리헨션으로 칸마다 새 {kind} 만들기",
      "zh-cn": "用推导式为每个位置创建新的 {kind}",
    },
  },
  check(ctx) {
    const findings = [];
    for (const product of ctx.nodes("binary_operator")) {
      if (product.childForFieldName("operator")?.type !== "*") continue;
      const left = product.childForFieldName("left");
      const right = product.childForFieldName("right");
      if (!left || !right) continue;
      const [display, count] = unparenthesize(left).type === "list" ? [unparenthesize(left), right] : [unparenthesize(right), left];
      if (display.type !== "list") continue;
      const items = display.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
      if (items.length !== 1) continue;
      const item = items[0];
      const kind = repeatedKind(ctx, item);
      if (!kind) continue;
      // `* 0` and `* 1` leave nothing to share.
      const literal = unparenthesize(count);
      if (literal.type === "integer" && /^(0+|1)$/.test(literal.text.replace(/_/g, ""))) continue;
      if (!slotsMayBeMutated(ctx, product)) continue;
      const label = item.startPosition.row === item.endPosition.row && item.text.length <= 30 ? item.text : kind;
      findings.push(
        ctx.finding(product, ctx.t("message", { item: label }), comprehensionFix(ctx, product, display, item, count, ctx.t("fix", { kind }))),
      );
    }
    return findings;
  },
};

/** Methods that change a list, dict, set, deque or bytearray in place. */
const MUTATING_METHODS = new Set([
  "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "add", "discard", "update",
  "setdefault", "popitem", "appendleft", "extendleft", "popleft", "rotate", "intersection_update",
  "difference_update", "symmetric_difference_update",
]);

/**
 * Sharing only bites when one slot is changed in place. The repetition is reported when its
 * list is returned, alone or as an item of a returned tuple (every caller gets the trap), or
 * stored in a name or `self` attribute that the same scope (the class, for an attribute) then
 * mutates through a slot: `grid[i][j] = v`, `rows[i].append(v)`, `rows[i] += v`, or
 * `for row in rows: row.append(v)`. A repetition passed straight to a call
 * (`numpy.array([[0] * n] * m)`), compared, or only read stays quiet.
 */
function slotsMayBeMutated(ctx: RuleContext, product: Node): boolean {
  let value = product;
  let parent = product.parent;
  while (parent && (parent.type === "parenthesized_expression" || parent.type === "conditional_expression")) {
    value = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if (parent.type === "return_statement" || returnedInTuple(parent)) return true;
  if (parent.type !== "assignment" || !parent.childForFieldName("right")?.equals(value)) return false;
  const target = parent.childForFieldName("left");
  if (target?.type === "identifier") {
    const name = target.text;
    // A class attribute is also reached as `self.name`, `cls.name` or `ClassName.name` in its methods.
    // Directly in a class body: the attribute is reached as `self.name` etc. all over the class.
    const scope = ctx.model.scopeOf(parent);
    const owner = scope.kind === "class" ? scope.node : undefined;
    const owners = new Set(["self", "cls", owner?.childForFieldName("name")?.text ?? "self"]);
    const isHolder = (node: Node) =>
      (node.type === "identifier" && node.text === name) ||
      (owner !== undefined &&
        node.type === "attribute" &&
        owners.has(node.childForFieldName("object")?.text ?? "") &&
        node.childForFieldName("attribute")?.text === name);
    return mutatedThroughSlots(owner ? ctx.model.wholeClass(owner) : searchedScope(ctx, parent), isHolder);
  }
  if (target?.type === "attribute" && target.childForFieldName("object")?.text === "self") {
    const name = target.childForFieldName("attribute")?.text;
    const owner = ctx.model.owner(parent).class;
    const isSelfAttribute = (node: Node) =>
      node.type === "attribute" && node.childForFieldName("object")?.text === "self" && node.childForFieldName("attribute")?.text === name;
    return owner !== undefined && mutatedThroughSlots(ctx.model.wholeClass(owner), isSelfAttribute);
  }
  return false;
}

/** `return [[]] * n, 0` and `return ([[]] * n, other)`: the list is one item of a returned tuple. */
function returnedInTuple(node: Node): boolean {
  let current: Node | null = node;
  if (current.type !== "tuple" && current.type !== "expression_list") return false;
  while (current && ["tuple", "expression_list", "parenthesized_expression"].includes(current.type)) current = current.parent;
  return current?.type === "return_statement";
}

/** The function around a node; at module level, the module (all of it: made afresh every time). */
function searchedScope(ctx: RuleContext, node: Node): Node {
  for (let scope: ReturnType<typeof ctx.model.scopeOf> | undefined = ctx.model.scopeOf(node); scope; scope = scope.parent) {
    if (scope.kind === "function" || scope.kind === "lambda") return scope.node;
  }
  ctx.model.moduleStatements();
  return ctx.model.module.node;
}

/** Whether, inside `scope`, an expression matching `isHolder` is changed through a slot or returned. */
function mutatedThroughSlots(scope: Node, isHolder: (node: Node) => boolean): boolean {
  const loopVariables = new Set<string>();
  const slotMutated = (slot: Node): boolean => {
    const parent = slot.parent;
    if (!parent) return false;
    if (parent.type === "attribute" && parent.childForFieldName("object")?.equals(slot)) {
      const call = parent.parent;
      return call?.type === "call" && MUTATING_METHODS.has(parent.childForFieldName("attribute")?.text ?? "");
    }
    if (parent.type === "subscript" && parent.childForFieldName("value")?.equals(slot)) return isTarget(parent);
    return parent.type === "augmented_assignment" && parent.childForFieldName("left")?.equals(slot) === true;
  };
  const stack: Node[] = [scope];
  const holders: Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    if (isHolder(node)) holders.push(node);
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  for (const holder of holders) {
    const parent = holder.parent;
    if (!parent) continue;
    if (parent.type === "return_statement") return true;
    if (parent.type === "subscript" && parent.childForFieldName("value")?.equals(holder) && slotMutated(parent)) return true;
    if (parent.type === "for_statement" && parent.childForFieldName("right")?.equals(holder)) {
      const variable = parent.childForFieldName("left");
      if (variable?.type === "identifier") loopVariables.add(variable.text);
    }
  }
  if (loopVariables.size === 0) return false;
  const visit = (node: Node): boolean => {
    if (node.type === "identifier" && loopVariables.has(node.text) && slotMutated(node)) return true;
    return node.namedChildren.some((child) => child !== null && visit(child));
  };
  return visit(scope);
}

/** `x[i] = v`, `x[i] += v`, `del x[i]`: the subscript is written to. */
function isTarget(subscript: Node): boolean {
  let node = subscript;
  let parent = subscript.parent;
  while (parent && ["pattern_list", "tuple_pattern", "expression_list", "tuple", "list_pattern"].includes(parent.type)) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if (parent.type === "assignment" || parent.type === "augmented_assignment") return parent.childForFieldName("left")?.equals(node) === true;
  return parent.type === "delete_statement";
}

/**
 * What the single item builds: a mutable display or constructor call (`[]`, `{}`, `set()`,
 * `collections.deque()`), or a list built by repetition itself (`[0] * n` in `[[0] * n] * m`).
 */
function repeatedKind(ctx: RuleContext, item: Node): string | undefined {
  const kind = mutableKind(ctx.model, item);
  if (kind) return kind;
  const node = unparenthesize(item);
  if (node.type === "binary_operator" && node.childForFieldName("operator")?.type === "*") {
    const sides = [node.childForFieldName("left"), node.childForFieldName("right")];
    if (sides.some((side) => side && unparenthesize(side).type === "list")) return "list";
  }
  return undefined;
}

/**
 * `[<item>] * n` becomes `[<item> for _ in range(n)]`. Safe when the item is built from literals,
 * names and known constructors only; when it calls anything else (or reads an iterator through
 * `list(it)`), evaluating it n times instead of once can differ, so the fix is offered as unsafe.
 */
function comprehensionFix(ctx: RuleContext, product: Node, display: Node, item: Node, count: Node, title: string): Fix | undefined {
  // Comments inside the list display, outside the item, would be lost.
  if (display.namedChildren.some((child) => child?.type === "comment")) return undefined;
  if (ctx.model.resolveName("range", product)) return undefined;
  const used = identifierNames(item);
  if (containsAny(item, ["yield", "await", "named_expression"])) return undefined;
  // A comprehension in a class body cannot see the class's names.
  const classScope = ctx.model.scopeOf(product);
  if (classScope.kind === "class" && [...used, "range"].some((name) => classScope.binds(name))) return undefined;
  const variable = ["_", "_i", "_j", "_k", "_slot", "_index"].find((candidate) => !used.has(candidate));
  if (!variable) return undefined;
  const newText = `[${item.text} for ${variable} in range(${unparenthesize(count).text})]`;
  return {
    title,
    edits: [{ range: { start: product.startPosition, end: product.endPosition }, newText }],
    safe: isPure(ctx, item),
  };
}

function containsAny(node: Node, types: readonly string[]): boolean {
  if (types.includes(node.type)) return true;
  return node.namedChildren.some((child) => child !== null && containsAny(child, types));
}

/** Built only from literals, plain names, displays, and known constructors with such arguments. */
function isPure(ctx: RuleContext, node: Node): boolean {
  if (PURE_LEAVES.has(node.type) || node.type === "identifier" || node.type === "comment") {
    return node.type !== "string" || !node.namedChildren.some((child) => child?.type === "interpolation");
  }
  if (node.type === "call") {
    const callee = node.childForFieldName("function");
    if (!callee || !mutableKind(ctx.model, node)) return false;
    const args = node.childForFieldName("arguments");
    // `list(x)` copies x; if x were an iterator the second copy would be empty.
    const values = (args?.namedChildren ?? []).filter((child): child is Node => child !== null && child.type !== "comment");
    return values.every((value) => {
      const argument = value.type === "keyword_argument" ? value.childForFieldName("value") : value;
      if (!argument) return false;
      if (argument.type === "identifier") return ctx.model.qualifiedName(argument)?.startsWith("builtins.") === true;
      return PURE_LEAVES.has(argument.type);
    });
  }
  const composite = ["list", "dictionary", "set", "tuple", "pair", "parenthesized_expression", "binary_operator", "unary_operator"];
  if (!composite.includes(node.type)) return false;
  return node.namedChildren.every((child) => !child || isPure(ctx, child));
}
