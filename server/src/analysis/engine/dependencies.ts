import type { Finding } from "../finding";
import { isClassRelative, type ReadLog } from "../model/reads";
import type { QueryRecord, SemanticModel } from "../model/semantic-model";
import type { Unit } from "./units";

/** What one rule found in one unit (rows relative to the unit's first row), and what it read to find it. */
export interface RuleResult {
  findings: Finding[];
  reads: ReadLog;
}

/** A read key as the engine files it: class-relative keys carry the class they were read in. */
export function contextual(key: string, classId: number | undefined): string {
  return isClassRelative(key) ? `${key}\u0000${classId ?? -1}` : key;
}

/**
 * Which kept results read which keys, and what each key gave when last read: the reverse of
 * every `ReadLog`, so that an edit finds the results it invalidates from the keys it changed,
 * without going through every result in the file.
 */
export class Dependencies {
  /** Contextual key -> its fingerprint as of the last analysis. */
  readonly last = new Map<string, string>();
  private readonly readers = new Map<string, Set<RuleResult>>();
  /** Keys by what changes them (see `changedKeys`). */
  readonly fileWide = new Set<string>();
  readonly queries = new Set<string>();
  readonly byClass = new Map<number, Set<string>>();
  private registered = 0;

  register(result: RuleResult, classId: number | undefined): void {
    for (const [key, fingerprint] of result.reads.reads) {
      const filed = this.file(key, fingerprint, classId);
      let readers = this.readers.get(filed);
      if (!readers) this.readers.set(filed, (readers = new Set()));
      readers.add(result);
      this.registered++;
    }
  }

  /** A query's own reads: they decide when its value must be looked at again. */
  registerQuery(record: QueryRecord): void {
    for (const [key, fingerprint] of record.reads.reads) this.file(key, fingerprint, undefined);
  }

  private file(key: string, fingerprint: string, classId: number | undefined): string {
    const filed = contextual(key, classId);
    this.last.set(filed, fingerprint);
    if (key.startsWith("q:")) this.queries.add(filed);
    else if (isClassRelative(key)) {
      let keys = this.byClass.get(classId ?? -1);
      if (!keys) this.byClass.set(classId ?? -1, (keys = new Set()));
      keys.add(filed);
    } else if (!/^(name|def|sites|members):/.test(key)) this.fileWide.add(filed);
    return filed;
  }

  readersOf(keys: Iterable<string>): Set<RuleResult> {
    const found = new Set<RuleResult>();
    for (const key of keys) for (const result of this.readers.get(key) ?? []) found.add(result);
    return found;
  }

  /** Results replaced since they were filed stay in the sets; past a bound the index is rebuilt from the live ones. */
  needsRebuild(liveReads: number): boolean {
    return this.registered > 4 * liveReads + 10_000;
  }

  clear(): void {
    this.last.clear();
    this.readers.clear();
    this.fileWide.clear();
    this.queries.clear();
    this.byClass.clear();
    this.registered = 0;
  }
}

/**
 * The keys whose fingerprint differs from the last analysis's, found from what changed: the
 * names bound by units that came or went, the file-wide folds when any unit did, the classes
 * whose units changed, and the queries whose own reads changed. `last` is brought up to date.
 */
export function changedKeys(
  dependencies: Dependencies,
  model: SemanticModel,
  queries: ReadonlyMap<string, QueryRecord>,
  options: { anyChange: boolean; changedClasses: ReadonlyMap<number, Unit>; anyUnit: Unit | undefined },
): Set<string> {
  const changed = new Set<string>();
  const { last } = dependencies;
  const check = (filed: string, key: string, unit: Unit | undefined): void => {
    if (!unit) return;
    const fingerprint = model.fingerprint(key, unit);
    if (last.get(filed) === fingerprint) return;
    last.set(filed, fingerprint);
    changed.add(filed);
  };
  const anyUnit = options.anyUnit;
  for (const name of model.changedNames) {
    for (const kind of ["name", "def", "sites", "members"]) {
      const key = `${kind}:${name}`;
      if (last.has(key)) check(key, key, anyUnit);
    }
  }
  for (const key of dependencies.fileWide) if (options.anyChange || key === "newline") check(key, key, anyUnit);
  for (const [classId, unit] of options.changedClasses) {
    for (const filed of dependencies.byClass.get(classId) ?? []) check(filed, filed.slice(0, filed.indexOf("\u0000")), unit);
  }
  // Queries last: their value depends on keys above, and on other queries.
  for (let grew = true; grew; ) {
    grew = false;
    for (const key of dependencies.queries) {
      if (changed.has(key)) continue;
      const record = queries.get(key.slice(2));
      const touched = !record || [...record.reads.reads.keys()].some((read) => changed.has(read) || (read.startsWith("q:") && !queries.has(read.slice(2))));
      if (!touched) continue;
      check(key, key, anyUnit);
      if (changed.has(key)) grew = true;
    }
  }
  return changed;
}
