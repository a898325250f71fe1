import { Query, type Language, type Node, type Tree } from "web-tree-sitter";
import type { Rule } from "../rules/rule";
import { FileContext, importBindings, type ImportBinding } from "./file-context";
import { chunkSummary, topLevelChunks, type Chunk } from "./chunks";
import type { PointRange } from "../parse/positions";
import type { Finding } from "./finding";
import { RuleContext, TOP_LEVEL_STATEMENT } from "./rule-context";
import { moduleBindingEvents, seedModuleBindings, type ModuleBindingEvents } from "./scopes";
import { fileSuppression, isFileSuppressed, isSuppressed, suppressionsByRow } from "./suppression";
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

/** The module's own statements (of the part being analysed), for rules that summarise a part of the file. */
const TOP_LEVEL = `(module (_) @${TOP_LEVEL_STATEMENT})`;

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
    this.query = new Query(language, [NOQA_COMMENTS, TOP_LEVEL, ...patterns].join("\n"));
  }

  /** The whole file at once: the checker's path, and the reference the incremental path must equal. */
  analyze(tree: Tree, text: string, selection: RuleSelection = {}): Analysis {
    const index = this.capture(tree.rootNode);
    const file = new FileContext(tree.rootNode, importBindings(importStatements(index)));
    const summaries = this.ruleSummaries(tree, text, file, index, selection);
    const findings = this.runRules(tree, text, file, index, selection, (code) => [summaries.get(code) ?? ""]);
    return { findings: this.fileWide(tree, findings).sort(compareFindings), file };
  }

  /**
   * The same result as `analyze`, reusing the findings of top-level chunks whose text did not
   * change since the last call with this cache, as long as nothing they may depend on changed
   * either: the imports, what other chunks bind and declare (`chunkSummary`), and what rules
   * read across chunks (`Rule.summarize`). A keystroke inside one function re-analyses that
   * function alone.
   */
  analyzeIncremental(tree: Tree, text: string, selection: RuleSelection, cache: ChunkCache): Analysis {
    const root = tree.rootNode;
    const chunks = topLevelChunks(root, text.split("\n"));
    const selectionKey = `${this.rules.map((rule) => (isSelected(rule.code, selection) ? rule.code : "")).join(",")}|${selection.locale ?? ""}`;
    // One record per chunk, copied so that two chunks with the same text never share captures.
    const records: ChunkRecord[] = chunks.map((chunk) => ({ ...(cache.records.get(chunk.text) ?? { text: chunk.text }) }));
    let buckets: Map<string, Node[]>[] | undefined;
    let manyPending = records.filter((record) => record.imports === undefined).length > chunks.length / 4;
    // Many chunks to (re)analyse, as on a first open: one query over the file beats one per chunk.
    const indexOf = (i: number): Map<string, Node[]> => {
      if (records[i].index) return records[i].index;
      if (manyPending) buckets ??= bucketByChunk(this.capture(root), chunks);
      return (records[i].index = buckets ? buckets[i] : this.capture(root, chunks[i]));
    };
    for (const [i, record] of records.entries()) {
      record.imports ??= importBindings(importStatements(indexOf(i)));
      record.summary ??= chunkSummary(chunks[i]);
      record.moduleBindings ??= moduleBindingEvents(chunks[i].nodes);
    }
    // The module's bindings from the chunks' (mostly reused) parts, instead of a walk of the file.
    seedModuleBindings(root, records.map((record, i) => ({ events: record.moduleBindings as ModuleBindingEvents, statements: chunks[i].nodes })));
    const file = new FileContext(root, records.flatMap((record) => record.imports ?? []));
    const environment = [selectionKey, ...records.map((record) => `${JSON.stringify(record.imports)}\u0000${record.summary}`)].join("\u0001");
    if (environment !== cache.environment) {
      // Imports or module-level facts changed: nothing computed before can be trusted.
      for (const record of records) record.ruleSummaries = record.findings = undefined;
      cache.environment = environment;
      manyPending = true;
    }
    for (const [i, record] of records.entries()) record.ruleSummaries ??= this.ruleSummaries(tree, text, file, indexOf(i), selection);
    const ruleKey = records.map((record) => [...(record.ruleSummaries ?? [])].join("\u0002")).join("\u0001");
    // Computed once per rule and analysis: every chunk's check may ask.
    const summaryLists = new Map<string, readonly string[]>();
    const summariesOf = (code: string) => {
      let list = summaryLists.get(code);
      if (!list) summaryLists.set(code, (list = records.map((record) => record.ruleSummaries?.get(code) ?? "")));
      return list;
    };
    if (records.filter((record) => record.ruleKey !== ruleKey).length > chunks.length / 4) manyPending = true;
    const findings: Finding[] = [];
    for (const [i, record] of records.entries()) {
      if (record.findings === undefined || record.ruleKey !== ruleKey || record.reachesOut) {
        const chunkFindings = this.runRules(tree, text, file, indexOf(i), selection, summariesOf);
        record.findings = chunkFindings.map((finding) => shiftFinding(finding, -chunks[i].startRow));
        record.ruleKey = ruleKey;
        // A fix that edits elsewhere (an import at the top, a guard around several statements)
        // does not move with this chunk: such findings are made afresh every time.
        record.reachesOut = chunkFindings.some((finding) => !insideChunk(finding, chunks[i]));
      }
      for (const finding of record.findings) findings.push(shiftFinding(finding, chunks[i].startRow));
      // Nodes belong to this tree, which the next edit replaces: never keep them.
      record.index = undefined;
    }
    cache.records = new Map(records.map((record) => [record.text, record]));
    return { findings: this.fileWide(tree, findings).sort(compareFindings), file };
  }

  dispose(): void {
    this.query.delete();
  }

  /** Drops what `# python-mentor: disable=...` in the file's header turns off. */
  private fileWide(tree: Tree, findings: Finding[]): Finding[] {
    const suppression = fileSuppression(tree.rootNode);
    if (!suppression) return findings;
    const equivalents = new Map(this.rules.map((rule) => [rule.code, [rule.code, ...(rule.equivalents ?? [])]]));
    return findings.filter((finding) => !isFileSuppressed(suppression, equivalents.get(finding.code) ?? [finding.code]));
  }

  private capture(root: Node, chunk?: Chunk): Map<string, Node[]> {
    const index = new Map<string, Node[]>();
    const range = chunk ? { startPosition: { row: chunk.startRow, column: 0 }, endPosition: { row: chunk.endRow, column: 0 } } : undefined;
    for (const { name, node } of this.query.captures(root, range)) {
      // The range also yields nodes that merely touch it; keep those that start inside.
      if (chunk && (node.startPosition.row < chunk.startRow || node.startPosition.row >= chunk.endRow)) continue;
      let bucket = index.get(name);
      if (!bucket) index.set(name, (bucket = []));
      bucket.push(node);
    }
    return index;
  }

  private runRules(
    tree: Tree,
    text: string,
    file: FileContext,
    index: ReadonlyMap<string, Node[]>,
    selection: RuleSelection,
    summariesOf: (code: string) => readonly string[],
  ): Finding[] {
    const suppressions = suppressionsByRow(index.get("noqa_comment") ?? []);
    const ruleNodes = errorFreeNodes(index);
    const memo = new Map<string, unknown>();
    const findings: Finding[] = [];
    for (const rule of this.rules) {
      if (!isSelected(rule.code, selection)) continue;
      const codes = [rule.code, ...(rule.equivalents ?? [])];
      try {
        const ctx = new RuleContext(tree, text, file, ruleNodes, rule, memo, selection.locale, () => summariesOf(rule.code));
        for (const finding of rule.check(ctx)) {
          if (!isSuppressed(suppressions, finding.range.start.row, codes)) findings.push(finding);
        }
      } catch (error) {
        this.reportFailure(rule, error);
      }
    }
    return findings;
  }

  /** What the selected rules find in this part of the file on behalf of the others, by rule code. */
  private ruleSummaries(tree: Tree, text: string, file: FileContext, index: ReadonlyMap<string, Node[]>, selection: RuleSelection): Map<string, string> {
    const ruleNodes = errorFreeNodes(index);
    const memo = new Map<string, unknown>();
    const summaries = new Map<string, string>();
    for (const rule of this.rules) {
      if (!rule.summarize || !isSelected(rule.code, selection)) continue;
      try {
        summaries.set(rule.code, rule.summarize(new RuleContext(tree, text, file, ruleNodes, rule, memo, selection.locale)));
      } catch (error) {
        this.reportFailure(rule, error);
      }
    }
    return summaries;
  }

  private reportFailure(rule: Rule, error: unknown): void {
    // One broken rule must not take the others down; say so once per rule, not per keystroke.
    if (this.failedRules.has(rule.code)) return;
    this.failedRules.add(rule.code);
    this.log(`rule ${rule.code} (${rule.name}) failed and was skipped: ${describe(error)}`);
  }
}

