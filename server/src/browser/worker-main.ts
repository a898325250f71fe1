import "./set-immediate";
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures, type InitializeParams } from "vscode-languageserver/browser";
import { entries, version } from "virtual:build-info";
import { KnowledgeBase } from "../knowledge/knowledge-base";
import { listen } from "../lsp/listen";
import { MentorServer } from "../lsp/mentor-server";
import { loadPythonLanguage } from "../parse/python-parser";

// The web worker global. The project type-checks with Node's types and without the WebWorker lib
// (it would leak browser globals into every file), so the little used here is declared here.
declare const self: { location: { href: string }; close(): void };

/**
 * The language server in a web worker (VS Code for the Web). The connection listens at once, so
 * no message is lost while the WebAssembly loads; `initialize` waits for it.
 */
const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(self), new BrowserMessageWriter(self));
const knowledge = new KnowledgeBase(entries);

listen(connection, async (params: InitializeParams) => {
  const folder = wasmFolder(params.initializationOptions);
  const [runtimeBytes, grammar] = await Promise.all([fetchWasm(new URL("web-tree-sitter.wasm", folder)), fetchWasm(new URL("tree-sitter-python.wasm", folder))]);
  const language = await loadPythonLanguage({ locateRuntime: (fileName) => new URL(fileName, folder).href, runtimeBytes, grammar });
  return new MentorServer({ language, knowledge, version, log: (message) => connection.console.error(message) });
});
// A worker outlives `exit` unless it closes itself; the client makes a new one on restart.
connection.onExit(() => self.close());

/**
 * Where web-tree-sitter.wasm and tree-sitter-python.wasm are: dist/, one folder above this script.
 * VS Code for the Web starts extension workers from a blob: URL that imports the script, so there
 * `self.location` says nothing about where the script came from, and our client names the folder
 * in `initializationOptions.wasmFolderUrl`. A worker started from the script's own URL needs nothing.
 */
function wasmFolder(options: unknown): URL {
  const given = typeof options === "object" && options !== null ? (options as { wasmFolderUrl?: unknown }).wasmFolderUrl : undefined;
  if (given !== undefined) {
    if (typeof given !== "string" || !URL.canParse(given)) throw new Error(`initializationOptions.wasmFolderUrl is not a URL: ${JSON.stringify(given)}`);
    return new URL(given.endsWith("/") ? given : `${given}/`);
  }
  if (self.location.href.startsWith("blob:")) {
    throw new Error("This worker was started from a blob: URL; pass initializationOptions.wasmFolderUrl (the folder holding tree-sitter-python.wasm).");
  }
  return new URL("../", self.location.href);
}

/** The bytes of one wasm file; a failure names the URL and the HTTP status (tree-sitter's own message would not). */
async function fetchWasm(url: URL): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not fetch ${url.href}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new Error(`Could not fetch ${url.href}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
