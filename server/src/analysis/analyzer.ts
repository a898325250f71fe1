import { Query, type Language, type Node, type Tree } from "web-tree-sitter";
import type { Rule } from "../rules/rule";
import type { PointRange } from "../parse/positions";
import type { Finding, Fix } from "./finding";
import { RuleContext } from "./rule-context";
import { fileUnits, lineOffsets, ownsRow, type ShapeCache, type Unit } from "./engine/units";

export { AnalysisCache };
import { ReadLog } from "./model/reads";
import { SemanticModel } from "./model/semantic-model";
import { AnalysisCache } from "./engine/analysis-cache";
import { changedKeys, type RuleResult } from "./engine/dependencies";
import { fileSuppression, isFileSuppressed, rowSuppression } from "./suppression";
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
  /** The file's semantic model; its nodes belong to the analysed tree and die with it. */
  model: SemanticModel;
}

export type Logger = (message: string) => void;

/**
 * Runs rules over a tree, one unit at a time (see `engine/units.ts`), with one semantic model
 * shared by every rule. All rules share one tree-sitter query that captures every node type any
 * of them inspects, so analysis costs one pass however many rules there are.
 *
 * There is one path: a whole-file analysis is an incremental one with an empty cache. A rule's
 * findings for a unit are reused while the unit's text is the same and every read the rule made
 * through the model (recorded in a `ReadLog`) still gives the same answer.
 */
export class Analyzer {
  private readonly query: Query;
  private readonly failedRules = new Set<string>();

  constructor(
    language: Language,
    readonly rules: readonly Rule[],
    private readonly log: Logger = () => {},
  ) {
    const types = new Set(rules.flatMap((rule) => rule.nodeTypes));
    this.query = new Query(language, [...types].map((type) => `(${type}) @${type}`).join("\n"));
  }

  /** The whole file at once: the checker's path (the same path as the editor's, with nothing to reuse). */
  analyze(tree: Tree, text: string, selection: RuleSelection = {}): Analysis {
    return this.analyzeIncremental(tree, text, selection, new AnalysisCache());
  }

