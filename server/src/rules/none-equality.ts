import type { Rule } from "./rule";
import { allComparisonLinks, linkRange, replaceOperator } from "../analysis/support/comparisons";
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
      if (unparenthesize(link.left).type !== "none" && unparenthesize(link.right).type !== "none") continue;
      const replacement = operator === "==" ? "is" : "is not";
      const args = { operator, replacement };
      // Not safe for fix-all: some libraries overload == None on purpose (SQLAlchemy filters, NumPy arrays).
      findings.push(ctx.finding(linkRange(link), ctx.t("message", args), replaceOperator(link, replacement, false, ctx.t("fix", args))));
    }
    return findings;
  },
};
