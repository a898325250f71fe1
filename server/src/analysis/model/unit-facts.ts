import type { Node } from "web-tree-sitter";
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
  const add = (statement: Node) => {
    for (const { target } of importedNames(statement)) if (target) targets.push(target);
  };
  for (const top of nodes) {
    // Every import statement holds the keyword as a word of its own: most units have none, and
    // the rest mostly have it in docstrings and comments.
    const text = top.text;
    if (!IMPORT_WORD.test(text)) continue;
    if (top.hasError) {
      // Recovery may leave an import statement whose keyword is missing from the text: search it all.
      for (const statement of top.descendantsOfType(IMPORT_TYPES)) if (statement) add(statement);
      continue;
    }
    // Only where the word stands is there a statement to look at, found inside the WebAssembly
    // rather than by a search of the whole unit.
    for (const match of text.matchAll(IMPORT_WORDS)) {
      const at = top.startIndex + match.index;
      const keyword = top.descendantForIndex(at, at + "import".length);
      const statement = keyword?.type === "import" ? keyword.parent : null;
      if (statement && IMPORT_TYPES.includes(statement.type)) add(statement);
    }
  }
  return targets;
});

const IMPORT_TYPES = ["import_statement", "import_from_statement"];
const IMPORT_WORD = /\bimport\b/;
const IMPORT_WORDS = /\bimport\b/g;
