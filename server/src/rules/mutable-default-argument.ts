import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { mutableKind } from "../analysis/support/built-kind";
import { isDocstring, referencedNames } from "../analysis/support/syntax";

export const mutableDefaultArgumentRule: Rule = {
  code: "PYM020",
  name: "mutable-default-argument",
  knowledge: "mutable-default-argument",
  severity: "warning",
  equivalents: ["B006"],
  nodeTypes: ["default_parameter", "typed_default_parameter"],
  messages: {
    message: {
      en: "The default `{kind}` of `{name}` is created once, when the `def` runs, and every call that omits `{name}` gets that same object, so changes made in one call show up in the next. Default to `None` and create the `{kind}` inside the function.",
      ko: "`{name}`의 기본값 `{kind}`는 `def`가 실행될 때 한 번만 만들어지고, `{name}`을 생략한 모든 호출이 그 객체 하나를 같이 씁니다. 그래서 한 호출에서 바꾼 내용이 다음 호출에 남습니다. 기본값은 `None`으로 두고 `{kind}`는 함수 안에서 만드세요.",
      "zh-cn": "`{name}` 的默认值 `{kind}` 只在执行 `def` 时创建一次，所有省略 `{name}` 的调用共用这同一个对象，因此一次调用中的修改会带到下一次调用。请把默认值设为 `None`，在函数内部再创建 `{kind}`。",
    },
    lambdaMessage: {
      en: "The default `{kind}` of `{name}` is created once, when the `lambda` expression is evaluated, and every call that omits `{name}` gets that same object. Use a `def` with a `None` default, or an immutable default.",
      ko: "`{name}`의 기본값 `{kind}`는 `lambda` 식이 평가될 때 한 번만 만들어지고, `{name}`을 생략한 모든 호출이 그 객체 하나를 같이 씁니다. 기본값이 `None`인 `def`를 쓰거나 변경할 수 없는 기본값을 쓰세요.",
      "zh-cn": "`{name}` 的默认值 `{kind}` 只在求值 `lambda` 表达式时创建一次，所有省略 `{name}` 的调用共用这同一个对象。请改用默认值为 `None` 的 `def`，或使用不可变的默认值。",
    },
    fix: {
      en: "Default `{name}` to None and create the {kind} in the body",
      ko: "`{name}`의 기본값을 None으로 바꾸고 본문에서 {kind} 생성",
      "zh-cn": "将 `{name}` 的默认值改为 None，并在函数体中创建 {kind}",
    },
  },
  check(ctx) {
    const findings = [];
    for (const type of ["default_parameter", "typed_default_parameter"]) {
      for (const parameter of ctx.nodes(type)) {
        const list = parameter.parent;
        if (list?.type !== "parameters" && list?.type !== "lambda_parameters") continue;
        const value = parameter.childForFieldName("value");
        const nameNode = parameter.childForFieldName("name");
        if (!value || nameNode?.type !== "identifier") continue;
        const kind = mutableKind(ctx.model, value);
        if (!kind) continue;
        if (list.parent?.type === "function_definition" && isStub(list.parent)) continue;
        // `_cache={}`: a private parameter no caller passes is the idiom for a deliberate shared default.
        if (nameNode.text.startsWith("_")) continue;
        // A default the function only reads (iterates, tests, copies, looks up) is never shared state.
        const fn = list.parent;
        if (fn && !defaultIsShared(ctx, fn, nameNode.text, isEmptyDefault(value))) continue;
        const args = { name: nameNode.text, kind };
        const isLambda = list.type === "lambda_parameters";
        const fix = isLambda ? undefined : noneDefaultFix(ctx, parameter, nameNode.text, value, ctx.t("fix", args));
        findings.push(ctx.finding(value, ctx.t(isLambda ? "lambdaMessage" : "message", args), fix));
      }
    }
    return findings.sort((a, b) => a.range.start.row - b.range.start.row || a.range.start.column - b.range.start.column);
  },
};

/**
 * `def f(x=[]):` becomes `def f(x=None):` with `if x is None:` / `x = []` as the body's first
 * statement (after the docstring). Offered only when that is a faithful move: the body starts on
 * its own line with plain indentation, the default fits on one line, and every name the default
 * reads still means the same thing inside the body.
 */
