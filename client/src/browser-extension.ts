import * as vscode from "vscode";
import { LanguageClient, type ServerOptions } from "vscode-languageclient/browser";
import { activateMentor, deactivateMentor } from "./activate";

// The web extension host has Worker; the project's type-check runs with Node's types and no DOM
// lib (which would leak browser globals into every file), so the one constructor used is declared here.
declare const Worker: new (scriptUrl: string) => Exclude<ServerOptions, () => unknown>;

/**
 * The web extension (vscode.dev, github.dev): the same server, bundled for the browser, runs in a
 * web worker beside the editor, and loads its WebAssembly from the extension's dist/ folder.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverUrl = vscode.Uri.joinPath(context.extensionUri, "dist/web/server.js").toString(true);
  // The editor starts the worker from a blob: URL, so the worker cannot find dist/ by itself.
  const wasmFolderUrl = vscode.Uri.joinPath(context.extensionUri, "dist/").toString(true);
  await activateMentor(context, (id, name, options) => new LanguageClient(id, name, new Worker(serverUrl), options), { wasmFolderUrl });
}

export async function deactivate(): Promise<void> {
  await deactivateMentor();
}
