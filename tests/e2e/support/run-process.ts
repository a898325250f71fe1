import { spawn } from "node:child_process";

export interface ProcessResult {
  /** The exit code, or null when the process ended on a signal. */
  status: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the deadline ended it. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** After this long the process and everything it started is killed. */
  timeoutMs: number;
}

/**
 * Runs a command to its end, with a deadline. The command gets its own process group, so at the
 * deadline the editor and the language server it started are killed together: a hung editor
 * never leaves a server behind.
 */
export function runWithDeadline(command: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${command}: ${error.message}`));
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      // Children that outlived a normal exit (they should not) go too.
      killGroup(child.pid);
      resolve({ status, signal, timedOut, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

/** The last `count` lines of a text, each cut at `width` characters (LSP logs hold whole messages on one line). */
export function lastLines(text: string, count: number, width = 400): string {
  return text
    .trimEnd()
    .split("\n")
    .slice(-count)
    .map((line) => (line.length > width ? `${line.slice(0, width)}... (${line.length} characters)` : line))
    .join("\n");
}
