import type { Connection } from "vscode-languageserver";
import { ENTRIES_REQUEST, ENTRY_REQUEST, EXPLAIN_COMMAND, type MentorServer } from "./mentor-server";

/**
 * Wires a MentorServer to a connection. Every handler is guarded: an exception is logged and
 * answered with an empty result, and the server keeps serving.
 */
export function listen(connection: Connection, server: MentorServer): void {
  const guard = <P, R>(name: string, handler: (params: P) => R, fallback: R) => (params: P): R => {
    try {
      return handler(params);
    } catch (error) {
      connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };

  // Publishing waits for the current burst of messages: several quick edits cost one analysis.
  const pending = new Set<string>();
  let scheduled = false;
  const schedulePublish = (uri: string) => {
    // Clients that pull ask when they want diagnostics, with no debounce on that path.
    if (server.usesPullDiagnostics) return;
    pending.add(uri);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const uris = [...pending];
      pending.clear();
      for (const pendingUri of uris) {
        const result = guard("diagnostics", (u: string) => server.diagnostics(u), undefined)(pendingUri);
        if (result) void connection.sendDiagnostics(result);
      }
    });
  };

  connection.onInitialize((params) => server.initialize(params));
  connection.onDidChangeConfiguration(
    guard("didChangeConfiguration", (params) => {
      // A new language changes every message: re-publish what is open.
      if (!server.didChangeConfiguration(params.settings)) return;
      if (server.usesPullDiagnostics) {
        if (server.canRefreshDiagnostics) void connection.languages.diagnostics.refresh();
      } else for (const uri of server.openUris()) schedulePublish(uri);
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
  connection.onDidOpenTextDocument(
    guard("didOpen", (params) => {
      server.didOpen(params);
      schedulePublish(params.textDocument.uri);
    }, undefined),
  );
  connection.onDidChangeTextDocument(
    guard("didChange", (params) => {
      server.didChange(params);
      schedulePublish(params.textDocument.uri);
    }, undefined),
  );
  connection.onDidCloseTextDocument(
    guard("didClose", (params) => {
      server.didClose(params);
      // Clear the closed file's problems, as other language servers do.
      if (!server.usesPullDiagnostics) void connection.sendDiagnostics({ uri: params.textDocument.uri, diagnostics: [] });
    }, undefined),
  );
  connection.languages.diagnostics.on(
    guard("diagnostic", (params) => server.documentDiagnostic(params), { kind: "full", items: [] }),
  );
  connection.onHover(guard("hover", (params) => server.hover(params), null));
  connection.onCodeAction(guard("codeAction", (params) => server.codeActions(params), []));
  connection.onShutdown(() => server.dispose());
  connection.listen();
}