function noneDefaultFix(ctx: RuleContext, parameter: Node, name: string, value: Node, title: string): Fix | undefined {
  const fn = parameter.parent?.parent;
  if (fn?.type !== "function_definition") return undefined;
  const body = fn.childForFieldName("body");
  const colon = fn.children.find((child) => child?.type === ":");
  if (!body || !colon) return undefined;
  if (value.startPosition.row !== value.endPosition.row) return undefined;
  if (!defaultMeansTheSameInBody(ctx, fn, value)) return undefined;
  const statements = body.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
  if (statements.length === 0 || statements[0].startPosition.row <= colon.endPosition.row) return undefined;
  const indentOf = (node: Node): string | undefined => {
    const prefix = ctx.line(node.startPosition.row).slice(0, node.startPosition.column);
    return /^[ \t]*$/.test(prefix) ? prefix : undefined;
  };
  const bodyIndent = indentOf(statements[0]);
  const defIndent = indentOf(fn.parent?.type === "decorated_definition" ? fn.parent : fn);
  if (bodyIndent === undefined || defIndent === undefined) return undefined;
  if (!bodyIndent.startsWith(defIndent) || bodyIndent.length === defIndent.length) return undefined;
  const unit = bodyIndent.slice(defIndent.length);
  // Insert before the first statement that is not the docstring, on a line of its own.
  const first = isDocstring(statements[0]) ? statements[1] : statements[0];
  if (!first) return undefined;
  const previous = statements[statements.indexOf(first) - 1];
  if (previous && previous.endPosition.row >= first.startPosition.row) return undefined;
  if (indentOf(first) !== bodyIndent) return undefined;
  const insertion = `${bodyIndent}if ${name} is None:\n${bodyIndent}${unit}${name} = ${value.text}\n`;
  const edits: TextEdit[] = [
    { range: { start: value.startPosition, end: value.endPosition }, newText: "None" },
    ...optionalAnnotation(ctx, parameter),
    { range: { start: { row: first.startPosition.row, column: 0 }, end: { row: first.startPosition.row, column: 0 } }, newText: insertion },
  ];
  return { title, edits, safe: false };
}

/**
 * A body that does nothing (`...`, `pass`, a docstring, `raise NotImplementedError`), as in type
 * stubs, protocols, overloads and abstract methods, never touches its defaults: they only
 * document what the real implementation uses.
 */
function isStub(fn: Node): boolean {
  const body = fn.childForFieldName("body");
  if (!body) return false;
  return body.namedChildren.every((statement) => {
    if (!statement || statement.type === "comment" || statement.type === "pass_statement") return true;
    if (statement.type === "expression_statement") return statement.namedChild(0)?.type === "ellipsis" || isDocstring(statement);
    if (statement.type === "raise_statement") return /^raise\s+NotImplementedError\b/.test(statement.text);
    return false;
  });
}


/**
 * The default is evaluated where the `def` stands; the body runs in the function's own scope
 * (and a method's body cannot see its class's names). Moving the expression is only faithful when
 * none of the names it reads is bound by the function itself or, for a method, by the class body.
 */
function defaultMeansTheSameInBody(ctx: RuleContext, fn: Node, value: Node): boolean {
  const own = ctx.model.scopeFor(fn);
  const owningClass = ctx.model.owner(value).method?.class;
  const classScope = owningClass ? ctx.model.scopeFor(owningClass) : undefined;
  const comprehensionNames = new Set<string>();
  for (const clause of value.descendantsOfType("for_in_clause")) {
    const left = clause?.childForFieldName("left");
    if (!left) continue;
    if (left.type === "identifier") comprehensionNames.add(left.text);
    for (const name of left.descendantsOfType("identifier")) if (name) comprehensionNames.add(name.text);
  }
  return referencedNames(value).every((name) => comprehensionNames.has(name) || (!own?.binds(name) && !classScope?.binds(name)));
}

/**
 * A typed parameter keeps its annotation, widened to accept the new `None` default: `list[int]`
 * becomes `list[int] | None` (or `Optional[list[int]]` when the file imports `typing.Optional`),
 * a string annotation gets ` | None` inside the quotes. Annotations that already admit None stay.
 */
