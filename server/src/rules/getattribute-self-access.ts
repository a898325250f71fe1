import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import type { Fix } from "../analysis/finding";
import { localBindings, parameterNames } from "../analysis/scopes";

const NESTED_SCOPES = new Set(["function_definition", "lambda", "class_definition"]);
const COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);
/** Handlers that would catch the RecursionError and so turn the recursion into something else. */
const BROAD_HANDLERS = new Set(["Exception", "BaseException", "RuntimeError", "RecursionError"]);
/** Statements that may leave the method (or loop) early; `assert` raises for some names. */
const EXITS = new Set(["return_statement", "raise_statement", "break_statement", "continue_statement", "assert_statement"]);

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
      const owner = ownerClass(method);
      const parameters = method.childForFieldName("parameters");
      const body = method.childForFieldName("body");
      if (!owner || !parameters || !body) continue;
      const selfNode = parameterIdentifier(parameters.namedChild(0));
      if (!selfNode || ctx.file.binding(selfNode)?.kind !== "parameter") continue;
      const nameNode = parameterIdentifier(parameters.namedChild(1));
      const nameParameter = nameNode && ctx.file.binding(nameNode)?.kind === "parameter" ? nameNode.text : undefined;
      // `self.__class__ = Other` swaps the class, so later reads no longer come back here (lazy modules).
      if (reassignsClass(body)) continue;
      const fixKind = replacementKind(ctx, owner, method);
      for (const read of selfReads(body, selfNode.text)) {
        const attribute = read.childForFieldName("attribute")?.text;
        if (!attribute) continue;
        const runtimeName = mangle(attribute, owner.childForFieldName("name")?.text ?? "");
        if (!alwaysReached(read, body, runtimeName, nameParameter)) continue;
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

/** The class whose body directly holds this plain (undecorated) method. */
function ownerClass(method: Node): Node | undefined {
  const block = method.parent;
  return block?.type === "block" && block.parent?.type === "class_definition" ? block.parent : undefined;
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

/**
 * True when a call `__getattribute__(self, "<attribute>")` certainly runs this read again: every
 * branch on the way is taken for that name, no earlier statement can leave the method first, and
 * no handler catches the RecursionError. Conditions we cannot evaluate make the read uncertain.
 */
function alwaysReached(read: Node, body: Node, attribute: string, nameParameter: string | undefined): boolean {
  const evaluate = (condition: Node | null) => (condition ? evaluateCondition(condition, attribute, nameParameter) : undefined);
  let node = read;
  for (let parent = node.parent; parent && !node.equals(body); node = parent, parent = parent.parent) {
    if (COMPREHENSIONS.has(parent.type)) {
      // Only the first iterable runs in the method itself, once; the rest runs per item, maybe never.
      const first = parent.namedChildren.find((child) => child?.type === "for_in_clause");
      if (!first?.equals(node)) return false;
      continue;
    }
    if (parent.type === "for_in_clause") {
      if (!parent.childForFieldName("right")?.equals(node)) return false;
      continue;
    }
    switch (parent.type) {
      case "block": {
        for (const sibling of parent.namedChildren) {
          if (!sibling || sibling.equals(node)) break;
          if (mayExit(sibling, attribute, nameParameter)) return false;
        }
        break;
      }
      case "if_statement":
      case "elif_clause":
      case "else_clause": {
        const statement = parent.type === "if_statement" ? parent : parent.parent;
        if (!statement || statement.type !== "if_statement") return false;
        if (!ifBranchTaken(statement, parent, node, evaluate)) return false;
        if (parent.type !== "if_statement") {
          node = parent; // step over the clause to the if statement
          parent = statement;
        }
        break;
      }
      case "conditional_expression": {
        const [whenTrue, condition, whenFalse] = parent.namedChildren;
        if (whenTrue?.equals(node) && evaluate(condition) !== true) return false;
        if (whenFalse?.equals(node) && evaluate(condition) !== false) return false;
        break;
      }
      case "boolean_operator": {
        const left = parent.childForFieldName("left");
        if (!left || left.equals(node)) break;
        const operator = parent.childForFieldName("operator")?.text;
        if (evaluate(left) !== (operator === "and")) return false;
        break;
      }
      case "while_statement":
        if (!parent.childForFieldName("condition")?.equals(node) && evaluate(parent.childForFieldName("condition")) !== true) return false;
        break;
      case "for_statement":
        if (!parent.childForFieldName("right")?.equals(node)) return false;
        break;
      case "try_statement":
        if (!parent.childForFieldName("body")?.equals(node) || hasBroadHandler(parent)) return false;
        break;
      case "finally_clause":
        break;
      case "except_clause":
      case "except_group_clause":
      case "case_clause":
      case "match_statement":
        if (!(parent.type === "match_statement" && parent.childForFieldName("subject")?.equals(node))) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

/**
 * Whether the branch holding `child` runs for this name: the `if` condition itself always runs;
 * the consequence needs the condition true; an `elif`/`else` needs all earlier conditions false.
 */
function ifBranchTaken(statement: Node, clause: Node, child: Node, evaluate: (condition: Node | null) => boolean | undefined): boolean {
  const condition = statement.childForFieldName("condition");
  if (clause.equals(statement)) {
    if (condition?.equals(child)) return true;
    return evaluate(condition) === true;
  }
  if (evaluate(condition) !== false) return false;
  for (const alternative of statement.childrenForFieldName("alternative")) {
    if (!alternative) continue;
    const altCondition = alternative.childForFieldName("condition");
    if (alternative.equals(clause)) {
      if (alternative.type === "else_clause" || altCondition?.equals(child)) return true;
      return evaluate(altCondition) === true;
    }
    if (evaluate(altCondition) !== false) return false;
  }
  return false;
}

/** Whether a statement before the read may leave the method (or the loop) first for this name. */
function mayExit(statement: Node, attribute: string, nameParameter: string | undefined): boolean {
  if (statement.type === "assert_statement") {
    const condition = statement.namedChild(0);
    return !condition || evaluateCondition(condition, attribute, nameParameter) !== true;
  }
  if (EXITS.has(statement.type)) return true;
  if (!containsExit(statement)) return false;
  if (statement.type !== "if_statement") return true;
  // An `if` whose exiting branches are certainly not taken for this name is harmless.
  const evaluate = (condition: Node | null) => (condition ? evaluateCondition(condition, attribute, nameParameter) : undefined);
  const consequence = statement.childForFieldName("consequence");
  const condition = statement.childForFieldName("condition");
  let earlierFalse = true;
  const conditionValue = evaluate(condition);
  if (consequence && containsExit(consequence) && conditionValue !== false) return true;
  if (conditionValue !== false) earlierFalse = false;
  for (const alternative of statement.childrenForFieldName("alternative")) {
    if (!alternative) continue;
    if (!containsExit(alternative)) {
      const value = evaluate(alternative.childForFieldName("condition"));
      if (alternative.type === "elif_clause" && value !== false) earlierFalse = false;
      continue;
    }
    if (!earlierFalse) return true;
    if (alternative.type === "else_clause") return true;
    const value = evaluate(alternative.childForFieldName("condition"));
    if (value !== false) return true;
  }
  return false;
}

function containsExit(node: Node): boolean {
  return node.namedChildren.some((child) => {
    if (!child || NESTED_SCOPES.has(child.type)) return false;
    return EXITS.has(child.type) || containsExit(child);
  });
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

/**
 * The value of a condition on the name parameter when it equals `attribute`: comparisons with
 * string literals (`==`, `!=`, `in`, `not in`), `.startswith()`/`.endswith()`, `not`, `and`,
 * `or`. Undefined when the condition depends on anything else.
 */
function evaluateCondition(condition: Node, attribute: string, nameParameter: string | undefined): boolean | undefined {
  if (!nameParameter) return undefined;
  const isName = (node: Node | null) => node?.type === "identifier" && node.text === nameParameter;
  switch (condition.type) {
    case "parenthesized_expression": {
      const inner = condition.namedChild(0);
      return condition.namedChildCount === 1 && inner ? evaluateCondition(inner, attribute, nameParameter) : undefined;
    }
    case "not_operator": {
      const argument = condition.childForFieldName("argument");
      const value = argument ? evaluateCondition(argument, attribute, nameParameter) : undefined;
      return value === undefined ? undefined : !value;
    }
    case "boolean_operator": {
      const left = condition.childForFieldName("left");
      const right = condition.childForFieldName("right");
      const a = left ? evaluateCondition(left, attribute, nameParameter) : undefined;
      const b = right ? evaluateCondition(right, attribute, nameParameter) : undefined;
      if (condition.childForFieldName("operator")?.text === "and") {
        if (a === false || b === false) return false;
        return a === true && b === true ? true : undefined;
      }
      if (a === true || b === true) return true;
      return a === false && b === false ? false : undefined;
    }
    case "comparison_operator": {
      const operands = condition.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
      const operators = condition.children.filter((child): child is Node => child !== null && !child.isNamed).map((child) => child.text);
      const operator = operators.join(" ");
      if (operands.length !== 2) return undefined;
      const [left, right] = operands;
      if (operator === "==" || operator === "!=") {
        const literal = isName(left) ? stringValue(right) : isName(right) ? stringValue(left) : undefined;
        if (literal === undefined) return undefined;
        return (literal === attribute) === (operator === "==");
      }
      if ((operator === "in" || operator === "not in") && isName(left)) {
        const members = stringCollection(right);
        if (!members) return undefined;
        return members.includes(attribute) === (operator === "in");
      }
      return undefined;
    }
    case "call": {
      const callee = condition.childForFieldName("function");
      const method = callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : undefined;
      if (!callee || !isName(callee.childForFieldName("object")) || (method !== "startswith" && method !== "endswith")) return undefined;
      const args = condition.childForFieldName("arguments");
      if (args?.type !== "argument_list" || args.namedChildCount !== 1) return undefined;
      const arg = args.namedChild(0);
      const single = arg ? stringValue(arg) : undefined;
      const affixes = single !== undefined ? [single] : arg ? stringCollection(arg, true) : undefined;
      if (!affixes) return undefined;
      return affixes.some((affix) => (method === "startswith" ? attribute.startsWith(affix) : attribute.endsWith(affix)));
    }
    default:
      return undefined;
  }
}

/** The value of a plain string literal without escapes or interpolation. */
function stringValue(node: Node | null): string | undefined {
  if (node?.type !== "string") return undefined;
  const start = node.child(0)?.text ?? "";
  if (!/^[rRuU]?['"]{1,3}$/.test(start)) return undefined;
  let value = "";
  for (const child of node.namedChildren) {
    if (!child || child.type === "string_start" || child.type === "string_end") continue;
    if (child.type !== "string_content" || child.namedChildCount > 0) return undefined;
    value += child.text;
  }
  return value;
}

/** The strings of a tuple, list or set display of string literals (only tuples for str methods). */
function stringCollection(node: Node, tupleOnly = false): string[] | undefined {
  const allowed = tupleOnly ? ["tuple"] : ["tuple", "list", "set"];
  if (!allowed.includes(node.type)) return undefined;
  const values: string[] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === "comment") continue;
    const value = stringValue(child);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
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
function replacementKind(ctx: RuleContext, owner: Node, method: Node): ReplacementKind {
  const bases = owner.childForFieldName("superclasses");
  const positional = (bases?.namedChildren ?? []).filter((child) => child !== null && child.type !== "keyword_argument" && child.type !== "comment");
  const onlyObject = positional.every((base) => base !== null && base.type === "identifier" && base.text === "object");
  const builtin = onlyObject ? "object" : "super";
  if (ctx.file.imports.has(builtin) || localBindings(ctx.tree.rootNode).has(builtin)) return "none";
  for (let scope: Node | null = method; scope; scope = scope.parent) {
    if (scope.type === "function_definition" || scope.type === "lambda") {
      if (localBindings(scope).has(builtin)) return "none";
      const parameters = scope.childForFieldName("parameters");
      if (parameters && parameterNames(parameters).includes(builtin)) return "none";
    }
  }
  return onlyObject ? "object" : "super";
}

function fixFor(read: Node, kind: ReplacementKind, replacement: string, title: string): Fix | undefined {
  if (kind === "none") return undefined;
  // `self.x += 1` needs the value and a target; a call cannot stand on the left of `+=`.
  const parent = read.parent;
  if (parent?.type === "augmented_assignment" && parent.childForFieldName("left")?.equals(read)) return undefined;
  return { title, edits: [{ range: { start: read.startPosition, end: read.endPosition }, newText: replacement }], safe: false };
}
