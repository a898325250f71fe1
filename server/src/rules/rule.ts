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
  check(ctx: RuleContext): Finding[];
  /**
   * For rules that read other top-level statements than the one they report in, beyond what the
   * engine already tracks (imports, names bound at module level, def and class headers): a
   * string that changes whenever what they read in `ctx.nodes(...)` of this chunk changes (say,
   * whether each function here is pure computation). Incremental analysis re-runs every chunk when
   * any chunk's summary changes.
   */
  summarize?(ctx: RuleContext): string;
}