function optionalAnnotation(ctx: RuleContext, parameter: Node): TextEdit[] {
  if (parameter.type !== "typed_default_parameter") return [];
  const typeNode = parameter.childForFieldName("type");
  const annotation = typeNode?.namedChild(0);
  if (!typeNode || !annotation || admitsNone(ctx, annotation)) return [];
  const range = { start: annotation.startPosition, end: annotation.endPosition };
  if (annotation.type === "string") {
    const content = annotation.namedChildren.filter((child) => child?.type === "string_content");
    const end = annotation.lastChild;
    if (content.length !== 1 || end?.type !== "string_end" || annotation.namedChildCount !== 3) return [];
    return [{ range: { start: end.startPosition, end: end.startPosition }, newText: " | None" }];
  }
  const optional = [...ctx.model.moduleImports()].find(([, qualified]) => qualified === "typing.Optional")?.[0];
  if (optional) return [{ range, newText: `${optional}[${annotation.text}]` }];
  const simple = ["identifier", "attribute", "generic_type", "subscript", "binary_operator", "call", "none"];
  return [{ range, newText: simple.includes(annotation.type) ? `${annotation.text} | None` : `(${annotation.text}) | None` }];
}

function admitsNone(ctx: RuleContext, annotation: Node): boolean {
  const text = annotation.text;
  if (/\bNone\b|\bOptional\b|\bAny\b/.test(text)) return true;
  if (annotation.type === "identifier" && ctx.model.qualifiedName(annotation) === "builtins.object") return true;
  return false;
}

/*
 * Whether the default can carry state from one call to the next. It does when the function changes
 * it in place (`x.append(...)`, `x[k] = v`, `x += ...`) or lets it out (returns or yields it, stores
 * it on an object or in another container, hands it to a function of the same file that does). It
 * does not when every use only reads it: iterating, testing, comparing, looking up, copying
 * (`list(x)`, `x + [...]`, `**x`, `other.update(x)`). A use the rule cannot see through, such as
 * passing it to a function defined elsewhere, is not taken as sharing: the call most often reads.
 */

type Verdict = "shared" | "read" | "unknown";

/** Methods of list, dict, set, deque and Counter that change the object in place. */
const MUTATORS = new Set([
  "append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "popitem", "add", "discard",
  "sort", "reverse", "difference_update", "intersection_update", "symmetric_difference_update", "appendleft",
  "extendleft", "popleft", "rotate", "subtract", "__setitem__", "__delitem__", "__iadd__", "__ior__",
]);

/** Methods that keep their argument inside the receiver: the default would live on in another object. */
const KEEPERS = new Set(["append", "appendleft", "add", "insert", "setdefault", "put", "put_nowait", "__setitem__"]);

/** Methods that only read their argument, or copy its items into the receiver. */
const ARGUMENT_READERS = new Set([
  "extend", "extendleft", "update", "union", "intersection", "difference", "symmetric_difference", "issubset",
  "issuperset", "isdisjoint", "difference_update", "intersection_update", "symmetric_difference_update", "join",
  "index", "count", "startswith", "endswith", "__contains__",
]);

/** Functions that only look at an argument, or build a new object from its items. */
const READING_FUNCTIONS = new Set([
  "len", "bool", "str", "repr", "format", "print", "isinstance", "issubclass", "hash", "id", "any", "all", "sum",
  "min", "max", "sorted", "list", "tuple", "set", "frozenset", "dict", "enumerate", "zip", "iter", "reversed",
  "map", "filter", "callable", "type",
].map((name) => `builtins.${name}`).concat(["copy.copy", "copy.deepcopy", "json.dumps"]));

/** Calls whose result is a new object built from the argument's items (a copy). */
const COPYING_FUNCTIONS = new Set(
  ["list", "tuple", "set", "frozenset", "dict", "sorted"].map((name) => `builtins.${name}`).concat(["copy.copy", "copy.deepcopy"]),
);

/** How many aliases and same-file calls the rule follows from one default. */
const FOLLOW_BUDGET = 12;

interface Flow {
  ctx: RuleContext;
  /** The default is empty (`[]`, `{}`, `set()`): `x or fresh` never gives the default back. */
  empty: boolean;
  budget: number;
  seen: Set<string>;
}

