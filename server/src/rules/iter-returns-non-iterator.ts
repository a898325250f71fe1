import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import { builtKind, MUTABLE_DISPLAYS } from "../analysis/support/built-kind";
import { firstParameter, unparenthesize } from "../analysis/support/syntax";

/** Displays and comprehensions that build a container, never an iterator. */
const CONTAINER_NODES: Readonly<Record<string, string>> = { ...MUTABLE_DISPLAYS, tuple: "tuple", expression_list: "tuple" };

/** Builtins whose result is a container, never an iterator. */
const CONTAINER_CALLS: Readonly<Record<string, string>> = {
  "builtins.list": "list",
  "builtins.dict": "dict",
  "builtins.set": "set",
  "builtins.frozenset": "frozenset",
  "builtins.tuple": "tuple",
  "builtins.sorted": "list",
};

const NESTED_SCOPES = new Set(["function_definition", "lambda", "class_definition"]);

/**
 * `__iter__` must return an iterator (an object with `__next__`); returning a list, dict, set or
 * tuple makes `iter(obj)` and every `for` loop over the object raise TypeError. Flags returns
 * of a container display, a container-building builtin call, or `self.attr` when `__init__`
 * alone assigns that attribute, always a container. Generators, `return iter(...)` and
 * `return self` are fine.
 */
export const iterReturnsNonIteratorRule: Rule = {
  code: "PYM018",
  name: "iter-returns-non-iterator",
  knowledge: "iter-returns-non-iterator",
  severity: "error",
  equivalents: ["E0301"],
  nodeTypes: ["function_definition"],
  messages: {
    message: {
      en: "`__iter__` must return an iterator, but this returns a {kind}, so `for` loops and `iter()` over the object raise `TypeError: iter() returned non-iterator of type '{kind}'`. Return `iter({expression})` instead.",
      ko: "`__iter__`는 이터레이터를 반환해야 하는데 여기서는 {kind}를 반환하므로, 이 객체에 `for` 문이나 `iter()`를 쓰면 `TypeError: iter() returned non-iterator of type '{kind}'`가 발생합니다. 대신 `iter({expression})`를 반환하세요.",
      "zh-cn": "`__iter__` 必须返回一个迭代器，但这里返回的是 {kind}，因此对该对象使用 `for` 循环或 `iter()` 会抛出 `TypeError: iter() returned non-iterator of type '{kind}'`。请改为返回 `iter({expression})`。",
    },
    fix: { en: "Return iter(...)", ko: "iter(...) 반환", "zh-cn": "改为返回 iter(...)" },
  },
  check(ctx) {
    const findings = [];
    for (const method of ctx.nodes("function_definition")) {
      if (method.childForFieldName("name")?.text !== "__iter__") continue;
      if (method.child(0)?.type === "async") continue;
      const body = method.childForFieldName("body");
      const owner = body ? ctx.model.owner(body).method?.class : undefined;
      const self = firstParameter(method);
      if (!owner || !body || !self) continue;
      const { returns, yields } = returnsOf(body);
      if (yields) continue;
      for (const statement of returns) {
        const value = statement.namedChildren.find((child) => child?.type !== "comment");
        if (!value) continue;
        const kind = containerKind(ctx, value) ?? attributeKind(ctx, value, self, owner);
        if (!kind) continue;
        const expression = value.type === "expression_list" ? `(${value.text})` : value.text;
        const shown = expression.length > 40 || expression.includes("\n") ? "..." : expression;
        const fix = iterIsBuiltin(ctx, statement)
          ? {
              title: ctx.t("fix"),
              edits: [
                { range: { start: value.startPosition, end: value.startPosition }, newText: value.type === "expression_list" ? "iter((" : "iter(" },
                { range: { start: value.endPosition, end: value.endPosition }, newText: value.type === "expression_list" ? "))" : ")" },
              ],
              safe: true,
            }
          : undefined;
        findings.push(ctx.finding(statement, ctx.t("message", { kind, expression: shown }), fix));
      }
    }
    return findings;
  },
};

