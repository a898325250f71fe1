import { DidChangeWatchedFilesNotification, ErrorCodes, MessageType, ResponseError, ShowMessageNotification, type Connection, type InitializeParams } from "vscode-languageserver";
import { ENTRIES_REQUEST, ENTRY_REQUEST, EXPLAIN_COMMAND, STATS_REQUEST, type MentorServer } from "./mentor-server";
import { codeActionProblem, positionProblem, textDocumentProblem } from "./params";

/**
 * Wires a MentorServer to a connection. Every handler is guarded: an exception is logged and
 * answered with an empty result, and the server keeps serving.
 */
export function listen(connection: Connection, serverOrStart: MentorServer | ((params: InitializeParams) => Promise<MentorServer>)): void {
  // A web worker must listen before its grammar has loaded (messages that arrive earlier are lost),
  // and learns where the grammar is from `initialize`: so it passes a function that `initialize`
  // waits for. A client sends nothing else before that answer; until then `server` is unset and a
  // stray message fails inside its guard.
  let server!: MentorServer;
  const adopt = (ready: MentorServer): MentorServer => {
    server = ready;
    // "File too large" and the like: shown to the user (a notification, not a request that waits for a click).
    server.onWarning((message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }));
    return ready;
  };
  if (typeof serverOrStart === "function") {
    // A failure to start is the answer to `initialize`: the client shows it.
    connection.onInitialize(async (params) => adopt(await serverOrStart(params)).initialize(params));
  } else {
    adopt(serverOrStart);
    connection.onInitialize((params) => server.initialize(params));
  }
  const guard = <P, R>(name: string, handler: (params: P) => R, fallback: R) => (params: P): R => {
    try {
      return handler(params);
    } catch (error) {
      connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };
  // Requests about a document first check their params: a malformed one is answered with an
  // InvalidParams error (the client's bug, named), never with a TypeError from deep inside.
  const checked =
    <P, R>(name: string, problem: (params: unknown) => string | undefined, handler: (params: P) => R, fallback: R) =>
    (params: P): R | ResponseError<never> => {
      const found = problem(params);
      if (!found) return guard(name, handler, fallback)(params);
      connection.console.log(`${name}: invalid params: ${found}`);
      return new ResponseError<never>(ErrorCodes.InvalidParams, `${name}: ${found}`);
    };

  // Publishing waits for the end of the burst of messages, so that twenty quick edits cost one
  // parse and one analysis, of the newest version. vscode-jsonrpc handles one message per turn of
  // the event loop, so the burst is over when a turn passes without a new change: until then the
  // publisher puts itself back at the end of the queue. Parsing and analysis are lazy (done when
  // diagnostics, a hover or a code action need them), so no older version is ever analysed.
  const pending = new Set<string>();
  /** The last version published for each open document: a publish never goes back in time. */
  const published = new Map<string, number>();
  let changes = 0;
  let changesAtLastTurn = -1;
  let scheduled = false;
  const publish = () => {
    if (changesAtLastTurn !== changes) {
      changesAtLastTurn = changes;
      setImmediate(publish);
      return;
    }
    scheduled = false;
    const uris = [...pending];
    pending.clear();
    for (const uri of uris) {
      const result = guard("diagnostics", (u: string) => server.diagnostics(u), undefined)(uri);
      if (!result) continue;
      const last = published.get(uri);
      if (last !== undefined && result.version < last) {
        connection.console.log(`diagnostics for ${uri} version ${result.version} not published: version ${last} was`);
        continue;
      }
      published.set(uri, result.version);
      void connection.sendDiagnostics(result);
    }
  };
  const schedulePublish = (uri: string) => {
    // Clients that pull ask when they want diagnostics, with no debounce on that path.
    if (server.usesPullDiagnostics) return;
    pending.add(uri);
    changes++;
    if (scheduled) return;
    scheduled = true;
    changesAtLastTurn = -1;
    setImmediate(publish);
  };

  const republishAll = () => {
    if (server.usesPullDiagnostics) {
      if (server.canRefreshDiagnostics) void connection.languages.diagnostics.refresh();
    } else for (const uri of server.openUris()) schedulePublish(uri);
  };
  connection.onDidChangeConfiguration(
    guard("didChangeConfiguration", (params) => {
      // A new language changes every message, a new size limit may skip or admit files, new rule
      // settings change what is shown: re-publish what is open.
      if (server.didChangeConfiguration(params.settings)) republishAll();
    }, undefined),
  );
  // pyproject.toml's [tool.python-mentor] applies to open files as soon as it is saved.
  connection.onInitialized(
    guard("initialized", () => {
      if (!server.wantsPyprojectWatcher) return;
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/pyproject.toml" }] }).catch((error: unknown) => {
        connection.console.log(`could not watch pyproject.toml files: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, undefined),
  );
  connection.onDidChangeWatchedFiles(
    guard("didChangeWatchedFiles", (params) => {
      if (server.didChangeWatchedFiles(params)) republishAll();
    }, undefined),
  );
  connection.onExecuteCommand(
    guard("executeCommand", (params) => {
      if (params.command !== EXPLAIN_COMMAND) return null;
      const uri = server.explainTarget(params.arguments?.[0]);
      if (uri) void connection.window.showDocument({ uri, external: true });
      return null;
    }, null),
  );
  connection.onRequest(ENTRY_REQUEST, guard("entry", (params: { id: string }) => server.entry(params), null));
  connection.onRequest(ENTRIES_REQUEST, guard("entries", () => server.entries(), []));
  connection.onRequest(STATS_REQUEST, guard("stats", () => server.stats(), null));
  // Malformed notifications are logged and ignored by the server (there is no one to answer).
  connection.onDidOpenTextDocument(
    guard("didOpen", (params) => {
      if (!server.didOpen(params)) return;
      published.delete(params.textDocument.uri);
      schedulePublish(params.textDocument.uri);
    }, undefined),
  );
  connection.onDidChangeTextDocument(
    guard("didChange", (params) => {
      if (server.didChange(params)) schedulePublish(params.textDocument.uri);
    }, undefined),
  );
  connection.onDidCloseTextDocument(
    guard("didClose", (params) => {
      if (!server.didClose(params)) return;
      published.delete(params.textDocument.uri);
      // Clear the closed file's problems, as other language servers do.
      if (!server.usesPullDiagnostics) void connection.sendDiagnostics({ uri: params.textDocument.uri, diagnostics: [] });
    }, undefined),
  );
  connection.languages.diagnostics.on(
    checked("diagnostic", textDocumentProblem, (params) => server.documentDiagnostic(params), { kind: "full", items: [] }),
  );
  connection.onHover(checked("hover", positionProblem, (params) => server.hover(params), null));
  connection.onCodeAction(checked("codeAction", codeActionProblem, (params) => server.codeActions(params), []));
  connection.onCompletion(checked("completion", positionProblem, (params) => server.completion(params), null));
  connection.onShutdown(() => server.dispose());
  connection.listen();
}