function isEmptyDefault(value: Node): boolean {
  const node = value.type === "parenthesized_expression" ? (value.namedChild(0) ?? value) : value;
  if (node.type === "list" || node.type === "dictionary" || node.type === "set") return node.namedChildren.every((child) => child?.type === "comment");
  if (node.type === "call") return (node.childForFieldName("arguments")?.namedChildren ?? []).every((child) => child?.type === "comment");
  return false;
}

function defaultIsShared(ctx: RuleContext, fn: Node, name: string, empty: boolean): boolean {
  const flow: Flow = { ctx, empty, budget: FOLLOW_BUDGET, seen: new Set() };
  return usesOf(flow, fn, name, false) === "shared";
}

function worst(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = "read";
  for (const verdict of verdicts) {
    if (verdict === "shared") return "shared";
    if (verdict === "unknown") result = "unknown";
  }
  return result;
}

/**
 * How a function (or lambda) uses the value its local `name` holds on entry: every reference to
 * that binding in its body, nested functions included, except those after a statement that rebinds
 * the name to a new object. `held` says the name holds a container with the default inside.
 */
function usesOf(flow: Flow, fn: Node, name: string, held: boolean): Verdict {
  const key = `${fn.id}:${name}:${String(held)}`;
  if (flow.seen.has(key)) return "read";
  flow.seen.add(key);
  const scope = flow.ctx.model.scopeFor(fn);
  const body = fn.childForFieldName("body");
  if (!scope || !body) return "unknown";
  const candidates = body.type === "identifier" ? [body] : body.descendantsOfType("identifier");
  const verdicts: Verdict[] = [];
  for (const identifier of candidates) {
    if (!identifier || identifier.text !== name || !isNameReference(identifier)) continue;
    if (flow.ctx.model.resolve(identifier)?.scope !== scope) continue;
    if (reboundBefore(flow, identifier, name, body)) continue;
    const verdict = useOf(flow, identifier, name, held);
    if (verdict === "shared") return "shared";
    verdicts.push(verdict);
  }
  return worst(verdicts);
}

/** A read or write of a variable, not an attribute name (`o.x`) or a keyword (`f(x=1)`). */
function isNameReference(identifier: Node): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (parent.type === "attribute" && parent.childForFieldName("attribute")?.equals(identifier)) return false;
  if (parent.type === "keyword_argument" && parent.childForFieldName("name")?.equals(identifier)) return false;
  return true;
}

/** True when `node` is bound by the target of an assignment, a `for`, a `with`, or an `except`. */
function isStoreTarget(node: Node): boolean {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === "pattern_list" || parent.type === "tuple_pattern" || parent.type === "list_pattern") continue;
    if (parent.type === "assignment" || parent.type === "for_statement" || parent.type === "for_in_clause") {
      return parent.childForFieldName("left")?.equals(child) ?? false;
    }
    if (parent.type === "named_expression") return parent.childForFieldName("name")?.equals(child) ?? false;
    if (parent.type === "as_pattern_target" || parent.type === "as_pattern") return true;
    return false;
  }
  return false;
}

/**
 * A reference that comes after an earlier statement of the same block (or an enclosing one, within
 * the function) rebinding the name to a new object, `x = set(x)`, `x = x or {}`: it no longer
 * sees the default.
 */
function reboundBefore(flow: Flow, reference: Node, name: string, body: Node): boolean {
  for (let node: Node = reference; node.parent && !node.equals(body); node = node.parent) {
    const block = node.parent;
    if (block.type === "function_definition" || block.type === "lambda" || block.type === "class_definition") return false;
    if (block.type !== "block") continue;
    for (const statement of block.namedChildren) {
      if (!statement || statement.startIndex >= node.startIndex) break;
      if (statement.type !== "expression_statement") continue;
      const assignment = statement.namedChild(0);
      if (assignment?.type !== "assignment") continue;
      const left = assignment.childForFieldName("left");
      const right = assignment.childForFieldName("right");
      if (left?.type === "identifier" && left.text === name && right && isFresh(flow, right, name)) return true;
    }
  }
  return false;
}

