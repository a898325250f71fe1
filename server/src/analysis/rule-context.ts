import type { Node, Tree } from "web-tree-sitter";
import type { Rule } from "../rules/rule";
import type { FileContext } from "./file-context";
import type { Finding, Fix } from "./finding";
import type { PointRange } from "../parse/positions";
import { fillTemplate, type Locale } from "../i18n/locale";

/** The capture name of module-level statements in the shared query (no node type has this name). */
export const TOP_LEVEL_STATEMENT = "top_level_statement";

/** What a rule sees: the tree, the file's facts, the shared node index, and a way to report. */
export class RuleContext {
  constructor(
    readonly tree: Tree,
    readonly text: string,
    readonly file: FileContext,
    private readonly nodesOfType: (type: string) => readonly Node[],
    private readonly rule: Rule,
    private readonly memo: Map<string, unknown>,
    readonly locale: Locale = "en",
    private readonly ruleSummaries: () => readonly string[] = () => [],
  ) {}

  /** This rule's `summarize` results for every part of the file (see `Rule.summarize`). */
  summaries(): readonly string[] {
    return this.ruleSummaries();
  }

  /** The rule's message `key` in the analysis language, placeholders filled. */
  t(key: string, args: Readonly<Record<string, string>> = {}): string {
    const text = this.rule.messages[key];
    if (!text) throw new Error(`rule ${this.rule.code} has no message "${key}"`);
    return fillTemplate(text[this.locale] || text.en, args);
  }

  /**
   * A value computed once per analysis and shared by every rule that asks under the same key,
   * so two rules that need the same derived facts (say, comparison links) pay for them once.
   */
  shared<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** Every error-free node of this type, in document order (the type must be in `rule.nodeTypes`). */
  nodes(type: string): readonly Node[] {
    return this.nodesOfType(type);
  }

  /**
   * The module-level statements of the part of the file being analysed (all of them in a
   * whole-file analysis, one chunk's in an incremental one), errors and all. What `summarize`
   * walks when a rule must know about code in other functions' bodies.
   */
  topLevelStatements(): readonly Node[] {
    return this.nodesOfType(TOP_LEVEL_STATEMENT);
  }

  finding(at: Node | PointRange, message: string, fix?: Fix): Finding {
    const range = "startPosition" in at ? nodeRange(at) : at;
    const finding: Finding = {
      code: this.rule.code,
      name: this.rule.name,
      message,
      severity: this.rule.severity,
      range,
      knowledge: this.rule.knowledge,
    };
    if (fix) finding.fix = fix;
    return finding;
  }
}

export function nodeRange(node: Node): PointRange {
  return { start: node.startPosition, end: node.endPosition };
}
