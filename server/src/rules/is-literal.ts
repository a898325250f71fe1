import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import { allComparisonLinks, linkRange, replaceOperator } from "../analysis/support/comparisons";
import { unparenthesize } from "../analysis/support/syntax";

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
  messages: {
    freshDisplay: {
      en: "`{operator}` compares identity, not value: a {kind} display builds a new object every time, so this is always {result}. Use `{replacement}` to compare values.",
      ko: "`{operator}`는 값이 아니라 객체의 동일성을 비교합니다. {kind} 표기는 매번 새 객체를 만들기 때문에 이 비교는 항상 {result}입니다. 값을 비교하려면 `{replacement}`를 쓰세요.",
      "zh-cn": "`{operator}` 比较的是对象身份，而不是值：{kind} 字面量每次都会创建新对象，所以结果总是 {result}。比较值请用 `{replacement}`。",
    },
    cachedValue: {
      en: "`{operator}` compares identity, not value: whether an equal {kind} is the same object depends on caching inside the interpreter. Use `{replacement}` to compare values.",
      ko: "`{operator}`는 값이 아니라 객체의 동일성을 비교합니다. 같은 값의 {kind}가 같은 객체인지는 인터프리터 내부 캐싱에 달려 있습니다. 값을 비교하려면 `{replacement}`를 쓰세요.",
      "zh-cn": "`{operator}` 比较的是对象身份，而不是值：相等的 {kind} 是否为同一个对象取决于解释器内部的缓存。比较值请用 `{replacement}`。",
    },
    fix: { en: "Use {replacement}", ko: "{replacement} 사용", "zh-cn": "改用 {replacement}" },
  },
  check(ctx) {
    const findings = [];
    for (const link of allComparisonLinks(ctx)) {
      const operator = link.operator.type;
      if (operator !== "is" && operator !== "is not") continue;
      const literal = isLiteral(link.right) ? link.right : isLiteral(link.left) ? link.left : undefined;
      if (!literal) continue;
      const replacement = operator === "is" ? "==" : "!=";
      const kind = describeLiteral(literal);
      const args = { operator, replacement, kind, result: operator === "is" ? "False" : "True" };
      const message = ctx.t(FRESH_DISPLAYS.has(kind) ? "freshDisplay" : "cachedValue", args);
      findings.push(ctx.finding(linkRange(link), message, replaceOperator(link, replacement, true, ctx.t("fix", args))));
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
