import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import {
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  ShowMessageNotification,
  type InitializeParams,
  type LogMessageParams,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
} from "vscode-languageserver-protocol/node";
import { StdioLspClient } from "../helpers/lsp-client";
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
 * On top of tests/helpers/lsp-client.ts, it keeps every log and message the server sends, can write
 * raw bytes (a burst of notifications in one write, as a fast typist's editor sends them), and
 * reads the process's peak memory.
 */
export const SERVER_JS = process.env.PYM_SERVER_JS ? path.resolve(process.env.PYM_SERVER_JS) : path.join(ROOT, "dist/python-mentor.js");

export class StdioServer extends StdioLspClient {
  readonly logs: LogMessageParams[] = [];
  readonly shown: ShowMessageParams[] = [];

  constructor() {
    if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} does not exist: build it (see tests/robustness/stdio-server.ts)`);
    super(["lsp", "--stdio"], SERVER_JS);
    this.connection.onNotification(LogMessageNotification.type, (params) => this.record(() => this.logs.push(params)));
    this.connection.onNotification(ShowMessageNotification.type, (params) => this.record(() => this.shown.push(params)));
  }

  async initialize(params: Partial<InitializeParams> = {}): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, ...params });
    await this.connection.sendNotification(InitializedNotification.type, {});
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
}
