import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * A minimal LSP client over stdio for a real `python-mentor lsp --stdio` process: Content-Length
 * framing, requests with ids, and the diagnostics the server publishes. Written here rather than
 * taken from tests/helpers so the bench pulls in neither vitest nor the protocol library's own
 * parsing, whose cost would be timed along with the server's.
 */
export class LspProcess {
  readonly child: ChildProcess;
  private buffer: Buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  private readonly diagnosticWaiters: { uri: string; version: number | undefined; resolve(): void }[] = [];
  /** The latest diagnostics version published per URI (-1 when published without one). */
  readonly published = new Map<string, number>();
  stderr = "";

  constructor(bundle: string, args: string[] = ["lsp", "--stdio"], nodeArgs: string[] = []) {
    this.child = spawn(process.execPath, [...nodeArgs, bundle, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout!.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on("exit", (code, signal) => {
      const error = new Error(`the server exited (${signal ?? code}) ${this.stderr.slice(-500)}`);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** Resolves once diagnostics for `uri` (at `version` or later, when given) have been published. */
  diagnostics(uri: string, version?: number): Promise<void> {
    const seen = this.published.get(uri);
    if (seen !== undefined && (version === undefined || seen >= version)) return Promise.resolve();
    return new Promise((resolve) => this.diagnosticWaiters.push({ uri, version, resolve }));
  }

  /** Resident memory of the server process (VmRSS) and its peak (VmHWM), in MB; Linux only. */
  memory(): { rssMB: number; peakMB: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMB: kb("VmRSS") / 1024, peakMB: kb("VmHWM") / 1024 };
  }

  /** Asks the server to shut down and exit; kills it if it has not within a second. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    try {
      await Promise.race([this.request("shutdown", null), delay(1000)]);
      this.notify("exit", null);
    } catch {
      // Already gone: the exit handler rejected the request.
    }
    const timer = setTimeout(() => this.child.kill(), 1000);
    await exited;
    clearTimeout(timer);
  }

  private send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined && typeof message.id === "number") {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`${message.error.message} (${message.error.code})`));
      else waiter?.resolve(message.result);
    } else if (message.method === "textDocument/publishDiagnostics") {
      const { uri, version } = message.params as { uri: string; version?: number };
      this.published.set(uri, version ?? -1);
      for (let i = this.diagnosticWaiters.length - 1; i >= 0; i--) {
        const waiter = this.diagnosticWaiters[i];
        if (waiter.uri === uri && (waiter.version === undefined || (version ?? -1) >= waiter.version)) {
          this.diagnosticWaiters.splice(i, 1);
          waiter.resolve();
        }
      }
    } else if (message.method !== undefined && message.id !== undefined) {
      // A request from the server (registerCapability, workDoneProgress/create): accept it.
      this.send({ jsonrpc: "2.0", id: message.id, result: null });
    }
  }
}

interface Message {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The parameters our own client sends, minus what the server ignores. */
export const INITIALIZE_PARAMS = { processId: process.pid, rootUri: null, capabilities: {}, locale: "en" };
