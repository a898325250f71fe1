import { defineFact, type UnitFact } from "./facts";
import { importedNames } from "./imports";
import type { ModuleBind } from "./module-fold";
import { Scope } from "./scope";
import { buildScopes } from "./scope-builder";

export const MODULE_BINDS = "model:module-binds";

/** The facts the model itself keeps per unit: what the unit binds at module level. */
export const MODULE_BINDS_FACT: UnitFact<ModuleBind[]> = defineFact(MODULE_BINDS, (nodes, unit) => {
  if (unit.kind === "method") return [];
  const root = nodes[0]?.tree.rootNode;
  if (!root) return [];
  const scratch = new Scope("module", root, undefined);
  const skip = new Set(unit.holes.map((hole) => hole.start));
  buildScopes(nodes, scratch, { bindInStart: true, skip, scopes: new Map(), shallow: true });
  const binds: ModuleBind[] = [];
  for (const name of scratch.names()) {
    for (const binding of scratch.bindingsOf(name)) binds.push([name, binding.kind, binding.qualified ?? null]);
  }
  return binds;
});

/** What the import statements anywhere in a unit (functions included) name. */
export const UNIT_IMPORTS_FACT: UnitFact<string[]> = defineFact("model:unit-imports", (nodes) => {
  const targets: string[] = [];
  for (const top of nodes) {
    // Most units import nothing: their text says so without a search of the tree.
    if (!top.text.includes("import")) continue;
    for (const statement of top.descendantsOfType(["import_statement", "import_from_statement"])) {
      if (statement) for (const { target } of importedNames(statement)) if (target) targets.push(target);
    }
    if (top.type === "import_statement" || top.type === "import_from_statement") for (const { target } of importedNames(top)) if (target) targets.push(target);
  }
  return targets;
});

