import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchCase, CaseResult } from "./case";
import { syntheticFiles } from "./corpus";
import { delay, INITIALIZE_PARAMS, LspProcess } from "./lsp-stdio";
import { round } from "./stats";

const OPEN_FILES = 200;
const FILE_LINES = 1_000;
const GC_DONE = "pym-bench-gc-done";

/**
 * The real server process's resident memory (/proc/<pid>/status) with 200 files of 1,000 lines
 * open, then over a long burst of edits to one of them, each awaited like a keystroke. Trees live
 * in WebAssembly memory, which no garbage collector frees, so a tree not deleted shows up here.
 */
export const memoryCase: BenchCase = {
  name: "memory",
  description: "server RSS with 200 x 1,000-line files open, and its growth over 10,000 edits",
  async run(ctx): Promise<CaseResult> {
    if (process.platform !== "linux") {
      return { rows: [], notes: ["memory: reads /proc/<pid>/status, so it runs on Linux only: skipped"], data: { skipped: process.platform } };
    }
    const totalEdits = Number(process.env.BENCH_MEMORY_EDITS ?? 10_000);
    const files = syntheticFiles(ctx.corpus(), FILE_LINES, OPEN_FILES);
    const uri = (i: number) => `file:///memory-bench/file${i}.py`;
    // The edits go to the middle of the first file: a letter typed and taken back in an indented
    // line (a function or method body, usually), and, every 50th pair, a space at a line's start,
    // whose indentation error re-analyses the whole file.
    const lines = files[0].split("\n");
    const row = lines.findIndex((line, i) => i >= FILE_LINES / 2 && /^\s+[A-Za-z_]\w{3,}/.test(line));
    const editRow = row >= 0 ? row : FILE_LINES / 2;
    const column = (lines[editRow].length - lines[editRow].trimStart().length) + 2;
    const edit = (n: number) => {
      const space = Math.floor(n / 2) % 50 === 49;
      const at = space ? 0 : column;
      return n % 2 === 0
        ? { range: { start: { line: editRow, character: at }, end: { line: editRow, character: at } }, text: space ? " " : "q" }
        : { range: { start: { line: editRow, character: at }, end: { line: editRow, character: at + 1 } }, text: "" };
    };

    // A preload lets the bench ask the server for a full garbage collection (SIGUSR2), so that
    // memory still held (a leak) can be told from garbage V8 has not yet collected.
    const preload = path.join(mkdtempSync(path.join(os.tmpdir(), "pym-bench-gc-")), "gc-on-signal.js");
    writeFileSync(
      preload,
      `process.on("SIGUSR2", () => { global.gc(); const m = process.memoryUsage(); ` +
        `process.stderr.write("${GC_DONE} " + JSON.stringify({ heap: m.heapUsed, external: m.external }) + "\\n"); });\n`,
    );
    const server = new LspProcess(ctx.cliBundle, ["lsp", "--stdio"], ["--expose-gc", "--require", preload]);
    // The JS heap in use and the memory outside it (WebAssembly memory, where the trees live),
    // both right after a full collection: what is still held, whatever V8 keeps in reserve.
    const collected = async (): Promise<{ heapMB: number; externalMB: number }> => {
      const before = server.stderr.split(GC_DONE).length;
      server.child.kill("SIGUSR2");
      const report = () => server.stderr.slice(server.stderr.lastIndexOf(GC_DONE) + GC_DONE.length);
      // Until the report's whole line has arrived (stderr may come in pieces).
      while (server.stderr.split(GC_DONE).length === before || !report().includes("\n")) await delay(10);
      const line = report().split("\n")[0];
      const { heap, external } = JSON.parse(line) as { heap: number; external: number };
      return { heapMB: round(heap / 1048576, 1), externalMB: round(external / 1048576, 1) };
    };
    try {
      await server.request("initialize", INITIALIZE_PARAMS);
      server.notify("initialized", {});
      const started = server.memory();
      for (const [i, text] of files.entries()) server.notify("textDocument/didOpen", { textDocument: { uri: uri(i), languageId: "python", version: 1, text } });
      for (let i = 0; i < files.length; i++) await server.diagnostics(uri(i), 1);
      const opened = server.memory();
      const openedHeld = await collected();
      ctx.log(`  ${OPEN_FILES} files open: ${opened.rssMB.toFixed(1)} MB RSS (${started.rssMB.toFixed(1)} MB before); after a full GC: JS heap ${openedHeld.heapMB} MB, WebAssembly and other external ${openedHeld.externalMB} MB`);
      const checkpoints: { edits: number; rssMB: number; heapMB: number; externalMB: number }[] = [{ edits: 0, rssMB: round(opened.rssMB, 1), ...openedHeld }];
      const every = Math.max(1, Math.floor(totalEdits / 10));
      for (let n = 0; n < totalEdits; n++) {
        const version = n + 2;
        server.notify("textDocument/didChange", { textDocument: { uri: uri(0), version }, contentChanges: [edit(n)] });
        await server.diagnostics(uri(0), version);
        if ((n + 1) % every === 0) {
          const rssMB = round(server.memory().rssMB, 1);
          checkpoints.push({ edits: n + 1, rssMB, ...(await collected()) });
          const last = checkpoints[checkpoints.length - 1];
          ctx.log(`  ${n + 1} edits: ${last.rssMB} MB RSS; after a full GC: JS heap ${last.heapMB} MB, external ${last.externalMB} MB`);
        }
      }
      const first = checkpoints[0];
      const end = checkpoints[checkpoints.length - 1];
      const peak = server.memory().peakMB;
      // RSS after the last edit (measured before the forced collection, as an editor would see it).
      const growth = end.rssMB - first.rssMB;
      return {
        rows: [
          { measure: `server RSS, ${OPEN_FILES} files x ${FILE_LINES.toLocaleString("en-US")} lines open`, unit: "MB", median: opened.rssMB, goals: [{ on: "median", op: "<", value: 150 }] },
          { measure: "  of which JS heap in use (after a full GC)", unit: "MB", median: first.heapMB },
          { measure: "  of which WebAssembly and external (after a full GC)", unit: "MB", median: first.externalMB },
          { measure: `RSS growth over ${totalEdits.toLocaleString("en-US")} edits`, unit: "MB", median: growth, goals: [{ on: "median", op: "<", value: 5 }] },
          { measure: "  JS heap growth (after a full GC)", unit: "MB", median: end.heapMB - first.heapMB },
          { measure: "  WebAssembly and external growth (trees)", unit: "MB", median: end.externalMB - first.externalMB },
        ],
        notes: [
          `memory: peak RSS (VmHWM) ${peak.toFixed(1)} MB, RSS ranged ${Math.min(...checkpoints.map((c) => c.rssMB))}-${Math.max(...checkpoints.map((c) => c.rssMB))} MB over the edits; ` +
            `${started.rssMB.toFixed(1)} MB after initialize with nothing open; one process, measured once. The server ran with --expose-gc and a ` +
            "preload that collects garbage on SIGUSR2 and reports process.memoryUsage(), sent at each checkpoint after reading RSS",
        ],
        data: {
          files: OPEN_FILES,
          fileLines: FILE_LINES,
          edits: totalEdits,
          editRow,
          rssMB: { initialized: round(started.rssMB, 1), opened: round(opened.rssMB, 1), end: end.rssMB, peak: round(peak, 1) },
          growthMB: round(growth, 1),
          heapGrowthMB: round(end.heapMB - first.heapMB, 1),
          externalGrowthMB: round(end.externalMB - first.externalMB, 1),
          checkpoints,
        },
      };
    } finally {
      await server.close();
      rmSync(path.dirname(preload), { recursive: true, force: true });
    }
  },
};
