import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import { allComparisonLinks, linkRange, replaceOperator, unparenthesize } from "./comparisons";

/** Expressions that build a new object (or a cached one only by accident of the implementation). */
const LITERAL_TYPES = new Set([
  "string",
  "concatenated_string",
  "integer",
  "float",
  "tuple",
  "list",
  "dictionary",
  "set",
]);

function isLiteral(expression: Node): boolean {
  const node = unparenthesize(expression);
  if (LITERAL_TYPES.has(node.type)) return true;
  if (node.type === "unary_operator") {
    const argument = node.childForFieldName("argument");
    return argument !== null && (argument.type === "integer" || argument.type === "float");
  }
  return false;
}

export const isLiteralRule: Rule = {
  code: "PYM001",
  name: "is-literal",
  knowledge: "is-vs-eq",
  severity: "warning",
  equivalents: ["F632"],
  nodeTypes: ["comparison_operator"],
  check(ctx) {
    const findings = [];
    for (const link of allComparisonLinks(ctx)) {
      const operator = link.operator.type;
      if (operator !== "is" && operator !== "is not") continue;
      const literal = isLiteral(link.right) ? link.right : isLiteral(link.left) ? link.left : undefined;
      if (!literal) continue;
      const replacement = operator === "is" ? "==" : "!=";
      const kind = describeLiteral(literal);
      const why = FRESH_DISPLAYS.has(kind)
        ? `a ${kind} display builds a new object every time, so this is always ${operator === "is" ? "False" : "True"}`
        : `whether an equal ${kind} is the same object depends on caching inside the interpreter`;
      const message = `\`${operator}\` compares identity, not value: ${why}. Use \`${replacement}\` to compare values.`;
      findings.push(ctx.finding(linkRange(link), message, replaceOperator(link, replacement, true)));
    }
    return findings;
  },
};

const FRESH_DISPLAYS = new Set(["list", "dict", "set"]);

function describeLiteral(expression: Node): string {
  const node = unparenthesize(expression);
  switch (node.type) {
    case "string":
    case "concatenated_string":
      return "string";
    case "tuple":
      return "tuple";
    case "list":
      return "list";
    case "dictionary":
      return "dict";
    case "set":
      return "set";
    default:
      return "number";
  }
}
