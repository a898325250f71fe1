import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  Disposable,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type CodeAction,
  type DataCallback,
  type InitializeParams,
  type Message,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { positionOf } from "../helpers/lsp-text";
import { REPO_ROOT } from "./support/paths";
import { pollFor } from "./vscode/poll";

/**
 * The web extension's server (dist/web/server.js) in a real browser: Debian's Chromium runs it in a
 * web worker, and this test talks LSP to it through a small harness page. PYM_DIST tests a build
 * made elsewhere (`PYM_OUTDIR=/tmp/x node scripts/build.mjs`); `npm run test:e2e` packages dist/ first.
 */
const DIST = process.env.PYM_DIST ? path.resolve(process.env.PYM_DIST) : path.join(REPO_ROOT, "dist");
const CHROMIUM = process.env.PYM_CHROMIUM ?? "/usr/bin/chromium";
const HARNESS = path.join(__dirname, "web/harness.html");

const SOURCE = `import aiohttp


class Shapes:
    @staticmethod
    def unit():
        return 1


def check(x):
    return x is 1


async def fetch(url):
    async with aiohttp.ClientSession as s:
        return await s.get(url)
`;
// github.dev opens files under this scheme: nothing on the worker's side may treat the URI as a path.
const URI = "vscode-vfs://github/example/project/demo.py";

/** What the harness page defines on its window. */
interface Harness {
  startServer(how: "blob" | "script"): void;
  toServer(message: unknown): void;
  stopServer(): void;
  loadCommonJs(source: string): { required: string[]; exports: string[] };
}
// Functions given to page.evaluate run in the page, where only the page's globals exist: each one
// reaches the harness through `globalThis` itself.

const CONTENT_TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".map": "application/json" };

/** dist/ under /dist/ and the harness page, on 127.0.0.1 only; every request is recorded. */
function serveFiles(requests: string[]): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    requests.push(url.pathname);
    let file: string | undefined;
    if (url.pathname === "/harness.html") file = HARNESS;
    else if (url.pathname.startsWith("/dist/")) {
      const inside = path.resolve(DIST, `.${decodeURIComponent(url.pathname.slice("/dist".length))}`);
      if (inside.startsWith(DIST + path.sep) && existsSync(inside)) file = inside;
    }
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Messages from the worker, handed over by the page's `fromServer`; kept until the connection listens. */
class PageMessageReader extends AbstractMessageReader {
  private callback: DataCallback | undefined;
  private readonly early: Message[] = [];
  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    for (const message of this.early.splice(0)) callback(message);
    return Disposable.create(() => (this.callback = undefined));
  }
  deliver(message: Message): void {
    if (this.callback) this.callback(message);
    else this.early.push(message);
  }
}

/** Messages to the worker, posted by the page in the order they were written. */
class PageMessageWriter extends AbstractMessageWriter {
  private queue: Promise<void> = Promise.resolve();
  constructor(private readonly page: Page) {
    super();
  }
  write(message: Message): Promise<void> {
    this.queue = this.queue.then(() => this.page.evaluate((m) => (globalThis as unknown as Harness).toServer(m), message));
    return this.queue;
  }
  end(): void {}
}

/** One harness page with the server in a worker, and an LSP connection to it. */
class WorkerSession {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly problems: string[] = [];
  private stopped = false;
  private constructor(
    readonly page: Page,
    readonly connection: ProtocolConnection,
  ) {}

  static async open(browser: Browser, baseUrl: string, how: "blob" | "script"): Promise<WorkerSession> {
    const page = await browser.newPage();
    const reader = new PageMessageReader();
    const session = new WorkerSession(page, createProtocolConnection(reader, new PageMessageWriter(page)));
    // A worker that reached for a Node module fails with a console error or an uncaught exception.
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") session.problems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => session.problems.push(`page error: ${error.message}`));
    await page.exposeFunction("fromServer", (message: Message) => reader.deliver(message));
    session.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      session.published.push(params);
    });
    session.connection.listen();
    await page.goto(`${baseUrl}/harness.html`);
    await page.evaluate((mode) => (globalThis as unknown as Harness).startServer(mode), how);
    return session;
  }

  initialize(initializationOptions: Record<string, unknown>) {
    const params: InitializeParams = {
      processId: null,
      rootUri: null,
      locale: "en",
      workspaceFolders: null,
      capabilities: {
        textDocument: {
          hover: { contentFormat: ["markdown", "plaintext"] },
          publishDiagnostics: {},
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } },
        },
      },
      initializationOptions,
    };
    return this.connection.sendRequest(InitializeRequest.type, params);
  }

  async open(text: string): Promise<void> {
    await this.connection.sendNotification(InitializedNotification.type, {});
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: "python", version: 1, text } });
  }

  /** The newest diagnostics published for the document, once `ready` accepts them. */
  diagnosticsWhen(what: string, ready: (codes: string[]) => boolean): Promise<PublishDiagnosticsParams> {
    return pollFor(
      what,
      () => {
        const latest = this.published.filter((p) => p.uri === URI).at(-1);
        return latest && ready(latest.diagnostics.map((d) => String(d.code))) ? latest : undefined;
      },
      30_000,
      () => JSON.stringify(this.published.map((p) => p.diagnostics.map((d) => d.code))),
    );
  }

  /** `shutdown` then `exit`, as a client stopping the server sends them. */
  async shutDown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
  }

  async close(): Promise<void> {
    try {
      await this.shutDown();
    } finally {
      this.connection.dispose();
      await this.page.evaluate(() => (globalThis as unknown as Harness).stopServer()).catch(() => undefined);
      await this.page.close();
    }
  }
}

