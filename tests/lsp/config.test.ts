import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  RegistrationRequest,
  type RegistrationParams,
} from "vscode-languageserver-protocol/node";
import type { InitializeParams } from "vscode-languageserver";
import type { Language } from "web-tree-sitter";
import { MentorServer, type MentorInitializationOptions } from "../../server/src/lsp/mentor-server";
import type { KnowledgeBase } from "../../server/src/knowledge/knowledge-base";
import { loadKnowledge, loadLanguage } from "../helpers/runtime";
import { positionOf } from "../helpers/lsp-text";
import { StdioServer } from "../robustness/stdio-server";

let language: Language;
let knowledge: KnowledgeBase;
let server: MentorServer | undefined;
const work = mkdtempSync(path.join(tmpdir(), "python-mentor-lsp-config-"));
beforeAll(async () => {
  language = await loadLanguage();
  knowledge = loadKnowledge();
});
afterEach(() => {
  server?.dispose();
  server = undefined;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** PYM001 on line 1, PYM002 on line 3, PYM020 on line 5 (0-based). */
const TEXT = ["x = int('1')", "if x is 1:", "    pass", "if x == None:", "    pass", "def f(a=[]):", "    return a", ""].join("\n");
const HANGUL = /[\uac00-\ud7a3]/;

/** Resolves once `ready()` holds, checking every few milliseconds, or rejects at the deadline. */
async function poll(ready: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let projects = 0;
function project(files: Record<string, string>): string {
  const root = path.join(work, `p${++projects}`);
  for (const [relative, content] of Object.entries(files)) write(path.join(root, relative), content);
  return root;
}
function write(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}
const table = (body: string) => `[tool.python-mentor]\n${body}\n`;
const fsReader = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

interface Started {
  server: MentorServer;
  warnings: string[];
  logs: string[];
}

function start(options: MentorInitializationOptions = {}, params: Partial<InitializeParams> = {}, readFile: typeof fsReader | null = fsReader): Started {
  const logs: string[] = [];
  const warnings: string[] = [];
  server = new MentorServer({ language, knowledge, version: "test", log: (message) => logs.push(message), readFile: readFile ?? undefined });
  server.onWarning((message) => warnings.push(message));
  server.initialize({ processId: null, rootUri: null, capabilities: {}, initializationOptions: options, ...params });
  return { server, warnings, logs };
}

function open(s: MentorServer, uri: string, text = TEXT): void {
  s.didOpen({ textDocument: { uri, languageId: "python", version: 1, text } });
}

/** `code:severity` per diagnostic. */
function shown(s: MentorServer, uri: string): string[] {
  const severities = ["", "error", "warning", "info", "hint"];
  return s.diagnostics(uri)!.diagnostics.map((d) => `${String(d.code)}:${severities[d.severity ?? 0]}`);
}

describe("the server's settings (pythonMentor.*)", () => {
  const URI = "untitled:Untitled-1";

  it("select, ignore and severity from initializationOptions apply from the start", () => {
    const { server: s } = start({ select: ["PYM00", "PYM020"], ignore: ["PYM002"], severity: { PYM020: "hint" } });
    open(s, URI);
    expect(shown(s, URI)).toEqual(["PYM001:warning", "PYM020:hint"]);
  });

  it("didChangeConfiguration changes them without a restart; empty lists mean every rule again", () => {
    const { server: s } = start();
    open(s, URI);
    expect(shown(s, URI)).toEqual(["PYM001:warning", "PYM002:warning", "PYM020:warning"]);
    expect(s.didChangeConfiguration({ pythonMentor: { ignore: ["pym001"], severity: { PYM002: "error" } } })).toBe(true);
    expect(shown(s, URI)).toEqual(["PYM002:error", "PYM020:warning"]);
    expect(s.didChangeConfiguration({ pythonMentor: { ignore: ["PYM001"], severity: { PYM002: "error" } } })).toBe(false);
    expect(s.didChangeConfiguration({ pythonMentor: { select: [], ignore: [], severity: {} } })).toBe(true);
    expect(shown(s, URI)).toEqual(["PYM001:warning", "PYM002:warning", "PYM020:warning"]);
  });

  it("a bad value is logged and shown as a warning; the previous value stays", () => {
    const { server: s, warnings, logs } = start({ ignore: ["PYM002"] });
    open(s, URI);
    expect(s.didChangeConfiguration({ pythonMentor: { ignore: ["PYM999"], hover: { enable: "yes" }, language: "klingon" } })).toBe(false);
    expect(warnings).toEqual([
      expect.stringMatching(/^pythonMentor\.language: "klingon" is not one of auto, en, ko, zh-cn; keeping "auto"$/),
      expect.stringMatching(/^pythonMentor\.ignore: \["PYM999"\] is not a list of known rule codes or prefixes .*; keeping \["PYM002"\]$/),
      'pythonMentor.hover.enable: "yes" is not true or false; keeping true',
    ]);
    expect(logs).toEqual(warnings);
    expect(shown(s, URI)).toEqual(["PYM001:warning", "PYM020:warning"]);
  });

  it("hover.enable: false answers hovers with nothing; true brings them back", () => {
    const { server: s } = start({ hover: { enable: false } });
    open(s, URI);
    const hover = () => s.hover({ textDocument: { uri: URI }, position: positionOf(TEXT, "is 1") });
    expect(hover()).toBeNull();
    expect(shown(s, URI)).toHaveLength(3);
    s.didChangeConfiguration({ pythonMentor: { hover: { enable: true } } });
    expect(hover()).not.toBeNull();
  });

  it("diagnostics.enable: false empties pushed and pulled diagnostics and drops per-finding code actions", () => {
    const { server: s } = start({}, { capabilities: { textDocument: { diagnostic: {} } } });
    open(s, URI);
    const at = positionOf(TEXT, "is 1");
    const actions = () => s.codeActions({ textDocument: { uri: URI }, range: { start: at, end: at }, context: { diagnostics: [] } }).map((a) => a.title);
    expect(actions()).toContain("Use ==");
    const before = s.documentDiagnostic({ textDocument: { uri: URI } });
    expect(before.kind === "full" && before.items.length).toBe(3);
    expect(s.didChangeConfiguration({ pythonMentor: { diagnostics: { enable: false } } })).toBe(true);
    expect(shown(s, URI)).toEqual([]);
    const after = s.documentDiagnostic({ textDocument: { uri: URI }, previousResultId: before.kind === "full" ? before.resultId : undefined });
    expect(after).toMatchObject({ kind: "full", items: [] });
    expect(actions()).toEqual([]);
    // Hovers are not diagnostics: they still explain.
    expect(s.hover({ textDocument: { uri: URI }, position: at })).not.toBeNull();
  });
});

describe("the server reads [tool.python-mentor] for file: documents", () => {
  it("applies the nearest pyproject.toml's table: ignore, per-file-ignores, severity, language", () => {
    const root = project({
      "pyproject.toml": table('ignore = ["PYM002"]\nlanguage = "ko"\nseverity = { PYM020 = "error" }\n[tool.python-mentor.per-file-ignores]\n"tests/*" = ["PYM001"]'),
      "sub/pyproject.toml": '[project]\nname = "sub"\n',
    });
    const { server: s } = start();
    const app = pathToFileURL(path.join(root, "sub/app.py")).href;
    const test = pathToFileURL(path.join(root, "tests/test_app.py")).href;
    open(s, app);
    open(s, test);
    expect(shown(s, app)).toEqual(["PYM001:warning", "PYM020:error"]);
    expect(shown(s, test)).toEqual(["PYM020:error"]);
    for (const d of s.diagnostics(app)!.diagnostics) expect(d.message).toMatch(HANGUL);
  });

  it("editor settings override the table key by key", () => {
    const root = project({ "pyproject.toml": table('select = ["PYM001"]\nlanguage = "ko"\nseverity = { PYM001 = "hint" }') });
    const uri = pathToFileURL(path.join(root, "a.py")).href;
    const { server: s } = start({ language: "en", select: ["PYM00"] });
    open(s, uri);
    expect(shown(s, uri)).toEqual(["PYM001:hint", "PYM002:warning"]);
    expect(s.diagnostics(uri)!.diagnostics[0].message).not.toMatch(HANGUL);
    s.didChangeConfiguration({ pythonMentor: { language: "auto", select: [], severity: { PYM001: "error" } } });
    expect(shown(s, uri)).toEqual(["PYM001:error"]);
    expect(s.diagnostics(uri)!.diagnostics[0].message).toMatch(HANGUL);
  });

  it("an excluded file gets no diagnostics", () => {
    const root = project({ "pyproject.toml": table('exclude = ["migrations"]') });
    const { server: s } = start();
    const uri = pathToFileURL(path.join(root, "app/migrations/0001.py")).href;
    open(s, uri);
    expect(shown(s, uri)).toEqual([]);
  });

  it("a changed pyproject.toml applies after didChangeWatchedFiles, and only then", () => {
    const root = project({ "pyproject.toml": table('ignore = ["PYM001"]') });
    const uri = pathToFileURL(path.join(root, "a.py")).href;
    const { server: s } = start();
    open(s, uri);
    expect(shown(s, uri)).toEqual(["PYM002:warning", "PYM020:warning"]);
    write(path.join(root, "pyproject.toml"), table('ignore = ["PYM020"]'));
    expect(shown(s, uri)).toEqual(["PYM002:warning", "PYM020:warning"]);
    expect(s.didChangeWatchedFiles({ changes: [{ uri: pathToFileURL(path.join(root, "setup.cfg")).href, type: FileChangeType.Changed }] })).toBe(false);
    expect(s.didChangeWatchedFiles({ changes: [{ uri: pathToFileURL(path.join(root, "pyproject.toml")).href, type: FileChangeType.Changed }] })).toBe(true);
    expect(shown(s, uri)).toEqual(["PYM001:warning", "PYM002:warning"]);
  });

  it("a malformed table: one warning per problem, however often the file is analysed; the defaults apply", () => {
    const root = project({ "pyproject.toml": table('ignore = "PYM001"') });
    const uri = pathToFileURL(path.join(root, "a.py")).href;
    const { server: s, warnings, logs } = start();
    open(s, uri);
    expect(shown(s, uri)).toEqual(["PYM001:warning", "PYM002:warning", "PYM020:warning"]);
    s.didChange({ textDocument: { uri, version: 2 }, contentChanges: [{ text: TEXT + "\n" }] });
    shown(s, uri);
    s.hover({ textDocument: { uri }, position: positionOf(TEXT, "is 1") });
    const file = path.join(root, "pyproject.toml");
    expect(warnings).toEqual([`Python Mentor: ${file}: [tool.python-mentor] ignore: must be a list of strings, not a string ("PYM001") (the defaults apply to the files under it until it is fixed)`]);
    expect(logs.filter((line) => line.includes("pyproject.toml"))).toEqual(warnings);
  });

  it("without a file reader (the browser build) pyproject.toml is not read", () => {
    const root = project({ "pyproject.toml": table('ignore = ["PYM001"]') });
    const uri = pathToFileURL(path.join(root, "a.py")).href;
    const { server: s } = start({}, {}, null);
    open(s, uri);
    expect(shown(s, uri)).toHaveLength(3);
    expect(s.wantsPyprojectWatcher).toBe(false);
  });
});

describe("python-mentor lsp --stdio with a pyproject.toml", () => {
  let client: StdioServer | undefined;
  afterEach(() => client?.kill());

  it("registers a pyproject.toml watcher, re-publishes when the file changes or a setting does, and warns once about a broken table", async () => {
    const root = project({ "pyproject.toml": table('ignore = ["PYM001"]') });
    const uri = pathToFileURL(path.join(root, "app.py")).href;
    const pyproject = pathToFileURL(path.join(root, "pyproject.toml")).href;
    client = new StdioServer();
    const c = client;
    const registrations: RegistrationParams[] = [];
    c.connection.onRequest(RegistrationRequest.type, (params) => {
      registrations.push(params);
    });
    await c.initialize({ rootUri: pathToFileURL(root).href, capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } });
    await poll(() => registrations.length > 0, "a watcher registration");
    expect(registrations[0].registrations).toEqual([
      { id: expect.any(String), method: "workspace/didChangeWatchedFiles", registerOptions: { watchers: [{ globPattern: "**/pyproject.toml" }] } },
    ]);

    const codes = (p: { diagnostics: { code?: number | string }[] }) => p.diagnostics.map((d) => d.code);
    await c.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "python", version: 1, text: TEXT } });
    expect(codes(await c.diagnosticsFor(uri, 1))).toEqual(["PYM002", "PYM020"]);

    // The user edits pyproject.toml; the editor reports the change.
    let seen = c.published.length;
    const nextPublish = () => {
      const from = seen;
      return c.until(() => {
        const found = c.published.slice(from).find((p) => p.uri === uri);
        if (found) seen = c.published.indexOf(found) + 1;
        return found;
      }, "a re-publish");
    };
    write(path.join(root, "pyproject.toml"), table('ignore = ["PYM020"]'));
    await c.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pyproject, type: FileChangeType.Changed }] });
    expect(codes(await nextPublish())).toEqual(["PYM001", "PYM002"]);

    // A setting changes (VS Code sends the whole section, dotted keys nested).
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { pythonMentor: { select: ["PYM002"], hover: { enable: true }, diagnostics: { enable: true } } } });
    expect(codes(await nextPublish())).toEqual(["PYM002"]);

    // A broken table: the defaults apply, and the user is warned once, not on every edit.
    write(path.join(root, "pyproject.toml"), table('select = ["PYM999"]'));
    await c.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { pythonMentor: { select: [] } } });
    await c.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pyproject, type: FileChangeType.Changed }] });
    await c.until(() => (c.published.slice(seen).some((p) => p.uri === uri && p.diagnostics.length === 3) ? true : undefined), "diagnostics with the defaults");
    for (let version = 2; version <= 4; version++) {
      await c.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: `${TEXT}# ${version}\n` }] });
    }
    await c.diagnosticsFor(uri, 4);
    const warnings = c.shown.filter((m) => m.message.includes("pyproject.toml"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: 2, message: expect.stringContaining('[tool.python-mentor] select: no rule matches "PYM999"') });
    expect(c.logs.filter((l) => l.message.includes("PYM999"))).toHaveLength(1);
  });
});
