import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeParams,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
} from "vscode-languageserver-protocol/node";
import { ROOT } from "../helpers/runtime";

/**
 * The real `python-mentor lsp --stdio` process, for the robustness suite.
 *
 * Which bundle runs: `PYM_SERVER_JS` names a built `python-mentor.js` (with its two .wasm files
 * beside it); by default it is dist/python-mentor.js, which `npm test` builds first. While dist/
 * may be stale (others build it), build a private copy and point the suite at it:
 *
 *   PYM_OUTDIR=/tmp/pym-robust node scripts/build.mjs
 *   PYM_SERVER_JS=/tmp/pym-robust/python-mentor.js npx vitest run tests/robustness
 *
 * Unlike tests/helpers/lsp-client.ts, it keeps every log and message the server sends, can write
 * raw bytes (a burst of notifications in one write, as a fast typist's editor sends them), and
 * reads the process's peak memory.
 */
export const SERVER_JS = process.env.PYM_SERVER_JS ? path.resolve(process.env.PYM_SERVER_JS) : path.join(ROOT, "dist/python-mentor.js");

export class StdioServer {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly shown: ShowMessageParams[] = [];
  stderr = "";
  private waiters: (() => void)[] = [];

  constructor() {
    if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} does not exist: build it (see tests/robustness/stdio-server.ts)`);
    this.process = spawn(process.execPath, [SERVER_JS, "lsp", "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    this.process.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.record(() => this.published.push(params)));
    this.connection.onNotification(LogMessageNotification.type, (params) => this.record(() => this.logs.push(params)));
    this.connection.onNotification(ShowMessageNotification.type, (params) => this.record(() => this.shown.push(params)));
    this.connection.listen();
  }

  async initialize(params: Partial<InitializeParams> = {}): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, ...params });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  private record(push: () => void): void {
    push();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once `ready()` holds for what the server sent, or rejects after `timeoutMs` (a deadline, not a measurement). */
  until<T>(ready: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; logs: ${this.logs.map((l) => l.message.slice(0, 300)).join(" | ")}; stderr: ${this.stderr.slice(0, 2000)}`)), timeoutMs);
      const check = () => {
        const found = ready();
        if (found !== undefined) {
          clearTimeout(deadline);
          resolve(found);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  diagnosticsFor(uri: string, version: number, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    return this.until(() => this.published.find((p) => p.uri === uri && p.version === version), `diagnostics for ${uri} version ${version}`, timeoutMs);
  }

  /** Writes JSON-RPC notifications as one chunk of bytes: the server reads them all before handling any. */
  writeBurst(messages: readonly { method: string; params: unknown }[]): void {
    const frames = messages.map(({ method, params }) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", method, params }), "utf8");
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]);
    });
    this.process.stdin!.write(Buffer.concat(frames));
  }

  /** The most memory the process has held (VmHWM, Linux only), in MiB; undefined elsewhere. */
  peakMemoryMiB(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.process.pid}/status`, "utf8");
      const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kib ? Number(kib) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  exited(timeoutMs = 10_000): Promise<number | null> {
    return new Promise((resolve, reject) => {
      if (this.process.exitCode !== null) return resolve(this.process.exitCode);
      const deadline = setTimeout(() => reject(new Error("the server did not exit")), timeoutMs);
      this.process.on("exit", (code) => {
        clearTimeout(deadline);
        resolve(code);
      });
    });
  }

  kill(): void {
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}
