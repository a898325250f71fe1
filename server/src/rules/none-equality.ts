import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import { allComparisonLinks, linkRange, replaceOperator, type ComparisonLink } from "../analysis/support/comparisons";
import { unparenthesize } from "../analysis/support/syntax";

export const noneEqualityRule: Rule = {
  code: "PYM002",
  name: "none-equality",
  knowledge: "none-comparison",
  severity: "warning",
  equivalents: ["E711"],
  nodeTypes: ["comparison_operator"],
  messages: {
    message: {
      en: "`{operator} None` asks the object's `__eq__`, which a class may override; None is a singleton, so test it with `{replacement} None`.",
      ko: "`{operator} None`은 객체의 `__eq__`에 묻는데, 클래스가 이를 재정의할 수 있습니다. None은 하나뿐인 객체이므로 `{replacement} None`으로 검사하세요.",
      "zh-cn": "`{operator} None` 会调用对象的 `__eq__`，而类可以重写它；None 是单例，请用 `{replacement} None` 来判断。",
    },
    fix: { en: "Use {replacement}", ko: "{replacement} 사용", "zh-cn": "改用 {replacement}" },
  },
  check(ctx) {
    const findings = [];
    for (const link of allComparisonLinks(ctx)) {
      const operator = link.operator.type;
      if (operator !== "==" && operator !== "!=") continue;
      const operand = noneOperand(link);
      if (!operand) continue;
      const comparison = link.operator.parent;
      if (!comparison) continue;
      // Handed to a library call or used as an index, the result is data, not a truth value:
      // SQLAlchemy's `column == None` builds `IS NULL`, NumPy's and pandas' build masks, and
      // `is None` would hand them a plain False.
      if (isData(ctx, comparison)) continue;
      // A test asserting the same object both equal and unequal to other values is testing its
      // `__eq__`; there `== None` is one more case of the operator under test.
      if (assertedTruth(comparison) !== undefined && exercisesEquality(ctx, comparison, operand)) continue;
      const replacement = operator === "==" ? "is" : "is not";
      const args = { operator, replacement };
      // Not safe for fix-all: some libraries overload == None on purpose (SQLAlchemy filters, NumPy arrays).
      findings.push(ctx.finding(linkRange(link), ctx.t("message", args), replaceOperator(link, replacement, false, ctx.t("fix", args))));
    }
    return findings;
  },
};

/** The side compared with None, when exactly one side is the literal None. */
function noneOperand(link: ComparisonLink): Node | undefined {
  const left = unparenthesize(link.left);
  const right = unparenthesize(link.right);
  if (right.type === "none" && left.type !== "none") return left;
  if (left.type === "none" && right.type !== "none") return right;
  return undefined;
}

/** unittest's assertions that test their argument's truth, and what they expect it to be. */
const TRUTH_ASSERTIONS = new Map([
  ["assertTrue", true],
  ["assert_", true],
  ["failUnless", true],
  ["assertFalse", false],
  ["failIf", false],
]);

/**
 * Whether the comparison's value is data rather than a truth value: an argument of a call into
 * code this file does not define (an imported function, a method other than a unittest truth
 * assertion, a name from a star import), alone or inside a tuple, list or comprehension there,
 * or an index. Such a callee may take it as an expression object. Anything else tests the value
 * (`if`, `while`, `assert`, `and`/`or`, `not`, a return, an assignment, a builtin such as `print`,
 * a function of this file).
 */
function isData(ctx: RuleContext, comparison: Node): boolean {
  let node = comparison;
  for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
    switch (parent.type) {
      case "parenthesized_expression":
      case "tuple":
      case "list":
      case "set":
      case "list_splat":
        continue;
      case "keyword_argument":
        if (parent.childForFieldName("value")?.equals(node)) continue;
        return false;
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression":
        if (parent.childForFieldName("body")?.equals(node)) {
          // `f(x == None for x in xs)`: the generator is the call's only argument.
          if (parent.type === "generator_expression" && parent.parent?.type === "call") return takesData(ctx, parent.parent);
          continue;
        }
        return false;
      case "argument_list":
        return parent.parent?.type === "call" && takesData(ctx, parent.parent);
      case "subscript":
        return !parent.childForFieldName("value")?.equals(node);
      default:
        return false;
    }
  }
  return false;
}

/** Whether a call's arguments go to code that may treat them as expression objects (see `isData`). */
function takesData(ctx: RuleContext, call: Node): boolean {
  const callee = call.childForFieldName("function");
  if (callee?.type === "attribute") {
    // unittest's and pytest's assertions (`assertTrue`, `assertEqual`, ...) compare plain values.
    const method = callee.childForFieldName("attribute")?.text ?? "";
    return !method.startsWith("assert") && !TRUTH_ASSERTIONS.has(method);
  }
  if (callee?.type !== "identifier") return false;
  const binding = ctx.model.bindingOrImport(callee);
  if (binding) return binding.kind === "import";
  // Unbound here: a builtin (`print`, `bool`) tests or shows the value; any other name comes
  // from a star import.
  return ctx.model.qualifiedName(callee)?.startsWith("builtins.") !== true;
}

/**
 * What an assertion expects of the comparison: true for `assert c`, `assertTrue(c)`, false for
 * `assert not c`, `assertFalse(c)`; undefined when it is no direct assertion.
 */
function assertedTruth(comparison: Node): boolean | undefined {
  let truth = true;
  let node = comparison;
  for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
    if (parent.type === "parenthesized_expression") continue;
    if (parent.type === "not_operator") {
      truth = !truth;
      continue;
    }
    if (parent.type === "assert_statement") return parent.namedChild(0)?.equals(node) ? truth : undefined;
    if (parent.type !== "argument_list") return undefined;
    const callee = parent.parent?.type === "call" ? parent.parent.childForFieldName("function") : null;
    const expected = callee?.type === "attribute" ? TRUTH_ASSERTIONS.get(callee.childForFieldName("attribute")?.text ?? "") : undefined;
    return expected === undefined || !parent.namedChild(0)?.equals(node) ? undefined : expected === truth;
  }
  return undefined;
}

/**
 * True when the function around the comparison asserts `operand` equal to some value other than
 * None and unequal to another (`assertTrue(a == b)`, `assertFalse(a == c)`): a test of `__eq__`.
 */
function exercisesEquality(ctx: RuleContext, comparison: Node, operand: Node): boolean {
  const test = ctx.model.owner(comparison).function;
  if (!test) return false;
  const outcomes = new Set<boolean>();
  for (const link of allComparisonLinks(ctx)) {
    const operator = link.operator.type;
    if (operator !== "==" && operator !== "!=") continue;
    if (link.operator.startIndex < test.startIndex || link.operator.endIndex > test.endIndex) continue;
    const left = unparenthesize(link.left);
    const right = unparenthesize(link.right);
    if (left.type === "none" || right.type === "none") continue;
    if (left.text !== operand.text && right.text !== operand.text) continue;
    const sibling = link.operator.parent;
    const truth = sibling ? assertedTruth(sibling) : undefined;
    if (truth !== undefined) outcomes.add(truth === (operator === "=="));
  }
  return outcomes.size === 2;
}