/** An expression that certainly gives a new object, never the default itself. */
function isFresh(flow: Flow, expression: Node, name: string): boolean {
  const node = expression.type === "parenthesized_expression" ? (expression.namedChild(0) ?? expression) : expression;
  switch (node.type) {
    case "list":
    case "dictionary":
    case "set":
    case "tuple":
    case "list_comprehension":
    case "dictionary_comprehension":
    case "set_comprehension":
    case "generator_expression":
    case "binary_operator":
    case "none":
    case "string":
    case "integer":
    case "float":
    case "true":
    case "false":
      return true;
    case "boolean_operator": {
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      const operator = node.childForFieldName("operator")?.type;
      return operator === "or" && flow.empty && left?.type === "identifier" && left.text === name && !!right && isFresh(flow, right, name);
    }
    case "call": {
      const callee = node.childForFieldName("function");
      if (!callee) return false;
      const qualified = flow.ctx.model.qualifiedName(callee);
      if (qualified && COPYING_FUNCTIONS.has(qualified)) return true;
      return callee.type === "attribute" && callee.childForFieldName("attribute")?.text === "copy" && (node.childForFieldName("arguments")?.namedChildCount ?? 0) === 0;
    }
    default:
      return false;
  }
}

/** What happens to the value at `node` (the default itself, or with `held`, a container holding it). */
function useOf(flow: Flow, node: Node, name: string, held: boolean): Verdict {
  const parent = node.parent;
  if (!parent) return "unknown";
  if (isStoreTarget(node)) return "read";
  switch (parent.type) {
    case "parenthesized_expression":
      return useOf(flow, parent, name, held);
    case "attribute": {
      const method = parent.childForFieldName("attribute")?.text ?? "";
      if (held) return MUTATORS.has(method) ? "unknown" : "read";
      return MUTATORS.has(method) ? "shared" : "read";
    }
    case "subscript":
      if (!parent.childForFieldName("value")?.equals(node)) return "read";
      if (held) return "unknown";
      return isChangedInPlace(parent) ? "shared" : "read";
    case "augmented_assignment":
      if (parent.childForFieldName("left")?.equals(node)) return "shared";
      return held ? "unknown" : "read";
    case "assignment": {
      if (!parent.childForFieldName("right")?.equals(node)) return "read";
      return assignedTo(flow, parent.childForFieldName("left"), name, held);
    }
    case "named_expression":
      return assignedTo(flow, parent.childForFieldName("name"), name, held);
    case "return_statement":
    case "yield":
    case "lambda":
      return "shared";
    case "for_statement":
    case "for_in_clause":
      return parent.childForFieldName("right")?.equals(node) && !held ? "read" : "unknown";
    case "comparison_operator":
    case "not_operator":
    case "unary_operator":
    case "interpolation":
    case "expression_statement":
    case "delete_statement":
    case "assert_statement":
    case "if_statement":
    case "elif_clause":
    case "while_statement":
      return "read";
    case "binary_operator":
      return held ? useOf(flow, parent, name, true) : "read";
    case "boolean_operator": {
      const isLeft = parent.childForFieldName("left")?.equals(node) ?? false;
      if (isLeft && parent.childForFieldName("operator")?.type === "or" && flow.empty && !held) return "read";
      return useOf(flow, parent, name, held);
    }
    case "conditional_expression":
      return parent.namedChild(1)?.equals(node) ? "read" : useOf(flow, parent, name, held);
    case "list_splat":
    case "dictionary_splat":
      return held ? "unknown" : "read";
    case "pair":
      if (!parent.childForFieldName("value")?.equals(node)) return "read";
      return parent.parent ? useOf(flow, parent.parent, name, true) : "unknown";
    case "list":
    case "tuple":
    case "set":
    case "expression_list":
      return inContainer(flow, parent, node, name);
    case "keyword_argument": {
      const call = parent.parent?.parent;
      const keyword = parent.childForFieldName("name")?.text;
      return call?.type === "call" && keyword ? passedTo(flow, call, { keyword }, name, held) : "unknown";
    }
    case "argument_list": {
      const call = parent.parent;
      if (call?.type !== "call") return "unknown";
      const positional = parent.namedChildren.filter((child) => child && child.type !== "comment" && child.type !== "keyword_argument" && child.type !== "dictionary_splat");
      const index = positional.findIndex((child) => child?.equals(node));
      if (positional.slice(0, index).some((child) => child?.type === "list_splat")) return passedTo(flow, call, {}, name, held);
      return passedTo(flow, call, { index }, name, held);
    }
    case "call":
      return "read";
    default:
      return "unknown";
  }
}

