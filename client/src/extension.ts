import * as path from "node:path";
import type * as vscode from "vscode";
import { LanguageClient, TransportKind, type ServerOptions } from "vscode-languageclient/node";
import { activateMentor, deactivateMentor } from "./activate";

/** The desktop extension: the bundled server runs as a Node process, spoken to over IPC. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join("dist", "python-mentor.js"));
  const run = { module: serverModule, args: ["lsp"], transport: TransportKind.ipc };
  const serverOptions: ServerOptions = { run, debug: { ...run, options: { execArgv: ["--nolazy", "--inspect=6009"] } } };
  await activateMentor(context, (id, name, options) => new LanguageClient(id, name, serverOptions, options));
}

export async function deactivate(): Promise<void> {
  await deactivateMentor();
}
