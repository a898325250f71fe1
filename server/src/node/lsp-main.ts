import { readFileSync } from "node:fs";
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node";
import { MentorServer } from "../lsp/mentor-server";
import { listen } from "../lsp/listen";
import type { Language } from "web-tree-sitter";
import type { NodeRuntime } from "./node-runtime";

/** Serves LSP over the transport named on the command line (--stdio, --node-ipc, --socket=N). */
export function runLanguageServer(runtime: NodeRuntime, language: Language): void {
  const transportGiven = process.argv.some((arg) => /^--(stdio|node-ipc|socket|pipe)/.test(arg));
  // Plain `python-mentor lsp` means stdio, the transport every editor supports.
  const connection = transportGiven
    ? createConnection(ProposedFeatures.all)
    : createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  const server = new MentorServer({
    language,
    knowledge: runtime.knowledge,
    version: runtime.version,
    log: (message) => connection.console.error(message),
    readFile: readTextFile,
  });
  listen(connection, server);
}

/** A file's text for the server's pyproject.toml lookups; undefined when it cannot be read (none there, a folder, no permission). */
function readTextFile(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
