import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";
import { ROOT } from "./runtime";

/**
 * What runs: bin/python-mentor.js (which loads dist/python-mentor.js), or the bundle named by
 * PYM_CLI_BUNDLE, to test a build made elsewhere (`PYM_OUTDIR=/tmp/x node scripts/build.mjs`,
 * then `PYM_CLI_BUNDLE=/tmp/x/python-mentor.js npx vitest run tests/cli`) without touching dist/.
 */
export const BIN = process.env.PYM_CLI_BUNDLE ? path.resolve(process.env.PYM_CLI_BUNDLE) : path.join(ROOT, "bin/python-mentor.js");

/** Tests never write to the user's own cache folder: one throwaway cache per test file unless a test names its own. */
const defaultCache = mkdtempSync(path.join(tmpdir(), "python-mentor-cache-"));
// Registered on the importing test file (vitest kills its workers, so an exit handler would not run).
afterAll(() => rmSync(defaultCache, { recursive: true, force: true }));

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
    env: { ...process.env, NO_COLOR: "1", PYTHON_MENTOR_CACHE_DIR: defaultCache, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
