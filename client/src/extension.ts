import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** Read-only documents that hold one knowledge entry each: `python-mentor:/entry/<id>.md`. */
const ENTRY_SCHEME = "python-mentor";
const SHOW_ENTRY = "pythonMentor.showEntry";

interface EntrySummary {
  id: string;
  title: string;
  summary: string;
  triggers: string[];
  rules: string[];
}

/**
 * Starts the bundled language server for Python files and keeps it in step with the settings.
 * All analysis and all knowledge live in the server; this side connects and shows entries.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join("dist", "python-mentor.js"));
  const output = vscode.window.createOutputChannel("Python Mentor", { log: true });
  context.subscriptions.push(output);

  const entries = new EntryDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(ENTRY_SCHEME, entries),
    vscode.commands.registerCommand("pythonMentor.restartServer", async () => {
      await stop();
      if (isEnabled()) await start(serverModule, output);
    }),
    vscode.commands.registerCommand(SHOW_ENTRY, (id: unknown) => showEntry(entries, id)),
    vscode.commands.registerCommand("pythonMentor.explainTopic", () => explainTopic(entries)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("pythonMentor.language")) entries.refreshAll();
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
    initializationOptions: {
      language: vscode.workspace.getConfiguration("pythonMentor").get<string>("language", "auto"),
      entryCommand: true,
      maxFileSize: vscode.workspace.getConfiguration("pythonMentor").get<number>("maxFileSize"),
      // VS Code reads snippets/python.json from the manifest; the server's copies would show twice.
      snippets: false,
    },
    // Sends `pythonMentor.*` on every change, so a new language applies without a reload.
    synchronize: { configurationSection: "pythonMentor" },
    // Hovers link "Open the full entry" to this one command, and to nothing else.
    markdown: { isTrusted: { enabledCommands: [SHOW_ENTRY] } },
  };
  client = new LanguageClient("pythonMentor", "Python Mentor", serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

/** Entry documents, rendered by the server in the current language. */
class EntryDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly opened = new Set<string>();
  readonly onDidChange = this.changed.event;

  uri(id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: ENTRY_SCHEME, path: `/entry/${id}.md` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = /^\/entry\/(.+)\.md$/.exec(uri.path)?.[1] ?? "";
    this.opened.add(uri.toString());
    const running = await runningClient();
    const entry = await running.sendRequest<{ markdown: string } | null>("pythonMentor/entry", { id });
    return entry?.markdown ?? `# ${id}\n\nNo such entry.`;
  }

  refreshAll(): void {
    for (const uri of this.opened) this.changed.fire(vscode.Uri.parse(uri));
  }
}

async function runningClient(): Promise<LanguageClient> {
  if (!client) throw new Error("Python Mentor's server is not running (is pythonMentor.enable off?)");
  return client;
}

/** Opens an entry in a Markdown preview beside the editor; the document itself is read-only. */
async function showEntry(entries: EntryDocuments, id: unknown): Promise<void> {
  if (typeof id !== "string" || !/^[a-z0-9-]+$/.test(id)) return;
  await vscode.commands.executeCommand("markdown.showPreviewToSide", entries.uri(id));
}

/** "Python Mentor: Explain topic...": every entry in a quick pick, searchable by title and trigger. */
async function explainTopic(entries: EntryDocuments): Promise<void> {
  let list: EntrySummary[];
  try {
    list = await (await runningClient()).sendRequest<EntrySummary[]>("pythonMentor/entries");
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    list.map((entry) => ({
      label: entry.title.replace(/`/g, ""),
      description: [...entry.rules, ...entry.triggers.map(readableTrigger)].join("  "),
      detail: entry.summary.replace(/`/g, ""),
      id: entry.id,
    })),
    { title: "Python Mentor: Explain topic", placeHolder: "Search by title, name or rule code", matchOnDescription: true, matchOnDetail: true },
  );
  if (picked) await showEntry(entries, picked.id);
}

/** `keyword:async with` -> `async with`, `def:__iter__` -> `__iter__`, as a user would type them. */
function readableTrigger(trigger: string): string {
  return trigger.replace(/^(keyword|def|attr|syntax):/, "");
}
