import { afterEach, describe, expect, it } from "vitest";
import {
  CodeActionRequest,
  DocumentDiagnosticRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  TextDocumentSyncKind,
  type MarkupContent,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { StdioLspClient } from "../helpers/lsp-client";
import { applyLspEdits, positionOf } from "../helpers/lsp-text";

const URI = "file:///tmp/project/app.py";
const TEXT = [
  "import aiohttp",
  "",
  "class Person:",
  "    @staticmethod",
  "    def make():",
  "        return Person()",
  "",
  "async def main(x):",
  "    async with aiohttp.ClientSession as session:",
  "        return x is 1",
  "",
].join("\n");

let client: StdioLspClient | undefined;
afterEach(() => client?.kill());

describe("python-mentor lsp --stdio, as a separate process", () => {
  it("initialize -> didOpen -> diagnostics -> hover -> incremental change -> code action -> shutdown", async () => {
    client = new StdioLspClient();
    const { connection } = client;

    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { hover: { contentFormat: ["markdown"] } } },
    });
    expect(init.serverInfo?.name).toBe("python-mentor");
    expect(init.capabilities.textDocumentSync).toMatchObject({ openClose: true, change: TextDocumentSyncKind.Incremental });
    expect(init.capabilities.hoverProvider).toBe(true);
    expect(init.capabilities.codeActionProvider).toMatchObject({ codeActionKinds: ["quickfix", "source.fixAll.pythonMentor"] });
    await connection.sendNotification(InitializedNotification.type, {});

    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: URI, languageId: "python", version: 1, text: TEXT },
    });
    const first = await client.waitForDiagnostics((p) => p.uri === URI && p.version === 1);
    expect(first.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([
      ["PYM005", 5],
      ["PYM004", 8],
      ["PYM001", 9],
    ]);
    for (const diagnostic of first.diagnostics) {
      expect(diagnostic.source).toBe("python-mentor");
      expect(diagnostic.codeDescription?.href).toMatch(/^https:\/\//);
    }

    const hover = await connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: URI },
      position: positionOf(TEXT, "staticmethod", 2),
    });
    const markdown = (hover!.contents as MarkupContent).value;
    expect(markdown).toContain("`@staticmethod` vs `@classmethod`");
    expect(markdown).toContain("classmethod");

    // Incremental change: add the missing () after ClientSession (version 2).
    const at = positionOf(TEXT, "ClientSession as", "ClientSession".length);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: at, end: at }, text: "()" }],
    });
    const second = await client.waitForDiagnostics((p) => p.uri === URI && p.version === 2);
    expect(second.diagnostics.map((d) => d.code)).toEqual(["PYM005", "PYM001"]);

    const isLiteral = second.diagnostics[1];
    const actions = await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: URI },
      range: isLiteral.range,
      context: { diagnostics: [isLiteral] },
    });
    const fix = actions!.find((action) => "kind" in action && action.kind === "quickfix" && action.title === "Use ==");
    expect(fix).toBeDefined();
    const edits = (fix as { edit: { changes: Record<string, TextEdit[]> } }).edit.changes[URI];
    const textV2 = applyLspEdits(TEXT, [{ range: { start: at, end: at }, newText: "()" }]);
    expect(applyLspEdits(textV2, edits)).toContain("        return x == 1");

    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    expect(await client.exited()).toBe(0);
  });

  it("keeps serving after nonsense: unknown documents, out-of-range positions, changes to unopened files", async () => {
    client = new StdioLspClient();
    const { connection } = client;
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification(InitializedNotification.type, {});
    expect(await connection.sendRequest(HoverRequest.type, { textDocument: { uri: "file:///nowhere.py" }, position: { line: 0, character: 0 } })).toBeNull();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: "file:///nowhere.py", version: 9 },
      contentChanges: [{ text: "x" }],
    });
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: URI, languageId: "python", version: 1, text: "print(1 is 1)\n" },
    });
    await client.waitForDiagnostics((p) => p.uri === URI && p.version === 1);
    const far = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 5000, character: 5000 } });
    expect(far).toBeNull();
    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 9 } });
    expect((hover!.contents as MarkupContent).value).toContain("PYM001");
    expect(client.process.exitCode).toBeNull();
  });

  it("also serves on plain `python-mentor lsp` (stdio by default)", async () => {
    client = new StdioLspClient(["lsp"]);
    const init = await client.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    expect(init.serverInfo?.name).toBe("python-mentor");
  });

  it("serves pull diagnostics (LSP 3.17) to clients that ask for them, and pushes nothing to them", async () => {
    client = new StdioLspClient();
    const { connection } = client;
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } } },
    });
    expect(init.capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: false, workspaceDiagnostics: false });
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: URI, languageId: "python", version: 1, text: TEXT },
    });
    const first = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI } });
    expect(first.kind).toBe("full");
    if (first.kind !== "full") return;
    expect(first.items.map((d) => d.code)).toEqual(["PYM005", "PYM004", "PYM001"]);
    const again = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI }, previousResultId: first.resultId });
    expect(again).toEqual({ kind: "unchanged", resultId: first.resultId });

    const at = positionOf(TEXT, "ClientSession as", "ClientSession".length);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: at, end: at }, text: "()" }],
    });
    const second = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI }, previousResultId: first.resultId });
    expect(second.kind).toBe("full");
    if (second.kind === "full") expect(second.items.map((d) => d.code)).toEqual(["PYM005", "PYM001"]);
    // A hover round trip: every publish the server could have scheduled has had its turn.
    await connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 0 } });
    expect(client.published).toEqual([]);
  });

  it("checks a document with a PEP 263 coding declaration (latin-1) like any other, in the editor's characters", async () => {
    // The editor decodes the file and sends text; the server analyses that text as it is, so
    // positions match the editor's buffer whatever the file's bytes on disk.
    client = new StdioLspClient();
    const { connection } = client;
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification(InitializedNotification.type, {});
    const text = '# -*- coding: latin-1 -*-\nname = "caf\u00e9 cr\u00e8me"; same = name is "\u00e9t\u00e9"\n';
    const uri = "file:///tmp/project/latin1.py";
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "python", version: 1, text } });
    const published = await client.waitForDiagnostics((p) => p.uri === uri);
    expect(published.diagnostics.map((d) => [d.code, d.range.start])).toEqual([["PYM001", positionOf(text, "name is")]]);
  });
});
