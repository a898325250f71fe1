import type { Rule } from "./rule";
import { isLiteralRule } from "./is-literal";
import { noneEqualityRule } from "./none-equality";
import { contextManagerNotCalledRule } from "./context-manager-not-called";
import { staticmethodNamesOwnClassRule } from "./staticmethod-names-own-class";
import { coroutineNotAwaitedRule } from "./coroutine-not-awaited";
import { exitSwallowsExceptionsRule } from "./exit-swallows-exceptions";
import { getattributeSelfAccessRule } from "./getattribute-self-access";
import { gatherNeedsUnpackingRule } from "./gather-needs-unpacking";
import { decoratorWithoutWrapsRule } from "./decorator-without-wraps";
import { silentExceptRule } from "./silent-except";
import { sharedClassAttributeRule } from "./shared-class-attribute";
import { iterReturnsNonIteratorRule } from "./iter-returns-non-iterator";
import { listUsedAsQueueRule } from "./list-used-as-queue";
import { openWithoutWithRule } from "./open-without-with";
import { sharedReferenceRepetitionRule } from "./shared-reference-repetition";
import { mutableDefaultArgumentRule } from "./mutable-default-argument";
import { cpuBoundInThreadRule } from "./cpu-bound-in-thread";
import { blockingCallInAsyncRule } from "./blocking-call-in-async";
import { processWithoutMainGuardRule } from "./process-without-main-guard";
import { requestsWithoutSessionRule } from "./requests-without-session";

/** Every rule, sorted by code. Adding a rule is an import and one line in the list. */
export const RULES: readonly Rule[] = [
  isLiteralRule,
  noneEqualityRule,
  contextManagerNotCalledRule,
  staticmethodNamesOwnClassRule,
  coroutineNotAwaitedRule,
  exitSwallowsExceptionsRule,
  getattributeSelfAccessRule,
  gatherNeedsUnpackingRule,
  decoratorWithoutWrapsRule,
  silentExceptRule,
  sharedClassAttributeRule,
  iterReturnsNonIteratorRule,
  listUsedAsQueueRule,
  openWithoutWithRule,
  sharedReferenceRepetitionRule,
  mutableDefaultArgumentRule,
  cpuBoundInThreadRule,
  blockingCallInAsyncRule,
  processWithoutMainGuardRule,
  requestsWithoutSessionRule,
  // new rules: one line each, above this comment (the list is sorted below)
].sort((a, b) => a.code.localeCompare(b.code));

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code.toUpperCase());
}
