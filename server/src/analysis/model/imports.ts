import type { Node } from "web-tree-sitter";

/** One name an import statement binds, and what it stands for. */
export interface ImportedName {
  /** The local name: `np` in `import numpy as np`, `*` for a wildcard import. */
  name: string;
  /**
   * The module or object it means: `numpy`, `os.path.join`. Undefined for a relative import
   * (`from . import x`), which names nothing this file can know.
   */
  target: string | undefined;
}

/**
 * The names an import statement binds: `import os.path` binds os -> os, `from a import b as c`
 * binds c -> a.b, `from . import x` binds x to nothing known.
 */
export function importedNames(statement: Node): ImportedName[] {
  const names: ImportedName[] = [];
  if (statement.type === "import_statement") {
    for (const item of statement.childrenForFieldName("name")) {
      if (item?.type === "dotted_name") {
        const first = item.namedChild(0)?.text;
        if (first) names.push({ name: first, target: first });
      } else if (item?.type === "aliased_import") {
        const module = item.childForFieldName("name")?.text;
        const alias = item.childForFieldName("alias")?.text;
        if (module && alias) names.push({ name: alias, target: module });
      }
    }
  } else if (statement.type === "import_from_statement") {
    const moduleNode = statement.childForFieldName("module_name");
    const module = moduleNode?.type === "dotted_name" ? moduleNode.text : undefined;
    for (const item of statement.childrenForFieldName("name")) {
      if (item?.type === "dotted_name") names.push({ name: item.text, target: module && `${module}.${item.text}` });
      else if (item?.type === "aliased_import") {
        const name = item.childForFieldName("name")?.text;
        const alias = item.childForFieldName("alias")?.text;
        if (name && alias) names.push({ name: alias, target: module && `${module}.${name}` });
      }
    }
    if (statement.namedChildren.some((child) => child?.type === "wildcard_import")) names.push({ name: "*", target: module });
  }
  return names;
}
