import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/**
 * Starts the bundled language server for Python files and keeps it in step with
 * `pythonMentor.enable`. All analysis happens in the server; this side only connects.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join("dist", "python-mentor.js"));
  const output = vscode.window.createOutputChannel("Python Mentor", { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand("pythonMentor.restartServer", async () => {
      await stop();
      if (isEnabled()) await start(serverModule, output);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("pythonMentor.enable")) return;
      if (isEnabled()) await start(serverModule, output);
      else await stop();
    }),
  );
  if (isEnabled()) await start(serverModule, output);
}

export async function deactivate(): Promise<void> {
  await stop();
}

function isEnabled(): boolean {
  return vscode.workspace.getConfiguration("pythonMentor").get<boolean>("enable", true);
}

async function start(serverModule: string, output: vscode.LogOutputChannel): Promise<void> {
  if (client) return;
  const run = { module: serverModule, args: ["lsp"], transport: TransportKind.ipc };
  const serverOptions: ServerOptions = { run, debug: { ...run, options: { execArgv: ["--nolazy", "--inspect=6009"] } } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "python" }],
    outputChannel: output,
  };
  client = new LanguageClient("pythonMentor", "Python Mentor", serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
