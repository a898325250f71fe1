import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ROOT } from "./runtime";

export const BIN = path.join(ROOT, "bin/python-mentor.js");

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `python-mentor` executable as a user would (it needs `npm run build` first). */
export function runCli(args: readonly string[], cwd = ROOT, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
