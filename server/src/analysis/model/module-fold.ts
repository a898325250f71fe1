import type { BindingKind } from "./scope";

/** What a unit binds at module level, in order, each name's bindings together (a unit fact). */
export type ModuleBind = [name: string, kind: BindingKind, qualified: string | null];

/** One module-level binding of a name, as one unit's facts give it. */
export interface FoldedBinding {
  kind: BindingKind;
  qualified: string | null;
  /** The unit's index in this analysis. */
  unit: number;
  /** Which of that unit's bindings of the name this is (a unit may bind it twice, even the same way). */
  nth: number;
}

interface Entry<Store> {
  kind: BindingKind;
  qualified: string | null;
  store: Store;
  nth: number;
}

/**
 * The module's bindings, folded from every unit's facts and kept between analyses: each analysis
 * takes out the units that went and adds the new ones, so a keystroke costs what the edited unit
 * binds, not what the file binds. `Store` is whatever identifies a unit's kept record.
 */
export class ModuleFold<Store> {
  private readonly byName = new Map<string, Entry<Store>[]>();
  /** The names some import binds, so the imports are found without going through every name. */
  private readonly imported = new Map<string, number>();

  /** Takes out `removed` units' bindings and adds `added`'s; returns every name whose bindings changed. */
  update(removed: readonly { store: Store; binds: readonly ModuleBind[] }[], added: readonly { store: Store; binds: readonly ModuleBind[] }[]): Set<string> {
    const changed = new Set<string>();
    for (const { store, binds } of removed) {
      for (const [name, kind] of binds) {
        changed.add(name);
        if (kind === "import") this.countImport(name, -1);
        const list = this.byName.get(name)?.filter((entry) => entry.store !== store) ?? [];
        if (list.length > 0) this.byName.set(name, list);
        else this.byName.delete(name);
      }
    }
    for (const { store, binds } of added) {
      let nth = 0;
      let previous = "";
      for (const [name, kind, qualified] of binds) {
        nth = name === previous ? nth + 1 : 0;
        previous = name;
        changed.add(name);
        if (kind === "import") this.countImport(name, 1);
        let list = this.byName.get(name);
        if (!list) this.byName.set(name, (list = []));
        list.push({ kind, qualified, store, nth });
      }
    }
    return changed;
  }

  /** A name's bindings in file order, given where each unit sits in this analysis. */
  get(name: string, indexOf: ReadonlyMap<Store, number>): FoldedBinding[] {
    const list = this.byName.get(name);
    if (!list) return [];
    const entries = list.map(({ kind, qualified, store, nth }) => ({ kind, qualified, unit: indexOf.get(store) ?? -1, nth }));
    return entries.sort((a, b) => a.unit - b.unit || a.nth - b.nth);
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  clear(): void {
    this.byName.clear();
    this.imported.clear();
  }

  importNames(): IterableIterator<string> {
    return this.imported.keys();
  }

  private countImport(name: string, by: number): void {
    const count = (this.imported.get(name) ?? 0) + by;
    if (count > 0) this.imported.set(name, count);
    else this.imported.delete(name);
  }
}
