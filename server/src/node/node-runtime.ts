import * as path from "node:path";
import type { Language } from "web-tree-sitter";
import { entries, version } from "virtual:build-info";
import { KnowledgeBase } from "../knowledge/knowledge-base";
import { loadPythonLanguage } from "../parse/python-parser";

export interface NodeRuntime {
  knowledge: KnowledgeBase;
  version: string;
  /** Tree-sitter, loaded on first call: `explain`, `rules` and a fully cached `check` never need it. */
  loadLanguage(): Promise<Language>;
  /** This bundle: `check --jobs` starts its worker threads from it. */
  bundleFile: string;
  /** What the checker is made of (the bundle and the wasm files): the cache is keyed by their content. */
  buildFiles: readonly string[];
}

/** The wasm files sit beside the bundle in dist/. */
const RUNTIME_WASM = path.join(__dirname, "web-tree-sitter.wasm");
const GRAMMAR_WASM = path.join(__dirname, "tree-sitter-python.wasm");

/** Loads the Python grammar from beside the bundle (once per thread). */
export function loadBundledLanguage(): Promise<Language> {
  return loadPythonLanguage({ locateRuntime: (fileName) => path.join(__dirname, fileName), grammar: GRAMMAR_WASM });
}

/** The bundled runtime: the knowledge is inside the bundle. */
export function nodeRuntime(): NodeRuntime {
  return {
    knowledge: new KnowledgeBase(entries),
    version,
    loadLanguage: loadBundledLanguage,
    bundleFile: __filename,
    buildFiles: [__filename, RUNTIME_WASM, GRAMMAR_WASM],
  };
}
