import type { Rule } from "./rule";
import { comparisonLinks, linkRange, unparenthesize } from "./comparisons";

export const noneEqualityRule: Rule = {
  code: "PYM002",
  name: "none-equality",
  knowledge: "none-comparison",
  severity: "warning",
  nodeTypes: ["comparison_operator"],
  check(ctx) {
    const findings = [];
    for (const comparison of ctx.nodes("comparison_operator")) {
      for (const link of comparisonLinks(comparison)) {
        const operator = link.operator.type;
        if (operator !== "==" && operator !== "!=") continue;
        if (unparenthesize(link.left).type !== "none" && unparenthesize(link.right).type !== "none") continue;
        const replacement = operator === "==" ? "is" : "is not";
        findings.push(
          ctx.finding(
            linkRange(link),
            `\`${operator} None\` asks the object's \`__eq__\`, which a class may override; None is a singleton, so test it with \`${replacement} None\`.`,
            {
              title: `Use ${replacement}`,
              edits: [{ range: { start: link.operator.startPosition, end: link.operator.endPosition }, newText: replacement }],
              // Not for fix-all: some libraries overload == None on purpose (SQLAlchemy filters, numpy).
              safe: false,
            },
          ),
        );
      }
    }
    return findings;
  },
};
