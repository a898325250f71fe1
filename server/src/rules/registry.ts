import type { Rule } from "./rule";
import { isLiteralRule } from "./is-literal";
import { noneEqualityRule } from "./none-equality";
import { contextManagerNotCalledRule } from "./context-manager-not-called";
import { staticmethodNamesOwnClassRule } from "./staticmethod-names-own-class";

/** Every rule, in code order. Adding a rule is one line here. */
export const RULES: readonly Rule[] = [
  isLiteralRule,
  noneEqualityRule,
  contextManagerNotCalledRule,
  staticmethodNamesOwnClassRule,
];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code.toUpperCase());
}