/** `x[k] = v`, `x[k] += v`, `del x[k]`: the subscript is written, not read. */
function isChangedInPlace(subscript: Node): boolean {
  let child = subscript;
  for (let parent = subscript.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === "pattern_list" || parent.type === "tuple_pattern" || parent.type === "list_pattern" || parent.type === "expression_list") continue;
    if (parent.type === "assignment" || parent.type === "augmented_assignment" || parent.type === "for_statement") {
      return parent.childForFieldName("left")?.equals(child) ?? false;
    }
    return parent.type === "delete_statement";
  }
  return false;
}

/** `y = x`: a local alias is followed; storing it on an object or in a container keeps it. */
function assignedTo(flow: Flow, target: Node | null, name: string, held: boolean): Verdict {
  if (!target) return "unknown";
  if (target.type === "attribute" || target.type === "subscript") return "shared";
  if (target.type !== "identifier") return "unknown";
  if (target.text === name && !held) return "read";
  return followAlias(flow, target, held);
}

function followAlias(flow: Flow, target: Node, held: boolean): Verdict {
  const resolved = flow.ctx.model.resolve(target);
  const fnNode = resolved?.scope.node;
  if (!resolved || (resolved.scope.kind !== "function" && resolved.scope.kind !== "lambda") || !fnNode) return "unknown";
  if (resolved.scope.globals.has(target.text) || resolved.scope.nonlocals.has(target.text)) return "shared";
  if (flow.budget-- <= 0) return "unknown";
  return usesOf(flow, fnNode, target.text, held);
}

/**
 * The default inside a list, tuple or set display. Iterated by a `for` whose target unpacks it,
 * the element it lands in is followed (`for a, b in [(x, y)]` binds b to y); otherwise the
 * container is followed as a value that holds the default.
 */
function inContainer(flow: Flow, container: Node, element: Node, name: string): Verdict {
  const path: number[] = [];
  let node = element;
  let outer = container;
  for (;;) {
    const items = outer.namedChildren.filter((child) => child && child.type !== "comment");
    path.unshift(items.findIndex((child) => child?.equals(node)));
    const next = outer.parent;
    if (next && (next.type === "list" || next.type === "tuple" || next.type === "expression_list") && (outer.type === "tuple" || outer.type === "list")) {
      node = outer;
      outer = next;
      continue;
    }
    break;
  }
  const loop = outer.parent;
  if (loop && (loop.type === "for_statement" || loop.type === "for_in_clause") && loop.childForFieldName("right")?.equals(outer)) {
    let target = loop.childForFieldName("left");
    for (const index of path.slice(1)) {
      if (!target || (target.type !== "pattern_list" && target.type !== "tuple_pattern" && target.type !== "list_pattern")) return "unknown";
      const parts = target.namedChildren.filter((child) => child && child.type !== "comment");
      if (parts.some((part) => part?.type === "list_splat_pattern")) return "unknown";
      target = parts[index] ?? null;
    }
    if (target?.type !== "identifier") return "unknown";
    return followAlias(flow, target, false);
  }
  return useOf(flow, outer, name, true);
}

interface Argument {
  index?: number;
  keyword?: string;
}

/** The default handed to a call: what the callee does with it, as far as the file shows. */
function passedTo(flow: Flow, call: Node, argument: Argument, name: string, held: boolean): Verdict {
  const callee = call.childForFieldName("function");
  if (!callee) return "unknown";
  if (callee.type === "attribute") {
    const method = callee.childForFieldName("attribute")?.text ?? "";
    if (KEEPERS.has(method)) return "shared";
    if (ARGUMENT_READERS.has(method)) return held ? (MUTATORS.has(method) ? "shared" : "unknown") : "read";
  }
  const qualified = flow.ctx.model.qualifiedName(callee);
  if (qualified === "builtins.setattr") return "shared";
  if (qualified && READING_FUNCTIONS.has(qualified)) {
    if (!held) return "read";
    return COPYING_FUNCTIONS.has(qualified) ? useOf(flow, call, name, true) : "read";
  }
  if (held) return "unknown";
  const target = sameFileCallee(flow, callee);
  if (!target) return "unknown";
  if (target.kind === "fields") return "shared";
  if (flow.budget-- <= 0) return "unknown";
  const parameter = parameterFor(target.definition, argument, target.bound);
  if (!parameter) return "unknown";
  if (isStub(target.definition)) return "unknown";
  return usesOf(flow, target.definition, parameter, false);
}

