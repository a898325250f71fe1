import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { describeEnding, editorSandbox, envWithout, readIfThere } from "./support/editor-sandbox";
import { REPO_ROOT, serverBundle } from "./support/paths";
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
      // -Q skips the user's init files; HOME and the XDG folders in the temp folder keep Emacs
      // from writing ~/.emacs.d (eln-cache, auto-save lists) anywhere real.
      const { temp, home, work, xdg, scriptLog } = editorSandbox("emacs");
      const eventsLog = path.join(temp.path, "eglot-events.log");

      const run = await runWithDeadline(
        EMACS,
        ["--batch", "-Q", "-l", path.join(EMACS_DIR, "mentor.el"), "-l", path.join(EMACS_DIR, "scenarios", scenario.file)],
        {
          cwd: work,
          env: {
            ...envWithout(OUTER_EDITOR_VARIABLES),
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

/** Variables that would point Emacs at another installation's Lisp files. */
const OUTER_EDITOR_VARIABLES = ["EMACSLOADPATH", "EMACSNATIVELOADPATH", "EMACSDATA", "EMACSDOC", "EMACSPATH", "INSIDE_EMACS"];

/** What a failed scenario prints: its own log, eglot's events and the server's stderr, and Emacs's output. */
function failureReport(file: string, run: ProcessResult, scriptLog: string, eventsLog: string, kept: string): string {
  return [
    `Emacs scenario ${file} ${describeEnding(run, SCENARIO_TIMEOUT_MS)}; its files are kept in ${kept}`,
    `--- scenario log (${scriptLog}) ---`,
    readIfThere(scriptLog).trimEnd(),
    `--- eglot events buffer and server stderr, last 50 lines (${eventsLog}) ---`,
    lastLines(readIfThere(eventsLog), 50),
    "--- Emacs stdout / stderr ---",
    lastLines(`${run.stdout}${run.stderr}`, 50) || "(none)",
  ].join("\n");
}
