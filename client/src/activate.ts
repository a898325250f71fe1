import * as vscode from "vscode";
import type { BaseLanguageClient, LanguageClientOptions } from "vscode-languageclient";

/**
 * Everything the desktop (Node) and web (browser) extensions share: commands, entry documents,
 * settings and the client options. Each entry point only says how to make its LanguageClient.
 */

/** Makes a language client over the entry point's transport (a Node process or a web worker). */
export type MakeClient = (id: string, name: string, options: LanguageClientOptions) => BaseLanguageClient;

/** Initialization options only one host needs (the web worker: where its WebAssembly is). */
export type HostOptions = Record<string, unknown>;

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

let client: BaseLanguageClient | undefined;

/**
 * What the server is told at start-up. Settings that can change later also reach the server
 * through `synchronize.configurationSection` below.
 */
function initializationOptions(hostOptions: HostOptions): Record<string, unknown> {
  const settings = vscode.workspace.getConfiguration("pythonMentor");
  return {
    ...hostOptions,
    language: settings.get<string>("language", "auto"),
    entryCommand: true,
    maxFileSize: settings.get<number>("maxFileSize"),
    // Rule settings, nested as the server reads them (and as didChangeConfiguration sends them).
    select: settings.get<string[]>("select", []),
    ignore: settings.get<string[]>("ignore", []),
    severity: settings.get<Record<string, string>>("severity", {}),
    hover: { enable: settings.get<boolean>("hover.enable", true) },
    diagnostics: { enable: settings.get<boolean>("diagnostics.enable", true) },
    // VS Code reads snippets/python.json from the manifest; the server's copies would show twice.
    snippets: false,
  };
}

function clientOptions(output: vscode.LogOutputChannel, hostOptions: HostOptions): LanguageClientOptions {
  return {
    documentSelector: [{ language: "python" }],
    outputChannel: output,
    initializationOptions: initializationOptions(hostOptions),
    // Sends `pythonMentor.*` on every change, so a new language applies without a reload.
    synchronize: { configurationSection: "pythonMentor" },
    // Hovers link "Open the full entry" to this one command, and to nothing else.
    markdown: { isTrusted: { enabledCommands: [SHOW_ENTRY] } },
  };
}

/**
 * Starts the language server for Python files and keeps it in step with the settings.
 * All analysis and all knowledge live in the server; this side connects and shows entries.
 */
export async function activateMentor(context: vscode.ExtensionContext, makeClient: MakeClient, hostOptions: HostOptions = {}): Promise<void> {
  const output = vscode.window.createOutputChannel("Python Mentor", { log: true });
  context.subscriptions.push(output);
  const start = async () => {
    if (client) return;
    client = makeClient("pythonMentor", "Python Mentor", clientOptions(output, hostOptions));
    await client.start();
  };

  const entries = new EntryDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(ENTRY_SCHEME, entries),
    vscode.commands.registerCommand("pythonMentor.restartServer", async () => {
      await deactivateMentor();
      if (isEnabled()) await start();
    }),
    vscode.commands.registerCommand(SHOW_ENTRY, (id: unknown) => showEntry(entries, id)),
    vscode.commands.registerCommand("pythonMentor.explainTopic", () => explainTopic(entries)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("pythonMentor.language")) entries.refreshAll();
      if (!event.affectsConfiguration("pythonMentor.enable")) return;
      if (isEnabled()) await start();
      else await deactivateMentor();
    }),
  );
  if (isEnabled()) await start();
}

/** Stops the running client, if any. */
export async function deactivateMentor(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

function isEnabled(): boolean {
  return vscode.workspace.getConfiguration("pythonMentor").get<boolean>("enable", true);
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
    const running = runningClient();
    const entry = await running.sendRequest<{ markdown: string } | null>("pythonMentor/entry", { id });
    return entry?.markdown ?? `# ${id}\n\nNo such entry.`;
  }

  refreshAll(): void {
    for (const uri of this.opened) this.changed.fire(vscode.Uri.parse(uri));
  }
}

function runningClient(): BaseLanguageClient {
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
    list = await runningClient().sendRequest<EntrySummary[]>("pythonMentor/entries");
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
