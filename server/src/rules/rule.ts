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
   * For rules that need facts from the whole file beyond what the engine tracks (imports, names
   * bound at module level, def and class headers): the facts found in `ctx.nodes(...)`, as a
   * string (say, the names used as decorators, or which functions are pure computation). `check`
   * reads every part of the file's through `ctx.summaries()`: one string per top-level chunk in
   * the server's incremental analysis, one for the whole file in the checker. When any chunk's
   * summary changes, every chunk is analysed again.
   */
  summarize?(ctx: RuleContext): string;
}