/** The function's own `return` statements, and whether it is a generator. */
function returnsOf(body: Node): { returns: Node[]; yields: boolean } {
  const returns: Node[] = [];
  let yields = false;
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child || NESTED_SCOPES.has(child.type)) continue;
      if (child.type === "yield") yields = true;
      if (child.type === "return_statement") returns.push(child);
      visit(child);
    }
  };
  visit(body);
  return { returns, yields };
}

/** `list`, `dict`... when the expression certainly builds that container. */
function containerKind(ctx: RuleContext, expression: Node): string | undefined {
  return builtKind(ctx.model, expression, CONTAINER_NODES, CONTAINER_CALLS);
}

/**
 * `self.items` when `__init__` is the only method that assigns `self.items`, and every one of its
 * assignments builds the same kind of container. Anything else (a parameter, a class attribute,
 * another method's assignment) could be an iterator, so stays quiet.
 */
function attributeKind(ctx: RuleContext, expression: Node, self: string, owner: Node): string | undefined {
  const node = unparenthesize(expression);
  if (node.type !== "attribute") return undefined;
  const object = node.childForFieldName("object");
  const name = node.childForFieldName("attribute")?.text;
  if (object?.type !== "identifier" || object.text !== self || !name) return undefined;
  // Every method's writes count, and what `list` means where `__init__` calls it: a read of the
  // whole class (the rare `return self.items` alone pays for it).
  const body = ctx.model.wholeClass(owner).childForFieldName("body");
  if (!body) return undefined;
  let kind: string | undefined;
  let ok = true;
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
    if (definition?.type === "function_definition") {
      const receiver = firstParameter(definition);
      const isInit = definition.childForFieldName("name")?.text === "__init__" && statement.type !== "decorated_definition";
      forEachAttributeWrite(definition, name, receiver, (value) => {
        const written = isInit && value ? containerKind(ctx, value) : undefined;
        if (!written || (kind && kind !== written)) ok = false;
        else kind = written;
      });
    } else if (statement.type === "expression_statement" && classBodyBinds(statement, name)) {
      ok = false;
    }
  }
  return ok ? kind : undefined;
}

/** Calls `use(value)` for every write of `<receiver>.<name>` in a method (value undefined when not a plain `=`). */
function forEachAttributeWrite(method: Node, name: string, receiver: string | undefined, use: (value: Node | undefined) => void): void {
  const isTarget = (node: Node | null): boolean =>
    node?.type === "attribute" &&
    node.childForFieldName("attribute")?.text === name &&
    node.childForFieldName("object")?.type === "identifier" &&
    (receiver === undefined || node.childForFieldName("object")?.text === receiver);
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "assignment" || child.type === "augmented_assignment") {
        const left = child.childForFieldName("left");
        const right = child.childForFieldName("right");
        if (isTarget(left)) use(child.type === "assignment" && right?.type !== "assignment" ? (right ?? undefined) : undefined);
        else if (left && containsTarget(left, isTarget)) use(undefined);
      } else if (child.type === "call") {
        // setattr(self, "name", ...) and friends: not a plain write, so the value is unknown.
        const callee = child.childForFieldName("function");
        if (callee?.type === "identifier" && callee.text === "setattr") use(undefined);
      }
      visit(child);
    }
  };
  const body = method.childForFieldName("body");
  if (body) visit(body);
}

function containsTarget(node: Node, isTarget: (node: Node | null) => boolean): boolean {
  if (isTarget(node)) return true;
  return node.namedChildren.some((child) => child !== null && containsTarget(child, isTarget));
}

function classBodyBinds(statement: Node, name: string): boolean {
  const assignment = statement.namedChild(0);
  if (assignment?.type !== "assignment" && assignment?.type !== "augmented_assignment") return false;
  const left = assignment.childForFieldName("left");
  return left !== null && containsName(left, name);
}

function containsName(node: Node, name: string): boolean {
  if (node.type === "identifier") return node.text === name;
  return node.namedChildren.some((child) => child !== null && containsName(child, name));
}

/** `iter` still means the builtin where the fix would call it. */
function iterIsBuiltin(ctx: RuleContext, node: Node): boolean {
  return ctx.model.resolveName("iter", node) === undefined;
}
