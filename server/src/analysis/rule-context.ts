import type { Node } from "web-tree-sitter";
import type { Finding, Fix, Severity } from "./finding";
import type { PointRange } from "../parse/positions";
import type { SemanticModel } from "./model/semantic-model";
import type { Unit } from "./engine/units";
import { fillTemplate, type Locale, type LocalizedText } from "../i18n/locale";

/** What the context needs to know of the rule it serves (the rule's own type lives in `rules/`). */
export interface RuleIdentity {
  code: string;
  name: string;
  knowledge: string;
  severity: Severity;
  messages: Readonly<Record<string, LocalizedText>>;
}

/**
 * What a rule sees while it checks one unit: that unit's nodes (by type, from the engine's one
 * shared query), the semantic model for everything else, and a way to report.
 */
export class RuleContext {
  constructor(
    readonly model: SemanticModel,
    readonly unit: Unit,
    private readonly nodesOfType: (type: string) => readonly Node[],
    private readonly rule: RuleIdentity,
    private readonly memo: Map<string, unknown>,
    readonly locale: Locale = "en",
  ) {}

  /** The rule's message `key` in the analysis language, placeholders filled. */
  t(key: string, args: Readonly<Record<string, string>> = {}): string {
    const text = this.rule.messages[key];
    if (!text) throw new Error(`rule ${this.rule.code} has no message "${key}"`);
    return fillTemplate(text[this.locale] || text.en, args);
  }

  /**
   * A value computed once per unit and analysis and shared by every rule that asks under the
   * same key, so two rules that need the same derived facts (say, comparison links) pay once.
   */
  shared<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** Every error-free node of this type in the unit, in document order (the type must be in `rule.nodeTypes`). */
  nodes(type: string): readonly Node[] {
    return this.nodesOfType(type);
  }

  /** The file's newline, for fixes that write lines. */
  get newline(): string {
    return this.model.newline;
  }

  /** The text of one row up to its "\n" (see `SemanticModel.lineText`; a row outside the unit makes the result volatile). */
  line(row: number): string {
    return this.model.lineText(row);
  }

  /**
   * A finding of this rule. `quieter` lowers its voice to information, for a case the rule cannot tell
   * apart from correct code; the editor then shows it less loudly than a warning, and the rule's entry
   * says when that happens. A severity the user configured for the rule still wins.
   */
  finding(at: Node | PointRange, message: string, fix?: Fix, options?: { quieter?: boolean }): Finding {
    const range = "startPosition" in at ? nodeRange(at) : at;
    const finding: Finding = {
      code: this.rule.code,
      name: this.rule.name,
      message,
      severity: options?.quieter ? "info" : this.rule.severity,
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
