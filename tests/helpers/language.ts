import * as path from "node:path";
import type { Language } from "web-tree-sitter";
import { loadPythonLanguage } from "../../server/src/parse/python-parser";

export const ROOT = path.resolve(__dirname, "../..");
const modules = path.join(ROOT, "node_modules");

/** The real grammar, loaded the way the Node host loads it (from files), once per test file. */
export function loadLanguage(): Promise<Language> {
  return loadPythonLanguage({
    locateRuntime: (name) => path.join(modules, "web-tree-sitter", name),
    grammar: path.join(modules, "tree-sitter-python", "tree-sitter-python.wasm"),
  });
}
