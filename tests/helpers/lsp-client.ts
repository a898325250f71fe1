import { spawn, type ChildProcess } from "node:child_process";
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { BIN } from "./cli";

/**
 * A minimal LSP client over stdio for a real `python-mentor lsp --stdio` process. Tests wait
 * for conditions with a deadline instead of sleeping.
 */
export class StdioLspClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly published: PublishDiagnosticsParams[] = [];
  stderr = "";
  protected waiters: (() => void)[] = [];

  /** `script` is the bundle or shim to run with Node: the CLI's (PYM_CLI_BUNDLE) unless told. */
  constructor(args: string[] = ["lsp", "--stdio"], script = BIN) {
    this.process = spawn(process.execPath, [script, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    this.process.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.record(() => this.published.push(params)));
    // The server says nothing before `initialize`, so subclasses may still add handlers after this.
    this.connection.listen();
  }

  /** Keeps something the server sent and wakes whoever waits for it. */
  protected record(push: () => void): void {
    push();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves with the first published diagnostics that match, or rejects at the deadline. */
  waitForDiagnostics(match: (params: PublishDiagnosticsParams) => boolean, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no matching diagnostics within ${timeoutMs} ms; got ${JSON.stringify(this.published)}`)), timeoutMs);
      const check = () => {
        const found = this.published.find(match);
        if (found) {
          clearTimeout(deadline);
          resolve(found);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  /** Resolves with the exit code once the process has ended. */
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