/** What one document keeps between incremental analyses; owned by the caller, one per document. */
export class ChunkCache {
  environment: string | undefined;
  records = new Map<string, ChunkRecord>();
}

interface ChunkRecord {
  text: string;
  imports?: ImportBinding[];
  summary?: string;
  /** What the chunk's statements bind at module level. */
  moduleBindings?: ModuleBindingEvents;
  ruleSummaries?: Map<string, string>;
  /** Findings with rows relative to the chunk's first row, and the rule key they were made under. */
  findings?: Finding[];
  ruleKey?: string;
  /** Some finding's range or fix lies outside the chunk, so the findings cannot be reused. */
  reachesOut?: boolean;
  /** This analysis's captures in the chunk; dropped before returning. */
  index?: Map<string, Node[]>;
}

function importStatements(index: ReadonlyMap<string, Node[]>): Node[] {
  return [...(index.get("import_statement") ?? []), ...(index.get("import_from_statement") ?? [])].sort((a, b) => a.startIndex - b.startIndex);
}

/** Splits one whole-file capture into the chunks' captures (chunks are sorted and cover every row). */
function bucketByChunk(index: ReadonlyMap<string, Node[]>, chunks: readonly Chunk[]): Map<string, Node[]>[] {
  const buckets = chunks.map(() => new Map<string, Node[]>());
  for (const [name, nodes] of index) {
    for (const node of nodes) {
      const row = node.startPosition.row;
      let low = 0;
      let high = chunks.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (chunks[middle].startRow <= row) low = middle;
        else high = middle - 1;
      }
      const bucket = buckets[low];
      let list = bucket.get(name);
      if (!list) bucket.set(name, (list = []));
      list.push(node);
    }
  }
  return buckets;
}

