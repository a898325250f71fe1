import { ModuleFold } from "../model/module-fold";
import type { QueryRecord, UnitStore } from "../model/semantic-model";
import { Dependencies, type RuleResult } from "./dependencies";
import type { ShapeCache, Unit } from "./units";

/** What a unit keeps between analyses, under its key. */
export interface UnitRecord extends UnitStore {
  results: Map<string, RuleResult>;
  /** The id of the class skeleton the unit sits in (class and method units). */
  classId?: number;
}

/** The records of one analysis, and how they differ from the last one's. */
export interface Claim {
  records: UnitRecord[];
  /** Indexes of the units whose records are new. */
  fresh: number[];
  /** Records of the last analysis that no unit claimed. */
  dropped: UnitRecord[];
}

/** What one document keeps between analyses; owned by the caller, one per document. */
export class AnalysisCache {
  selectionKey: string | undefined;
  /** Records by kind and text; a method's also by its class's skeleton (its id in `classIds`). */
  private statements = new Map<string, UnitRecord[]>();
  private classes = new Map<string, UnitRecord[]>();
  private methods = new Map<number, Map<string, UnitRecord[]>>();
  /** Skeleton text -> a short id, so a method's key need not repeat its class's skeleton. */
  private classIds = new Map<string, number>();
  private nextClassId = 0;
  private nextSerial = 0;
  private live: UnitRecord[] = [];
  readonly queries = new Map<string, QueryRecord>();
  /** How each class statement split into units, by its run's text (see `fileUnits`). */
  shapes: ShapeCache = new Map();
  readonly fold = new ModuleFold<UnitStore>();
  readonly dependencies = new Dependencies();

  reset(selectionKey: string): void {
    this.selectionKey = selectionKey;
    this.statements.clear();
    this.classes.clear();
    this.methods.clear();
    this.classIds.clear();
    this.live = [];
    this.queries.clear();
    this.shapes.clear();
    this.fold.clear();
    this.dependencies.clear();
  }

  /** Every result kept, with its unit's class id: what the dependency index is rebuilt from. */
  *results(): Generator<[RuleResult, number | undefined]> {
    for (const record of this.live) for (const result of record.results.values()) yield [result, record.classId];
  }

  private shelf(unit: Unit, classId: number | undefined, methods: Map<number, Map<string, UnitRecord[]>>): Map<string, UnitRecord[]> {
    if (unit.kind === "statements") return this.statements;
    if (unit.kind === "class") return this.classes;
    let shelf = methods.get(classId ?? -1);
    if (!shelf) methods.set(classId ?? -1, (shelf = new Map()));
    return shelf;
  }

  /**
   * The record of each unit: the one kept under its key, or a new one (two units of one text get
   * one each). Records not claimed now are dropped: the cache holds the last analysis only.
   */
  claim(units: readonly Unit[]): Claim {
    const classIds = new Map<string, number>();
    const idOf = (unit: Unit): number | undefined => {
      const skeleton = unit.kind === "class" ? unit.text : unit.kind === "method" ? unit.owner?.text : undefined;
      if (skeleton === undefined) return undefined;
      let id = classIds.get(skeleton) ?? this.classIds.get(skeleton);
      if (id === undefined) id = this.nextClassId++;
      classIds.set(skeleton, id);
      return id;
    };
    const statements = new Map<string, UnitRecord[]>();
    const classes = new Map<string, UnitRecord[]>();
    const methods = new Map<number, Map<string, UnitRecord[]>>();
    const fresh: number[] = [];
    const records = units.map((unit, index) => {
      const classId = idOf(unit);
      unit.classId = classId;
      // A unit with syntax errors starts afresh every time, and is not kept (see `Unit.stable`).
      const kept = unit.stable ? this.shelf(unit, classId, this.methods).get(unit.text)?.shift() : undefined;
      const record: UnitRecord = kept ?? { facts: new Map(), results: new Map(), classId, serial: this.nextSerial++ };
      if (!kept) fresh.push(index);
      if (!unit.stable) return record;
      const shelf = unit.kind === "statements" ? statements : unit.kind === "class" ? classes : this.shelf(unit, classId, methods);
      const list = shelf.get(unit.text);
      if (list) list.push(record);
      else shelf.set(unit.text, [record]);
      return record;
    });
    const claimed = new Set(records);
    const dropped = this.live.filter((record) => !claimed.has(record));
    this.statements = statements;
    this.classes = classes;
    this.methods = methods;
    this.classIds = classIds;
    this.live = records;
    // Queries nobody reads any more go; a bound keeps a document that churns from growing without end.
    if (this.queries.size > 20_000) this.queries.clear();
    return { records, fresh, dropped };
  }
}
