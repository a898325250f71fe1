import { Query, type Language, type Node, type Tree } from "web-tree-sitter";
import type { Rule } from "../rules/rule";
import { FileContext } from "./file-context";
import type { Finding } from "./finding";
import { RuleContext } from "./rule-context";
import { isSuppressed, suppressionsByRow } from "./suppression";
import type { Locale } from "../i18n/locale";

export interface RuleSelection {
  /** Codes (or prefixes such as "PYM0") to run; all rules when absent or empty. */
  select?: readonly string[];
  /** Codes (or prefixes) to skip; applied after select. */
  ignore?: readonly string[];
  /** The language of messages and fix titles; English when absent. */
  locale?: Locale;
}

export interface Analysis {
  findings: Finding[];
  /** The file's facts; its nodes belong to the analysed tree and die with it. */
  file: FileContext;
}

export type Logger = (message: string) => void;

/** Node types the engine itself needs, whatever the rules ask for. */
const ENGINE_NODE_TYPES = ["import_statement", "import_from_statement"];

/** Only comments that may hold a `# noqa` are captured: most comments never reach JavaScript. */
const NOQA_COMMENTS = '((comment) @noqa_comment (#match? @noqa_comment "[nN][oO][qQ][aA]"))';

/**
 * Runs rules over a tree. All rules share one tree-sitter query that captures every node type
 * any of them inspects, so analysis costs one pass however many rules there are.
 */
export class Analyzer {
  private readonly query: Query;
  private readonly failedRules = new Set<string>();

  constructor(
    language: Language,
    readonly rules: readonly Rule[],
    private readonly log: Logger = () => {},
  ) {
    const types = new Set([...ENGINE_NODE_TYPES, ...rules.flatMap((rule) => rule.nodeTypes)]);
    const patterns = [...types].map((type) => `(${type}) @${type}`);
    this.query = new Query(language, [NOQA_COMMENTS, ...patterns].join("\n"));
  }

  analyze(tree: Tree, text: string, selection: RuleSelection = {}): Analysis {
    const index = new Map<string, Node[]>();
    for (const { name, node } of this.query.captures(tree.rootNode)) {
      let bucket = index.get(name);
      if (!bucket) index.set(name, (bucket = []));
      bucket.push(node);
    }
    const file = new FileContext(tree.rootNode, (type) => index.get(type) ?? []);
    const suppressions = suppressionsByRow(index.get("noqa_comment") ?? []);
    const ruleNodes = errorFreeNodes(index);
    const memo = new Map<string, unknown>();
    const findings: Finding[] = [];
    for (const rule of this.rules) {
      if (!isSelected(rule.code, selection)) continue;
      const codes = [rule.code, ...(rule.equivalents ?? [])];
      try {
        for (const finding of rule.check(new RuleContext(tree, text, file, ruleNodes, rule, memo, selection.locale))) {
          if (!isSuppressed(suppressions, finding.range.start.row, codes)) findings.push(finding);
        }
      } catch (error) {
        // One broken rule must not take the others down; say so once per rule, not per keystroke.
        if (!this.failedRules.has(rule.code)) {
          this.failedRules.add(rule.code);
          this.log(`rule ${rule.code} (${rule.name}) failed and was skipped: ${describe(error)}`);
        }
      }
    }
    return { findings: findings.sort(compareFindings), file };
  }

  dispose(): void {
    this.query.delete();
  }
}

/**
 * Rules see only nodes without syntax errors inside: a half-typed statement is not yet a pitfall.
 * Filtered once per type and shared by every rule that asks.
 */
function errorFreeNodes(index: ReadonlyMap<string, Node[]>): (type: string) => readonly Node[] {
  const cache = new Map<string, readonly Node[]>();
  return (type) => {
    let nodes = cache.get(type);
    if (!nodes) cache.set(type, (nodes = (index.get(type) ?? []).filter((node) => !node.hasError)));
    return nodes;
  };
}

export function isSelected(code: string, { select, ignore }: RuleSelection): boolean {
  const matches = (pattern: string) => code.startsWith(pattern.toUpperCase());
  if (select && select.length > 0 && !select.some(matches)) return false;
  return !(ignore && ignore.some(matches));
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.row - b.range.start.row ||
    a.range.start.column - b.range.start.column ||
    a.code.localeCompare(b.code)
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
