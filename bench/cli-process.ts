import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";

/** What this build's `python-mentor check` accepts, read from its --help (the options are new). */
export interface CliFeatures {
  jobs: boolean;
  noCache: boolean;
}

export function cliFeatures(bundle: string): CliFeatures {
  const help = spawnSync(process.execPath, [bundle, "check", "--help"], { encoding: "utf8" });
  const text = `${help.stdout ?? ""}${help.stderr ?? ""}`;
  return { jobs: /--jobs\b/.test(text), noCache: /--no-cache\b/.test(text) };
}

export interface CliRun {
  wallMs: number;
  findings: number;
  status: number | null;
}

/** One `python-mentor check --format json` process, timed from spawn to exit. */
export function runCheck(bundle: string, args: readonly string[], env: NodeJS.ProcessEnv): CliRun {
  const start = performance.now();
  const run = spawnSync(process.execPath, [bundle, "check", "--format", "json", ...args], { encoding: "utf8", env, maxBuffer: 1 << 30 });
  const wallMs = performance.now() - start;
  // 0 = clean, 1 = findings, 2 = some file could not be read (the rest are still checked).
  if (run.status === null || run.status > 2 || (run.status === 2 && !run.stdout.startsWith("["))) {
    throw new Error(`python-mentor check ${args.join(" ")} failed (${run.status ?? run.signal}): ${run.stderr.slice(-1000)}`);
  }
  const findings = (JSON.parse(run.stdout) as unknown[]).length;
  return { wallMs, findings, status: run.status };
}
