import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import type { Fix } from "../analysis/finding";
import { decoratorsOf } from "../analysis/model/class-members";
import { alwaysReached, evaluateCondition } from "../analysis/support/reachability";

const NESTED_SCOPES = new Set(["function_definition", "lambda", "class_definition"]);
/** Handlers that would catch the RecursionError and so turn the recursion into something else. */
const BROAD_HANDLERS = new Set(["Exception", "BaseException", "RuntimeError", "RecursionError"]);

export const getattributeSelfAccessRule: Rule = {
  code: "PYM012",
  name: "getattribute-self-access",
  knowledge: "getattribute-self-access",
  severity: "error",
  nodeTypes: ["function_definition"],
  messages: {
    message: {
      en: "`{read}` inside `__getattribute__` looks `{attribute}` up through `__getattribute__` again, and that call reaches this line again, so every lookup recurses until `RecursionError`. Read it with `{replacement}`.",
      ko: "`__getattribute__` 안의 `{read}`는 `{attribute}`를 다시 `__getattribute__`로 조회하고, 그 호출이 또 이 줄에 도달하므로 조회할 때마다 `RecursionError`가 날 때까지 재귀합니다. `{replacement}`로 읽으세요.",
      "zh-cn": "`__getattribute__` 内部的 `{read}` 会再次通过 `__getattribute__` 查找 `{attribute}`，而那次调用又会执行到这一行，所以每次属性查找都会无限递归，直到 `RecursionError`。请改用 `{replacement}` 读取。",
    },
    fix: { en: "Use {replacement}", ko: "{replacement} 사용", "zh-cn": "改用 {replacement}" },
  },
  check(ctx) {
    const findings = [];
    for (const method of ctx.nodes("function_definition")) {
      if (method.childForFieldName("name")?.text !== "__getattribute__" || method.firstChild?.type === "async") continue;
      const body = method.childForFieldName("body");
      const parameters = method.childForFieldName("parameters");
      if (!body || !parameters) continue;
      // Only a plain method: a decorator may hand Python something other than this function.
      const owner = decoratorsOf(method).length === 0 ? ctx.model.owner(body).method?.class : undefined;
      if (!owner) continue;
      const selfNode = parameterIdentifier(parameters.namedChild(0));
      if (!selfNode || ctx.model.binding(selfNode)?.kind !== "parameter") continue;
      const nameNode = parameterIdentifier(parameters.namedChild(1));
      const nameParameter = nameNode && ctx.model.binding(nameNode)?.kind === "parameter" ? nameNode.text : undefined;
      // `self.__class__ = Other` swaps the class, so later reads no longer come back here (lazy modules).
      if (reassignsClass(body)) continue;
      const fixKind = replacementKind(ctx, owner, body);
      for (const read of selfReads(body, selfNode.text)) {
        const attribute = read.childForFieldName("attribute")?.text;
        if (!attribute) continue;
        const runtimeName = mangle(attribute, owner.childForFieldName("name")?.text ?? "");
        const evaluate = (condition: Node) => (nameParameter ? evaluateCondition(condition, nameParameter, runtimeName) : undefined);
        if (!alwaysReached(read, body, evaluate) || caughtAround(read, body)) continue;
        const replacement =
          fixKind === "super" ? `super().__getattribute__("${runtimeName}")` : `object.__getattribute__(${selfNode.text}, "${runtimeName}")`;
        const args = { read: read.text, attribute: runtimeName, replacement };
        findings.push(ctx.finding(read, ctx.t("message", args), fixFor(read, fixKind, replacement, ctx.t("fix", args))));
      }
    }
    return findings;
  },
};

/** The name a plain parameter binds: `self`, `self: "Box"`, `name: str = ""` (not `*args`). */
function parameterIdentifier(parameter: Node | null): Node | undefined {
  if (!parameter) return undefined;
  if (parameter.type === "identifier") return parameter;
  if (parameter.type !== "typed_parameter" && parameter.type !== "default_parameter" && parameter.type !== "typed_default_parameter") return undefined;
  const name = parameter.childForFieldName("name") ?? parameter.namedChild(0);
  return name?.type === "identifier" ? name : undefined;
}

/** Every `self.<name>` read in the method's own scope (nested functions, lambdas and classes excluded). */
function selfReads(body: Node, self: string): Node[] {
  const reads: Node[] = [];
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child || NESTED_SCOPES.has(child.type)) continue;
      if (child.type === "attribute") {
        const object = child.childForFieldName("object");
        if (object?.type === "identifier" && object.text === self && !isWriteTarget(child)) reads.push(child);
      }
      visit(child);
    }
  };
  visit(body);
  return reads;
}

