import * as path from "node:path";
import type { Language } from "web-tree-sitter";
import { entries, version } from "virtual:build-info";
import { KnowledgeBase } from "../knowledge/knowledge-base";
import { loadPythonLanguage } from "../parse/python-parser";

export interface NodeRuntime {
  language: Language;
  knowledge: KnowledgeBase;
  version: string;
}

/** The bundled runtime: the wasm files sit beside the bundle in dist/, the knowledge is inside it. */
export async function loadNodeRuntime(): Promise<NodeRuntime> {
  const language = await loadPythonLanguage({
    locateRuntime: (fileName) => path.join(__dirname, fileName),
    grammar: path.join(__dirname, "tree-sitter-python.wasm"),
  });
  return { language, knowledge: new KnowledgeBase(entries), version };
}
