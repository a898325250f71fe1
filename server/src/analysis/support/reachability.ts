import type { Node } from "web-tree-sitter";

/**
 * Whether code certainly runs, read from the syntax alone: which branches are taken when some
 * conditions are known, and which statements may leave a function (or loop) early. None of it
 * resolves a name; the caller says what a condition is worth.
 */

/** The value of a condition on the path being asked about: true, false, or undefined when unknown. */
export type ConditionValue = (condition: Node) => boolean | undefined;

const NESTED_SCOPES = new Set(["function_definition", "lambda", "class_definition"]);
const COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);
/** Statements that may leave the function (or loop) early; `assert` raises for some values. */
const EXITS = new Set(["return_statement", "raise_statement", "break_statement", "continue_statement", "assert_statement"]);

/**
 * True when running `body` certainly runs `node`: every branch on the way is taken (by
 * `evaluate`), no earlier statement can leave first, and the node is not in a loop body, a
 * handler, a `case` or a comprehension's later parts, which may run never. Only the body of a
 * `try` counts: its handlers, `else` and `finally` are treated as uncertain.
 */
export function alwaysReached(node: Node, body: Node, evaluate: ConditionValue): boolean {
  const value = (condition: Node | null) => (condition ? evaluate(condition) : undefined);
  let child = node;
  for (let parent = child.parent; parent && !child.equals(body); child = parent, parent = parent.parent) {
    if (COMPREHENSIONS.has(parent.type)) {
      // Only the first iterable runs in the enclosing code itself, once; the rest runs per item, maybe never.
      const first = parent.namedChildren.find((each) => each?.type === "for_in_clause");
      if (!first?.equals(child)) return false;
      continue;
    }
    if (parent.type === "for_in_clause") {
      if (!parent.childForFieldName("right")?.equals(child)) return false;
      continue;
    }
    switch (parent.type) {
      case "block": {
        for (const sibling of parent.namedChildren) {
          if (!sibling || sibling.equals(child)) break;
          if (mayExit(sibling, evaluate)) return false;
        }
        break;
      }
      case "if_statement":
      case "elif_clause":
      case "else_clause": {
        const statement = parent.type === "if_statement" ? parent : parent.parent;
        if (!statement || statement.type !== "if_statement") return false;
        if (!ifBranchTaken(statement, parent, child, evaluate)) return false;
        if (parent.type !== "if_statement") {
          child = parent; // step over the clause to the if statement
          parent = statement;
        }
        break;
      }
      case "conditional_expression": {
        const [whenTrue, condition, whenFalse] = parent.namedChildren;
        if (whenTrue?.equals(child) && value(condition) !== true) return false;
        if (whenFalse?.equals(child) && value(condition) !== false) return false;
        break;
      }
      case "boolean_operator": {
        const left = parent.childForFieldName("left");
        if (!left || left.equals(child)) break;
        const operator = parent.childForFieldName("operator")?.text;
        if (value(left) !== (operator === "and")) return false;
        break;
      }
      case "while_statement":
        if (!parent.childForFieldName("condition")?.equals(child) && value(parent.childForFieldName("condition")) !== true) return false;
        break;
      case "for_statement":
        if (!parent.childForFieldName("right")?.equals(child)) return false;
        break;
      case "try_statement":
        if (!parent.childForFieldName("body")?.equals(child)) return false;
        break;
      case "except_clause":
      case "except_group_clause":
      case "case_clause":
      case "match_statement":
        if (!(parent.type === "match_statement" && parent.childForFieldName("subject")?.equals(child))) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

/**
 * Whether the branch of an `if` holding `child` runs: the condition itself always runs; the
 * consequence needs the condition true; an `elif`/`else` needs all earlier conditions false.
 * `clause` is the `if` statement itself or the `elif`/`else` clause holding `child`.
 */
export function ifBranchTaken(statement: Node, clause: Node, child: Node, evaluate: ConditionValue): boolean {
  const value = (condition: Node | null) => (condition ? evaluate(condition) : undefined);
  const condition = statement.childForFieldName("condition");
  if (clause.equals(statement)) {
    if (condition?.equals(child)) return true;
    return value(condition) === true;
  }
  if (value(condition) !== false) return false;
  for (const alternative of statement.childrenForFieldName("alternative")) {
    if (!alternative) continue;
    const altCondition = alternative.childForFieldName("condition");
    if (alternative.equals(clause)) {
      if (alternative.type === "else_clause" || altCondition?.equals(child)) return true;
      return value(altCondition) === true;
    }
    if (value(altCondition) !== false) return false;
  }
  return false;
}

/** Whether a statement may leave the function (or the loop) before the statements after it run. */
export function mayExit(statement: Node, evaluate: ConditionValue): boolean {
  const value = (condition: Node | null) => (condition ? evaluate(condition) : undefined);
  if (statement.type === "assert_statement") {
    const condition = statement.namedChild(0);
    return !condition || value(condition) !== true;
  }
  if (EXITS.has(statement.type)) return true;
  if (!containsExit(statement)) return false;
  if (statement.type !== "if_statement") return true;
  // An `if` whose exiting branches are certainly not taken is harmless.
  const consequence = statement.childForFieldName("consequence");
  const conditionValue = value(statement.childForFieldName("condition"));
  if (consequence && containsExit(consequence) && conditionValue !== false) return true;
  let earlierFalse = conditionValue === false;
  for (const alternative of statement.childrenForFieldName("alternative")) {
    if (!alternative) continue;
    if (!containsExit(alternative)) {
      if (alternative.type === "elif_clause" && value(alternative.childForFieldName("condition")) !== false) earlierFalse = false;
      continue;
    }
    if (!earlierFalse || alternative.type === "else_clause") return true;
    if (value(alternative.childForFieldName("condition")) !== false) return true;
  }
  return false;
}

/** True when the node holds a `return`, `raise`, `break`, `continue` or `assert` outside nested scopes. */
export function containsExit(node: Node): boolean {
  return node.namedChildren.some((child) => {
    if (!child || NESTED_SCOPES.has(child.type)) return false;
    return EXITS.has(child.type) || containsExit(child);
  });
}

/**
 * The value of a condition when the variable `name` holds the string `value`: comparisons with
 * string literals (`==`, `!=`, `in`, `not in`), `.startswith()`/`.endswith()`, `not`, `and`,
 * `or`. Undefined when the condition depends on anything else.
 */
export function evaluateCondition(condition: Node, name: string, value: string): boolean | undefined {
  const isName = (node: Node | null) => node?.type === "identifier" && node.text === name;
  const recurse = (node: Node | null) => (node ? evaluateCondition(node, name, value) : undefined);
  switch (condition.type) {
    case "parenthesized_expression":
      return condition.namedChildCount === 1 ? recurse(condition.namedChild(0)) : undefined;
    case "not_operator": {
      const inner = recurse(condition.childForFieldName("argument"));
      return inner === undefined ? undefined : !inner;
    }
    case "boolean_operator": {
      const a = recurse(condition.childForFieldName("left"));
      const b = recurse(condition.childForFieldName("right"));
      if (condition.childForFieldName("operator")?.text === "and") {
        if (a === false || b === false) return false;
        return a === true && b === true ? true : undefined;
      }
      if (a === true || b === true) return true;
      return a === false && b === false ? false : undefined;
    }
    case "comparison_operator": {
      const operands = condition.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
      const operator = condition.children
        .filter((child): child is Node => child !== null && !child.isNamed)
        .map((child) => child.text)
        .join(" ");
      if (operands.length !== 2) return undefined;
      const [left, right] = operands;
      if (operator === "==" || operator === "!=") {
        const literal = isName(left) ? stringValue(right) : isName(right) ? stringValue(left) : undefined;
        if (literal === undefined) return undefined;
        return (literal === value) === (operator === "==");
      }
      if ((operator === "in" || operator === "not in") && isName(left)) {
        const members = stringCollection(right);
        if (!members) return undefined;
        return members.includes(value) === (operator === "in");
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
      return affixes.some((affix) => (method === "startswith" ? value.startsWith(affix) : value.endsWith(affix)));
    }
    default:
      return undefined;
  }
}

/** The value of a plain string literal without escapes or interpolation. */
export function stringValue(node: Node | null): string | undefined {
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

/** The strings of a tuple, list or set display of string literals (only a tuple when `tupleOnly`, as str methods take). */
export function stringCollection(node: Node, tupleOnly = false): string[] | undefined {
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
