import type { Finding, Severity } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import type { LocalizedText } from "../i18n/locale";

export interface Rule {
  code: string;
  name: string;
  /** Id of the knowledge entry that explains the pitfall. */
  knowledge: string;
  severity: Severity;
  /**
   * Codes of the same check in other linters (Ruff, flake8, pylint). A `# noqa` naming one of
   * them silences this rule too, so code already reviewed for that linter is not flagged again.
   */
  equivalents?: readonly string[];
  /**
   * Node types the rule inspects. The engine collects all rules' types in one query over the
   * tree, so adding a rule adds no extra walk.
   */
  nodeTypes: readonly string[];
  /**
   * Every text the rule shows (finding messages, fix titles) by key, in every language, with
   * `{placeholder}`s; the rule picks one with `ctx.t(key, args)`. Code in backticks stays as is.
   */
  messages: Readonly<Record<string, LocalizedText>>;
  /**
   * Reports the rule's findings in one unit (`ctx.unit`): a run of top-level statements, a class's
   * own statements, or one method. Everything outside the unit comes through `ctx.model`, which
   * notes what was read, so the engine knows when the findings can be reused.
   */
  check(ctx: RuleContext): Finding[];
}