function insideChunk(finding: Finding, chunk: Chunk): boolean {
  const inside = (range: PointRange) => range.start.row >= chunk.startRow && range.end.row < chunk.endRow;
  return inside(finding.range) && (finding.fix?.edits ?? []).every((edit) => inside(edit.range));
}

function shiftFinding(finding: Finding, rows: number): Finding {
  if (rows === 0) return finding;
  const shift = (range: PointRange): PointRange => ({
    start: { row: range.start.row + rows, column: range.start.column },
    end: { row: range.end.row + rows, column: range.end.column },
  });
  const shifted: Finding = { ...finding, range: shift(finding.range) };
  if (finding.fix) shifted.fix = { ...finding.fix, edits: finding.fix.edits.map((edit) => ({ ...edit, range: shift(edit.range) })) };
  return shifted;
}


/**
 * Rules see only nodes without syntax errors inside: a half-typed statement is not yet a pitfall.
 * Filtered once per type and shared by every rule that asks.
 */
function errorFreeNodes(index: ReadonlyMap<string, Node[]>): (type: string) => readonly Node[] {
  const cache = new Map<string, readonly Node[]>();
  return (type) => {
    let nodes = cache.get(type);
    // Top-level statements come as they are: a rule summarising the file must see all of it.
    if (!nodes) cache.set(type, (nodes = type === TOP_LEVEL_STATEMENT ? (index.get(type) ?? []) : (index.get(type) ?? []).filter((node) => !node.hasError)));
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
