import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { BenchCase, CaseResult, Row } from "./case";
import { runCheck } from "./cli-process";
import { INITIALIZE_PARAMS, LspProcess } from "./lsp-stdio";
import { roundAll, summarize } from "./stats";

const SIZES = [1_000, 4_000, 16_000];

/** A module of `count` small functions, a few of them with a pitfall, as generated code or a long test file is. */
export function manyFunctions(count: number): string {
  const parts: string[] = ["import threading", ""];
  for (let i = 0; i < count; i++) {
    const check = i % 97 === 0 ? "item is 1" : "item is None";
    parts.push(
      `def function_${i}(items, limit=10):`,
      "    total = 0",
      "    for item in items:",
      `        if ${check}:`,
      "            continue",
      "        total += len(item)",
      "    return total",
      "",
    );
  }
  return parts.join("\n");
}

/**
 * First open of a large file over stdio: didOpen -> first diagnostics from a real
 * `python-mentor lsp --stdio` process, against the whole `check` process on the same file (node
 * start included). The engine's one path makes both linear in the file's size.
 */
export const firstOpenCase: BenchCase = {
  name: "first-open",
  description: "didOpen -> diagnostics over stdio for files of 1,000 / 4,000 / 16,000 functions, vs `check` on each",
  async run(ctx): Promise<CaseResult> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "python-mentor-first-open-"));
    const rows: Row[] = [];
    const data: Record<string, unknown> = {};
    try {
      for (const count of SIZES) {
        const text = manyFunctions(count);
        const file = path.join(dir, `functions_${count}.py`);
        writeFileSync(file, text);
        const openMs: number[] = [];
        const checkMs: number[] = [];
        for (let run = 0; run < ctx.runs; run++) {
          const server = new LspProcess(ctx.cliBundle);
          try {
            await server.request("initialize", INITIALIZE_PARAMS);
            server.notify("initialized", {});
            const uri = `file://${file}`;
            const start = performance.now();
            server.notify("textDocument/didOpen", { textDocument: { uri, languageId: "python", version: 1, text } });
            await server.diagnostics(uri, 1);
            openMs.push(performance.now() - start);
          } finally {
            await server.close();
          }
          checkMs.push(runCheck(ctx.cliBundle, ["--no-cache", "--jobs", "1", file], { ...process.env, LANG: "C" }).wallMs);
          ctx.log(`  run ${run + 1}/${ctx.runs}, ${count} functions: didOpen -> diagnostics ${openMs[run].toFixed(0)} ms, check ${checkMs[run].toFixed(0)} ms`);
        }
        const open = summarize(openMs);
        const check = summarize(checkMs);
        const lines = text.split("\n").length;
        rows.push({ measure: `didOpen -> diagnostics, ${count.toLocaleString("en-US")} functions (${lines.toLocaleString("en-US")} lines)`, unit: "ms", median: open.median, worst: open.worst });
        rows.push({ measure: `  \`check\` process on the same file`, unit: "ms", median: check.median, worst: check.worst });
        rows.push({
          measure: "  didOpen / check",
          unit: "x",
          median: open.median / check.median,
          goals: count === 4_000 ? [{ on: "median", op: "<=", value: 1 }] : undefined,
        });
        data[String(count)] = { lines, openMs: roundAll(openMs), checkMs: roundAll(checkMs) };
      }
      const per = (count: number) => {
        const entry = data[String(count)] as { openMs: number[] };
        return summarize(entry.openMs).median / count;
      };
      rows.push({ measure: "didOpen per function, 16,000 / 1,000 functions (1 = linear)", unit: "x", median: per(16_000) / per(1_000) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return { rows, notes: ["first-open: each run is a new server process; `check` runs with --no-cache --jobs 1"], data };
  },
};
