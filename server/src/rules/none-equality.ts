import type { Rule } from "./rule";
import { allComparisonLinks, linkRange, replaceOperator, unparenthesize } from "./comparisons";

export const noneEqualityRule: Rule = {
  code: "PYM002",
  name: "none-equality",
  knowledge: "none-comparison",
  severity: "warning",
  equivalents: ["E711"],
  nodeTypes: ["comparison_operator"],
  check(ctx) {
    const findings = [];
    for (const link of allComparisonLinks(ctx)) {
      const operator = link.operator.type;
      if (operator !== "==" && operator !== "!=") continue;
      if (unparenthesize(link.left).type !== "none" && unparenthesize(link.right).type !== "none") continue;
      const replacement = operator === "==" ? "is" : "is not";
      const message = `\`${operator} None\` asks the object's \`__eq__\`, which a class may override; None is a singleton, so test it with \`${replacement} None\`.`;
      // Not safe for fix-all: some libraries overload == None on purpose (SQLAlchemy filters, NumPy arrays).
      findings.push(ctx.finding(linkRange(link), message, replaceOperator(link, replacement, false)));
    }
    return findings;
  },
};
