import { existsSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { makeTempDir, type TempDir } from "./paths";
import type { ProcessResult } from "./run-process";

/**
 * A throwaway home for one headless editor run: HOME and the XDG folders inside a temp folder,
 * so the user's own configuration, plugins and caches are never read or written, and a project
 * folder to work in.
 */
export interface EditorSandbox {
  temp: TempDir;
  home: string;
  /** The project folder the editor starts in. */
  work: string;
  xdg: { XDG_CONFIG_HOME: string; XDG_DATA_HOME: string; XDG_STATE_HOME: string; XDG_CACHE_HOME: string };
  /** Where the scenario writes its own log (PYM_E2E_LOG). */
  scriptLog: string;
}

export function editorSandbox(prefix: string): EditorSandbox {
  const temp = makeTempDir(prefix);
  const home = path.join(temp.path, "home");
  const work = path.join(temp.path, "project");
  const xdg = {
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local/share"),
    XDG_STATE_HOME: path.join(home, ".local/state"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
  };
  for (const dir of [home, work, ...Object.values(xdg)]) mkdirSync(dir, { recursive: true });
  return { temp, home, work, xdg, scriptLog: path.join(temp.path, "scenario.log") };
}

/** The environment without the named variables (those that would tie the editor to an outer installation). */
export function envWithout(names: readonly string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}

export function readIfThere(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : `(${file} was not written)`;
}

/** How a run ended, for the first line of a failure report. */
export function describeEnding(run: ProcessResult, timeoutMs: number): string {
  const ending = run.timedOut ? `was killed after ${timeoutMs} ms` : `exited with status ${run.status} (signal ${run.signal})`;
  return `${ending} after ${run.durationMs} ms`;
}
