import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { describeEnding, editorSandbox, envWithout, readIfThere } from "./support/editor-sandbox";
import { REPO_ROOT, serverBundle } from "./support/paths";
import { lastLines, runWithDeadline, type ProcessResult } from "./support/run-process";

/**
 * Real Neovim (Debian's 0.7.2 or newer) as an LSP client of `python-mentor lsp --stdio`. Each
 * scenario is a Lua script under tests/e2e/neovim/scenarios/ that drives the editor headless
 * through tests/e2e/neovim/mentor.lua and exits 0 when every expectation held.
 */

const NVIM = process.env.PYM_NVIM ?? "nvim";
const SCENARIOS_DIR = path.join(REPO_ROOT, "tests/e2e/neovim/scenarios");
/** For the whole editor run; each wait inside a scenario has its own, shorter deadline (PYM_E2E_WAIT_MS). */
const SCENARIO_TIMEOUT_MS = 90_000;

const SCENARIOS: { file: string; what: string }[] = [
  { file: "diagnostics.lua", what: "pushed diagnostics land on the right code, past Korean text and an emoji" },
  { file: "hover.lua", what: "hover shows the staticmethod entry, explains `is`, and stays silent over a plain name" },
  { file: "code-action.lua", what: "the `Use ==` quick fix edits the buffer and PYM001 goes away" },
  { file: "disable-line.lua", what: "`Disable PYM001 for this line` adds `# noqa: PYM001`" },
  { file: "completion.lua", what: "`pym-` completes to a plain-text snippet" },
];

let bundle = "";

beforeAll(() => {
  const version = spawnSync(NVIM, ["--version"], { encoding: "utf8" });
  if (version.status !== 0) {
    throw new Error(`Neovim (${NVIM}) cannot run: ${version.error?.message ?? version.stderr}. Install it with bash tests/e2e/setup.sh, or point PYM_NVIM at one.`);
  }
  bundle = serverBundle();
});

describe("Neovim as a client of python-mentor lsp --stdio", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.file}: ${scenario.what}`, async () => {
      // Neovim's config, data, state and cache (the LSP log) all live in the temp folder: the
      // user's own init.lua, plugins and swap files are never read or written.
      const { temp, home, work, xdg, scriptLog } = editorSandbox("nvim");
      const lspLog = path.join(xdg.XDG_CACHE_HOME, "nvim/lsp.log");

      const run = await runWithDeadline(
        NVIM,
        ["--headless", "--clean", "-u", "NONE", "-c", `luafile ${escapeExArgument(path.join(SCENARIOS_DIR, scenario.file))}`],
        {
          cwd: work,
          env: { ...envWithout(OUTER_EDITOR_VARIABLES), HOME: home, ...xdg, PYM_SERVER_JS: bundle, PYM_NODE: process.execPath, PYM_E2E_WORKDIR: work, PYM_E2E_LOG: scriptLog },
          timeoutMs: SCENARIO_TIMEOUT_MS,
        },
      );

      const passed = run.status === 0 && !run.timedOut;
      if (passed) temp.remove();
      expect(run.status, passed ? "" : failureReport(scenario.file, run, scriptLog, lspLog, temp.path)).toBe(0);
    });
  }
});

/** Variables that would tie the editor to an outer Neovim or Vim. */
const OUTER_EDITOR_VARIABLES = ["NVIM", "NVIM_LISTEN_ADDRESS", "NVIM_LOG_FILE", "VIMINIT", "MYVIMRC", "VIMRUNTIME"];

/** `:luafile` takes a file name: spaces and backslashes in it need a backslash. */
function escapeExArgument(file: string): string {
  return file.replace(/[\\ ]/g, (character) => `\\${character}`);
}

/** What a failed scenario prints: its own log, the server's stderr, the LSP log, and Neovim's output. */
function failureReport(file: string, run: ProcessResult, scriptLog: string, lspLog: string, kept: string): string {
  const lsp = readIfThere(lspLog);
  // Neovim logs each chunk of the server's stderr as an ERROR line tagged "stderr".
  const serverStderr = lsp
    .split("\n")
    .filter((line) => line.includes('"stderr"'))
    .join("\n");
  return [
    `Neovim scenario ${file} ${describeEnding(run, SCENARIO_TIMEOUT_MS)}; its files are kept in ${kept}`,
    `--- scenario log (${scriptLog}) ---`,
    readIfThere(scriptLog).trimEnd(),
    `--- server stderr, last 50 lines (from ${lspLog}) ---`,
    serverStderr ? lastLines(serverStderr, 50) : "(none)",
    `--- LSP log, last 50 lines (${lspLog}) ---`,
    lastLines(lsp, 50),
    "--- Neovim stdout / stderr ---",
    lastLines(`${run.stdout}${run.stderr}`, 50) || "(none)",
  ].join("\n");
}
