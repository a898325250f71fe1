import { Language, Parser } from "web-tree-sitter";

/**
 * Where the two WebAssembly files live. The engine never reads files itself (it must run in a web
 * worker too), so the host (CLI, Node server, tests) says where they are: a path in Node, a URL on the web.
 */
export interface WasmLocations {
  /** Locates `web-tree-sitter.wasm` (the tree-sitter runtime) by file name. */
  locateRuntime(fileName: string): string;
  /** The bytes of `web-tree-sitter.wasm`, when the host fetched them itself (to report a failure clearly). */
  runtimeBytes?: Uint8Array;
  /** Path, URL or bytes of `tree-sitter-python.wasm` (the grammar). */
  grammar: string | Uint8Array;
}

let runtimeReady: Promise<void> | undefined;
const languages = new Map<string | Uint8Array, Promise<Language>>();

/** Loads the runtime once per process and the grammar once per location. */
export async function loadPythonLanguage(locations: WasmLocations): Promise<Language> {
  if (!runtimeReady) {
    const wasmBinary = locations.runtimeBytes?.slice().buffer;
    runtimeReady = Parser.init({ locateFile: (name: string) => locations.locateRuntime(name), ...(wasmBinary ? { wasmBinary } : {}) });
  }
  await runtimeReady;
  let language = languages.get(locations.grammar);
  if (!language) {
    language = Language.load(locations.grammar);
    languages.set(locations.grammar, language);
  }
  return language;
}

export function createParser(language: Language): Parser {
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