/** True when the method assigns some `<object>.__class__`, or passes `"__class__"` to a setattr-like call. */
function reassignsClass(body: Node): boolean {
  const visit = (node: Node): boolean =>
    node.namedChildren.some((child) => {
      if (!child) return false;
      if (child.type === "assignment") {
        const left = child.childForFieldName("left");
        if (left?.type === "attribute" && left.childForFieldName("attribute")?.text === "__class__") return true;
      }
      if (child.type === "call" && /setattr/.test(child.childForFieldName("function")?.text ?? "")) {
        const args = child.childForFieldName("arguments");
        if (args?.namedChildren.some((arg) => arg?.type === "string" && /^[rRuU]?['"]__class__['"]$/.test(arg.text))) return true;
      }
      return visit(child);
    });
  return visit(body);
}

/** `self.x = ...`, `del self.x`, `for self.x in ...`, `with ... as self.x`: set or delete, not read. */
function isWriteTarget(attribute: Node): boolean {
  let node = attribute;
  let parent = node.parent;
  while (parent && (parent.type === "pattern_list" || parent.type === "tuple_pattern" || parent.type === "list_pattern" || parent.type === "parenthesized_expression")) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if (parent.type === "assignment") return parent.childForFieldName("left")?.equals(node) ?? false;
  if (parent.type === "for_statement" || parent.type === "for_in_clause") return parent.childForFieldName("left")?.equals(node) ?? false;
  if (parent.type === "delete_statement" || parent.type === "as_pattern_target") return true;
  if (parent.type === "expression_list" && parent.parent?.type === "delete_statement") return true;
  return false;
}

/** A `try` around the read whose handler would catch the RecursionError and so end the recursion. */
function caughtAround(read: Node, body: Node): boolean {
  for (let node = read, parent = read.parent; parent && !node.equals(body); node = parent, parent = parent.parent) {
    if (parent.type === "try_statement" && parent.childForFieldName("body")?.equals(node) && hasBroadHandler(parent)) return true;
  }
  return false;
}

function hasBroadHandler(statement: Node): boolean {
  for (const clause of statement.namedChildren) {
    if (clause?.type !== "except_clause" && clause?.type !== "except_group_clause") continue;
    const value = clause.namedChildren.find((child) => child?.type !== "block" && child?.type !== "comment");
    if (!value) return true; // a bare `except:`
    const caught = value.type === "as_pattern" ? value.namedChild(0) : value;
    const names = caught?.type === "tuple" || caught?.type === "parenthesized_expression" ? caught.namedChildren : [caught];
    for (const name of names) {
      const last = name?.type === "attribute" ? name.childForFieldName("attribute")?.text : name?.text;
      if (!last || name?.type === "tuple" || BROAD_HANDLERS.has(last) || (name?.type !== "identifier" && name?.type !== "attribute")) return true;
    }
  }
  return false;
}

/** Private names (`__x`, not `__x__`) are mangled to `_Class__x` inside the class body. */
function mangle(attribute: string, className: string): string {
  if (!attribute.startsWith("__") || attribute.endsWith("__")) return attribute;
  const stripped = className.replace(/^_+/, "");
  return stripped ? `_${stripped}${attribute}` : attribute;
}

type ReplacementKind = "object" | "super" | "none";

/**
 * `object.__getattribute__(self, ...)` when the class has no base but `object`: it is exactly the
 * lookup `__getattribute__` overrides. With a real base, `super().__getattribute__(...)` keeps the
 * base's own lookup (a proxy or framework base may define one) that `object`'s would skip.
 * No fix when the needed builtin name is shadowed.
 */
function replacementKind(ctx: RuleContext, owner: Node, body: Node): ReplacementKind {
  const bases = owner.childForFieldName("superclasses");
  const positional = (bases?.namedChildren ?? []).filter((child) => child !== null && child.type !== "keyword_argument" && child.type !== "comment");
  const onlyObject = positional.every((base) => base !== null && base.type === "identifier" && base.text === "object");
  const builtin = onlyObject ? "object" : "super";
  // Whatever binds the name where the method's code runs (the method, a function around it, the module) shadows the builtin.
  if (ctx.model.resolveName(builtin, body)) return "none";
  return builtin;
}

function fixFor(read: Node, kind: ReplacementKind, replacement: string, title: string): Fix | undefined {
  if (kind === "none") return undefined;
  // `self.x += 1` needs the value and a target; a call cannot stand on the left of `+=`.
  const parent = read.parent;
  if (parent?.type === "augmented_assignment" && parent.childForFieldName("left")?.equals(read)) return undefined;
  return { title, edits: [{ range: { start: read.startPosition, end: read.endPosition }, newText: replacement }], safe: false };
}