type Callee = { kind: "function"; definition: Node; bound: boolean } | { kind: "fields" };

/**
 * The `def` a call runs when the file shows it: a function of the file, a method of the enclosing
 * class called through `self` or `cls`, `Class.method(...)`, or a class of the file (its
 * `__init__`; a class without one that declares annotated fields, as dataclasses and attrs classes
 * do, keeps its arguments as fields).
 */
function sameFileCallee(flow: Flow, callee: Node): Callee | undefined {
  const model = flow.ctx.model;
  if (callee.type === "identifier") {
    const binding = model.binding(callee);
    const definition = binding?.definition;
    if (binding?.kind === "function" && definition?.type === "function_definition") return { kind: "function", definition, bound: false };
    if (binding?.kind === "class" && definition?.type === "class_definition") return constructorOf(flow, definition);
    return undefined;
  }
  if (callee.type !== "attribute") return undefined;
  const object = callee.childForFieldName("object");
  const method = callee.childForFieldName("attribute")?.text;
  if (object?.type !== "identifier" || !method) return undefined;
  const owner = model.owner(callee);
  const enclosing = owner.method;
  if (enclosing && enclosing.kind !== "static" && owner.function && object.text === firstParameterName(owner.function)) {
    // Reading a sibling method's body is a read of the class's whole text.
    const member = model.classMembers(model.wholeClass(enclosing.class)).get(method);
    if (member?.kind === "method" && member.node.type === "function_definition") {
      return { kind: "function", definition: member.node, bound: member.methodKind !== "static" };
    }
    return undefined;
  }
  const classNode = model.localClass(object);
  if (!classNode) return undefined;
  const member = model.classMembers(classNode).get(method);
  if (member?.kind !== "method" || member.node.type !== "function_definition") return undefined;
  return { kind: "function", definition: member.node, bound: member.methodKind === "class" };
}

function constructorOf(flow: Flow, classNode: Node): Callee | undefined {
  const members = flow.ctx.model.classMembers(classNode);
  const init = members.get("__init__");
  if (init?.kind === "method" && init.node.type === "function_definition") return { kind: "function", definition: init.node, bound: true };
  if (init || members.has("__new__") || classNode.childForFieldName("superclasses")) return undefined;
  const declaresFields = [...members.values()].some((member) => member.kind === "attribute" && member.node.type === "assignment" && member.node.childForFieldName("type"));
  return declaresFields ? { kind: "fields" } : undefined;
}

function firstParameterName(fn: Node): string | undefined {
  const first = fn.childForFieldName("parameters")?.namedChildren.find((child) => child && child.type !== "comment");
  if (first?.type === "identifier") return first.text;
  const name = first?.childForFieldName("name") ?? first?.namedChild(0);
  return name?.type === "identifier" ? name.text : undefined;
}

/**
 * The parameter an argument lands in: by keyword, or by position (after `self`/`cls` when the
 * call is bound). Undefined when it lands in `*args` or `**kwargs`, or the signature does not say.
 */
function parameterFor(fn: Node, argument: Argument, bound: boolean): string | undefined {
  const parameters = fn.childForFieldName("parameters");
  if (!parameters) return undefined;
  const positional: string[] = [];
  const keywords = new Set<string>();
  let keywordOnly = false;
  for (const parameter of parameters.namedChildren) {
    if (!parameter || parameter.type === "comment" || parameter.type === "positional_separator") continue;
    if (parameter.type === "keyword_separator" || parameter.type === "list_splat_pattern") {
      keywordOnly = true;
      continue;
    }
    if (parameter.type === "dictionary_splat_pattern") continue;
    const nameNode = parameter.type === "identifier" ? parameter : (parameter.childForFieldName("name") ?? parameter.namedChild(0));
    if (nameNode?.type !== "identifier") {
      if (nameNode?.type === "list_splat_pattern") keywordOnly = true;
      continue;
    }
    keywords.add(nameNode.text);
    if (!keywordOnly) positional.push(nameNode.text);
  }
  if (argument.keyword !== undefined) return keywords.has(argument.keyword) ? argument.keyword : undefined;
  if (argument.index === undefined || argument.index < 0) return undefined;
  return positional[argument.index + (bound ? 1 : 0)];
}
