import type { Node } from "web-tree-sitter";
import type { TextEdit } from "../finding";
import type { SemanticModel } from "../model/semantic-model";

export interface NameReference {
  /** The text that names the module or object at `at`: `asyncio`, `aio`, `ProcessPoolExecutor`. */
  text: string;
  /** An edit that adds the import when the file does not have one yet. */
  importEdit?: TextEdit;
}

/**
 * How code at `at` can refer to `target` (a module such as `asyncio`, or an object such as
 * `concurrent.futures.ProcessPoolExecutor`): through a name already imported and not shadowed
 * there, or else through `preferred`, adding `importLine` at the top of the module when that name
 * is free. Undefined when `preferred` already means something else, or a wildcard import may.
 */
export function referenceTo(model: SemanticModel, target: string, preferred: string, importLine: string, at: Node): NameReference | undefined {
  if (model.resolveName("*", at)) return undefined;
  const candidates = new Set<string>();
  for (let scope: ReturnType<SemanticModel["scopeOf"]> | undefined = model.scopeOf(at); scope && scope.kind !== "module"; scope = scope.parent) {
    for (const name of scope.names()) if (scope.bindingsOf(name).some((binding) => binding.qualified === target)) candidates.add(name);
  }
  for (const [name, qualified] of model.moduleImports()) if (qualified === target) candidates.add(name);
  for (const name of candidates) {
    const meaning = model.resolveName(name, at);
    if (meaning?.bindings.some((binding) => binding.kind === "import" && binding.qualified === target)) return { text: name };
  }
  if (model.resolveName(preferred, at)) return undefined;
  const importEdit = importInsertion(model, importLine);
  return importEdit ? { text: preferred, importEdit } : undefined;
}

/** Inserts an import line at the top of the module: after the docstring and `from __future__` imports. */
export function importInsertion(model: SemanticModel, line: string): TextEdit | undefined {
  let previous: Node | null = null;
  const newline = model.newline;
  for (const statement of model.moduleStatements()) {
    if (statement.type === "comment") continue;
    const docstring = previous === null && statement.type === "expression_statement" && statement.namedChildCount === 1 && statement.namedChild(0)?.type === "string";
    const future =
      statement.type === "future_import_statement" ||
      (statement.type === "import_from_statement" && statement.childForFieldName("module_name")?.text === "__future__");
    if (docstring || future) {
      previous = statement;
      continue;
    }
    if (statement.startPosition.column !== 0) return undefined;
    if (previous && previous.endPosition.row >= statement.startPosition.row) return undefined;
    const at = { row: statement.startPosition.row, column: 0 };
    return { range: { start: at, end: at }, newText: line + newline };
  }
  return undefined;
}