  /**
   * The same result as `analyze`, reusing what `cache` holds from the last analysis of this
   * document: a keystroke inside one method re-analyses that method alone.
   */
  analyzeIncremental(tree: Tree, text: string, selection: RuleSelection, cache: AnalysisCache): Analysis {
    const rules = this.rules.filter((rule) => isSelected(rule.code, selection));
    const selectionKey = `${rules.map((rule) => rule.code).join(",")}|${selection.locale ?? ""}`;
    if (cache.selectionKey !== selectionKey) cache.reset(selectionKey);
    const root = tree.rootNode;
    const lineStarts = lineOffsets(text);
    const shapes: ShapeCache = new Map();
    const units = fileUnits(root, text, lineStarts, cache.shapes, shapes);
    cache.shapes = shapes;
    const { records, fresh, dropped } = cache.claim(units);
    const model = new SemanticModel(tree, text, lineStarts, units, records, cache.queries, cache.fold, { fresh, dropped });

    // What kept results can no longer be trusted: those that read a key whose answer changed.
    const dependencies = cache.dependencies;
    const changedClasses = new Map<number, Unit>();
    const classUnits = new Map(units.filter((unit) => unit.kind === "class").map((unit) => [unit.classId ?? -1, unit]));
    for (const index of fresh) {
      const id = units[index].classId;
      const unit = id === undefined ? undefined : classUnits.get(id);
      if (id !== undefined && unit) changedClasses.set(id, unit);
    }
    for (const record of dropped) {
      const unit = record.classId === undefined ? undefined : classUnits.get(record.classId);
      if (record.classId !== undefined && unit) changedClasses.set(record.classId, unit);
    }
    const changed = changedKeys(dependencies, model, cache.queries, { anyChange: fresh.length > 0 || dropped.length > 0, changedClasses, anyUnit: units[0] });
    const stale = dependencies.readersOf(changed);
    const pending = records.map((record) =>
      rules.filter((rule) => {
        const result = record.results.get(rule.code);
        return !result || result.reads.volatile || stale.has(result);
      }),
    );
    const pendingUnits = pending.filter((list) => list.length > 0).length;
    // Many units to analyse, as on a first open: one query over the file beats one per unit.
    const buckets = pendingUnits > units.length / 4 ? this.bucketByUnit(root, model, units) : undefined;

    const suppressionRows = new Map<number, ReturnType<typeof rowSuppression>>();
    const suppressionAt = (row: number) => {
      let suppression = suppressionRows.get(row);
      if (suppression === undefined) suppressionRows.set(row, (suppression = rowSuppression(tree, row, model.lineText(row))));
      return suppression;
    };
    const equivalents = new Map(rules.map((rule) => [rule.code, [rule.code, ...(rule.equivalents ?? [])]]));

    for (const [i, unit] of units.entries()) {
      if (pending[i].length === 0) continue;
      const index = buckets ? buckets[i] : this.capture(root, unit, model);
      const nodesOfType = errorFreeNodes(index);
      const memo = new Map<string, unknown>();
      for (const rule of pending[i]) {
        const reads = new ReadLog();
        let findings: Finding[] = [];
        try {
          const ctx = new RuleContext(model, unit, nodesOfType, rule, memo, selection.locale);
          findings = model.reading(unit, reads, () => rule.check(ctx));
        } catch (error) {
          this.reportFailure(rule, error);
        }
        const kept: Finding[] = [];
        const movedFixes = new Map<Fix, Fix>();
        for (const finding of findings) {
          // A finding or fix outside the unit's rows does not move with it: made afresh each time.
          if (!insideUnit(finding, unit)) reads.volatile = true;
          const suppression = model.reading(undefined, undefined, () => suppressionAt(finding.range.start.row));
          const codes = equivalents.get(rule.code) ?? [rule.code];
          if (suppression === "all" || (suppression && codes.some((code) => suppression.has(code)))) continue;
          kept.push(shiftFinding(finding, -unit.startRow, movedFixes));
        }
        const result: RuleResult = { findings: kept, reads };
        records[i].results.set(rule.code, result);
        if (!reads.volatile) dependencies.register(result, unit.classId);
      }
    }
    for (const record of model.queriesRun()) dependencies.registerQuery(record);
    if (dependencies.needsRebuild(records.reduce((sum, record) => sum + record.results.size, 0))) {
      dependencies.clear();
      for (const [result, classId] of cache.results()) if (!result.reads.volatile) dependencies.register(result, classId);
      for (const record of cache.queries.values()) dependencies.registerQuery(record);
    }

    const findings: Finding[] = [];
    for (const [i, unit] of units.entries()) {
      const movedFixes = new Map<Fix, Fix>();
      for (const rule of rules) for (const finding of records[i].results.get(rule.code)?.findings ?? []) findings.push(shiftFinding(finding, unit.startRow, movedFixes));
    }
    return { findings: this.fileWide(tree, findings).sort(compareFindings), model };
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

  /** One unit's captures: its rows, less its methods' for a class. */
  private capture(root: Node, unit: Unit, model: SemanticModel): Map<string, Node[]> {
    const index = new Map<string, Node[]>();
    const gaps: [number, number][] = [];
    let row = unit.startRow;
    for (const method of unit.methods ?? []) {
      if (method.startRow > row) gaps.push([row, method.startRow]);
      row = method.endRow;
    }
    if (unit.endRow > row) gaps.push([row, unit.endRow]);
    for (const [startRow, endRow] of gaps) {
      const range = { startPosition: { row: startRow, column: 0 }, endPosition: { row: endRow, column: 0 } };
      for (const { name, node } of this.query.captures(root, range)) {
        // The range also yields nodes that merely touch it; keep those that start inside.
        const start = node.startPosition.row;
        if (start < startRow || start >= endRow || (unit.methods && model.unitOf(node) !== unit)) continue;
        let bucket = index.get(name);
        if (!bucket) index.set(name, (bucket = []));
        bucket.push(node);
      }
    }
    return index;
  }

  /** One whole-file capture, split among the units. */
  private bucketByUnit(root: Node, model: SemanticModel, units: readonly Unit[]): Map<string, Node[]>[] {
    const buckets = units.map(() => new Map<string, Node[]>());
    for (const { name, node } of this.query.captures(root)) {
      const unit = model.unitOf(node);
      if (!unit) continue;
      const bucket = buckets[unit.index];
      let list = bucket.get(name);
      if (!list) bucket.set(name, (list = []));
      list.push(node);
    }
    return buckets;
  }

  private reportFailure(rule: Rule, error: unknown): void {
    // One broken rule must not take the others down; say so once per rule, not per keystroke.
    if (this.failedRules.has(rule.code)) return;
    this.failedRules.add(rule.code);
    this.log(`rule ${rule.code} (${rule.name}) failed and was skipped: ${describe(error)}`);
  }
}

function insideUnit(finding: Finding, unit: Unit): boolean {
  const inside = (range: PointRange) => ownsRow(unit, range.start.row) && (range.end.row === range.start.row || ownsRow(unit, range.end.row));
  return inside(finding.range) && (finding.fix?.edits ?? []).every((edit) => inside(edit.range));
}

/**
 * The finding moved by whole rows. Findings that shared one fix still share one after the move
 * (`fixes` maps each fix to its moved copy): the editor offers a shared fix once.
 */
function shiftFinding(finding: Finding, rows: number, fixes: Map<Fix, Fix>): Finding {
  if (rows === 0) return finding;
  const shift = (range: PointRange): PointRange => ({
    start: { row: range.start.row + rows, column: range.start.column },
    end: { row: range.end.row + rows, column: range.end.column },
  });
  const shifted: Finding = { ...finding, range: shift(finding.range) };
  const fix = finding.fix;
  if (fix) {
    let moved = fixes.get(fix);
    if (!moved) fixes.set(fix, (moved = { ...fix, edits: fix.edits.map((edit) => ({ ...edit, range: shift(edit.range) })) }));
    shifted.fix = moved;
  }
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
