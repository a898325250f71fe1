import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, REPO_ROOT, serverBundle } from "./support/paths";
import { lastLines, runWithDeadline, type ProcessResult } from "./support/run-process";

/**
 * Real Emacs (Debian's 28.2 + elpa-eglot 1.9, or newer) with eglot as an LSP client of
 * `python-mentor lsp --stdio`. Each scenario is an Emacs Lisp file under tests/e2e/emacs/scenarios/,
 * run in batch mode after tests/e2e/emacs/mentor.el; it exits 0 when every expectation held.
 */

const EMACS = process.env.PYM_EMACS ?? "emacs";
const EMACS_DIR = path.join(REPO_ROOT, "tests/e2e/emacs");
/** For the whole editor run; each wait inside a scenario has its own, shorter deadline (PYM_E2E_WAIT_MS). */
const SCENARIO_TIMEOUT_MS = 90_000;

const SCENARIOS: { file: string; what: string }[] = [
  { file: "diagnostics.el", what: "pushed diagnostics reach flymake at the right place, past Korean text and an emoji" },
  { file: "hover.el", what: "hover shows the staticmethod entry, explains `is`, and stays silent over a plain name" },
  { file: "code-action.el", what: "eglot applies the `Use ==` quick fix and PYM001 goes away" },
];

let bundle = "";

beforeAll(() => {
  const version = spawnSync(EMACS, ["--batch", "-Q", "--version"], { encoding: "utf8" });
  if (version.status !== 0) {
    throw new Error(
      `Emacs (${EMACS}) cannot run: ${version.error?.message ?? version.stderr}. Install emacs-nox and elpa-eglot (apt-get install emacs-nox elpa-eglot), or point PYM_EMACS at one.`,
    );
  }
  bundle = serverBundle();
});

describe("Emacs + eglot as a client of python-mentor lsp --stdio", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.file}: ${scenario.what}`, async () => {
      const temp = makeTempDir("emacs");
      // -Q skips the user's init files; HOME and the XDG folders in the temp folder keep Emacs
      // from writing ~/.emacs.d (eln-cache, auto-save lists) anywhere real.
      const home = path.join(temp.path, "home");
      const work = path.join(temp.path, "project");
      const xdg = {
        XDG_CONFIG_HOME: path.join(home, ".config"),
        XDG_DATA_HOME: path.join(home, ".local/share"),
        XDG_STATE_HOME: path.join(home, ".local/state"),
        XDG_CACHE_HOME: path.join(home, ".cache"),
      };
      for (const dir of [home, work, ...Object.values(xdg)]) mkdirSync(dir, { recursive: true });
      const scriptLog = path.join(temp.path, "scenario.log");
      const eventsLog = path.join(temp.path, "eglot-events.log");

      const run = await runWithDeadline(
        EMACS,
        ["--batch", "-Q", "-l", path.join(EMACS_DIR, "mentor.el"), "-l", path.join(EMACS_DIR, "scenarios", scenario.file)],
        {
          cwd: work,
          env: {
            ...editorFreeEnv(),
            HOME: home,
            ...xdg,
            PYM_SERVER_JS: bundle,
            PYM_NODE: process.execPath,
            PYM_E2E_WORKDIR: work,
            PYM_E2E_LOG: scriptLog,
            PYM_E2E_EVENTS: eventsLog,
          },
          timeoutMs: SCENARIO_TIMEOUT_MS,
        },
      );

      const passed = run.status === 0 && !run.timedOut;
      if (passed) temp.remove();
      expect(run.status, passed ? "" : failureReport(scenario.file, run, scriptLog, eventsLog, temp.path)).toBe(0);
    });
  }
});

/** The environment without the variables that would point Emacs at another installation's Lisp files. */
function editorFreeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["EMACSLOADPATH", "EMACSNATIVELOADPATH", "EMACSDATA", "EMACSDOC", "EMACSPATH", "INSIDE_EMACS"]) delete env[name];
  return env;
}

function readIfThere(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : `(${file} was not written)`;
}

/** What a failed scenario prints: its own log, eglot's events and the server's stderr, and Emacs's output. */
function failureReport(file: string, run: ProcessResult, scriptLog: string, eventsLog: string, kept: string): string {
  const ending = run.timedOut ? `was killed after ${SCENARIO_TIMEOUT_MS} ms` : `exited with status ${run.status} (signal ${run.signal})`;
  return [
    `Emacs scenario ${file} ${ending} after ${run.durationMs} ms; its files are kept in ${kept}`,
    `--- scenario log (${scriptLog}) ---`,
    readIfThere(scriptLog).trimEnd(),
    `--- eglot events buffer and server stderr, last 50 lines (${eventsLog}) ---`,
    lastLines(readIfThere(eventsLog), 50),
    "--- Emacs stdout / stderr ---",
    lastLines(`${run.stdout}${run.stderr}`, 50) || "(none)",
  ].join("\n");
}