describe("the browser server bundle in a web worker (Chromium)", () => {
  let browser: Browser;
  let files: Server;
  let baseUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    const missing = [path.join(DIST, "web/server.js"), path.join(DIST, "web/client.js"), path.join(DIST, "tree-sitter-python.wasm"), CHROMIUM].filter((file) => !existsSync(file));
    if (missing.length > 0) {
      throw new Error(`missing ${missing.join(", ")}: run \`npm run package\` (or set PYM_DIST to a build) and bash tests/e2e/setup.sh`);
    }
    files = await serveFiles(requests);
    baseUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (files ? files.close(resolve) : resolve(undefined)));
  });

  it("started as VS Code for the Web starts it, diagnoses, hovers and fixes a document", async () => {
    const session = await WorkerSession.open(browser, baseUrl, "blob");
    try {
      // The web client names the folder of the wasm files (the blob: worker cannot see its script's URL).
      const result = await session.initialize({ language: "en", wasmFolderUrl: `${baseUrl}/dist/` });
      expect(result.serverInfo?.name).toBe("python-mentor");
      expect(result.capabilities.hoverProvider).toBe(true);
      expect(result.capabilities.codeActionProvider).toBeTruthy();
      expect(result.capabilities.textDocumentSync).toMatchObject({ openClose: true });

      await session.open(SOURCE);
      const found = await session.diagnosticsWhen("PYM001 and PYM004", (codes) => codes.includes("PYM001") && codes.includes("PYM004"));
      const isLiteral = found.diagnostics.find((d) => d.code === "PYM001")!;
      expect(isLiteral.range.start).toEqual(positionOf(SOURCE, "x is 1"));

      const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: positionOf(SOURCE, "staticmethod", 3) });
      const markdown = JSON.stringify(hover?.contents);
      expect(markdown).toContain("@staticmethod` vs `@classmethod");
      expect(markdown).toContain("classmethod");

      const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: URI },
        range: isLiteral.range,
        context: { diagnostics: [isLiteral], only: ["quickfix"] },
      })) as CodeAction[];
      const fix = actions.find((action) => action.title.includes("=="));
      expect(fix, JSON.stringify(actions.map((a) => a.title))).toBeDefined();
      expect(JSON.stringify(fix!.edit)).toContain('"newText":"=="');

      // The user types `==`: PYM001 goes away, PYM004 stays.
      const start = positionOf(SOURCE, "is 1");
      await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: URI, version: 2 },
        contentChanges: [{ range: { start, end: { line: start.line, character: start.character + 2 } }, text: "==" }],
      });
      const after = await session.diagnosticsWhen("PYM001 gone after the edit", (codes) => !codes.includes("PYM001"));
      expect(after.version).toBe(2);
      expect(after.diagnostics.map((d) => d.code)).toEqual(["PYM004"]);

      // A stopped server closes its worker: restarting the extension must not leave one behind.
      expect(session.page.workers()).toHaveLength(1);
      await session.shutDown();
      await pollFor("the worker to close after exit", () => (session.page.workers().length === 0 ? true : undefined), 10_000);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it("started from its own URL, finds the wasm files beside its script and fetches nothing else", async () => {
    requests.length = 0;
    const session = await WorkerSession.open(browser, baseUrl, "script");
    try {
      const result = await session.initialize({ language: "en" });
      expect(result.serverInfo?.name).toBe("python-mentor");
      await session.open("def check(x):\n    return x is 1\n");
      await session.diagnosticsWhen("PYM001", (codes) => codes.includes("PYM001"));
      expect(session.problems).toEqual([]);
      expect(requests.sort()).toEqual(["/dist/tree-sitter-python.wasm", "/dist/web-tree-sitter.wasm", "/dist/web/server.js", "/harness.html"]);
    } finally {
      await session.close();
    }
  });

  it("answers initialize with a clear error when the wasm folder is wrong", async () => {
    const session = await WorkerSession.open(browser, baseUrl, "blob");
    try {
      await expect(session.initialize({ wasmFolderUrl: `${baseUrl}/nowhere/` })).rejects.toThrow(`Could not fetch ${baseUrl}/nowhere/web-tree-sitter.wasm: HTTP 404`);
      await expect(session.initialize({ wasmFolderUrl: 42 })).rejects.toThrow(/wasmFolderUrl is not a URL/);
    } finally {
      await session.page.close();
    }
  });

  it("the browser client bundle loads in a page asking only for `vscode`", async () => {
    const source = readFileSync(path.join(DIST, "web/client.js"), "utf8");
    expect(source).not.toMatch(/require\("(node:)?(fs|path|child_process|net|os|worker_threads)"\)/);
    const page = await browser.newPage();
    try {
      await page.goto(`${baseUrl}/harness.html`);
      const loaded = await page.evaluate((text) => (globalThis as unknown as Harness).loadCommonJs(text), source);
      expect(new Set(loaded.required)).toEqual(new Set(["vscode"]));
      expect(loaded.exports).toEqual(["activate", "deactivate"]);
    } finally {
      await page.close();
    }
  });
});
