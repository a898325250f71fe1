import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { Language } from "web-tree-sitter";
import { entries } from "virtual:build-info";
import { KnowledgeBase } from "../server/src/knowledge/knowledge-base";
import { loadPythonLanguage } from "../server/src/parse/python-parser";
import type { BenchCase, BenchContext, CaseResult, CorpusPass, PassResult } from "./case";
import { loadCorpus, stdlibDir, type Corpus } from "./corpus";
import { firstOpenCase } from "./first-open";
import { floorCase } from "./floor";
import { hoverCase } from "./hover";
import { keystrokeCase } from "./keystroke";
import { describeMachine } from "./machine";
import { memoryCase } from "./memory";
import { runPasses } from "./passes";
import { peersCase } from "./peers";
import { printTable, verdict, writeResults, type StoredCase } from "./report";
import { ruleShareCase } from "./rule-share";
import { startupCase } from "./startup";

const CASES: BenchCase[] = [floorCase, peersCase, keystrokeCase, firstOpenCase, ruleShareCase, hoverCase, startupCase, memoryCase];

const USAGE = `Usage: npm run bench -- [CASE...] [--corpus DIR] [--runs N] [--out FILE]

Cases (default: all): ${CASES.map((c) => `\n  ${c.name.padEnd(10)} ${c.description}`).join("")}

  --corpus DIR   Python files to measure with (BENCH_CORPUS; default: python3's standard library)
  --runs N       times each case repeats (BENCH_RUNS; default 3)
  --out FILE     results file (BENCH_OUT; default bench/results.json in the working directory)
Also: BENCH_EDITS (keystroke edits of each kind, default 200), BENCH_EDITS_WHOLE (default 30),
BENCH_MEMORY_EDITS (default 10000), BENCH_PYLINT_LINES (pylint's subset, default 20000).
`;

/**
 * `npm run bench`: the performance suite of issue 5. Runs the chosen cases, prints one table
 * (median and worst of each measure, with its goal) and writes every number to bench/results.json.
 * The wasm files and the CLI bundle are expected beside this bundle, as scripts/build.mjs puts them.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      corpus: { type: "string" },
      runs: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const unknown = positionals.filter((name) => !CASES.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(", ")}; known: ${CASES.map((c) => c.name).join(", ")}`);
  const selected = positionals.length > 0 ? CASES.filter((c) => positionals.includes(c.name)) : CASES;
  const runs = Number(values.runs ?? process.env.BENCH_RUNS ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS / --runs must be a whole number, 1 or more, not ${values.runs ?? process.env.BENCH_RUNS}`);
  const corpusDir = path.resolve(values.corpus ?? process.env.BENCH_CORPUS ?? stdlibDir());
  const out = path.resolve(values.out ?? process.env.BENCH_OUT ?? path.join("bench", "results.json"));
  const log = (message: string) => process.stderr.write(`${message}\n`);

  let corpus: Corpus | undefined;
  let language: Promise<Language> | undefined;
  const ctx: BenchContext = {
    runs,
    corpusDir,
    corpus: () => (corpus ??= loadCorpus(corpusDir)),
    language: () =>
      (language ??= loadPythonLanguage({
        locateRuntime: (name) => path.join(__dirname, name),
        grammar: path.join(__dirname, "tree-sitter-python.wasm"),
      })),
    knowledge: new KnowledgeBase(entries),
    cliBundle: path.join(__dirname, "python-mentor.js"),
    log,
  };

  const machine = describeMachine();
  log(`python-mentor bench: ${selected.map((c) => c.name).join(", ")}; ${runs} runs; ${machine.nproc} CPUs (${machine.cpuModel}), ${machine.totalMemoryMB} MB, Node ${machine.node}, load ${machine.loadAverageAtStart}`);

  // The whole-corpus passes of every selected case, each once, interleaved.
  const passes: CorpusPass[] = [];
  for (const c of selected) {
    for (const pass of (await c.passes?.(ctx)) ?? []) {
      // Another case asked for the same pass: its parser and analyzer hold WebAssembly memory.
      if (passes.some((p) => p.name === pass.name)) pass.dispose();
      else passes.push(pass);
    }
  }
  let passResults = new Map<string, PassResult>();
  let passSeconds = 0;
  if (passes.length > 0) {
    const c = ctx.corpus();
    log(`corpus ${c.dir}: ${c.files.length} files, ${c.lines.toLocaleString("en-US")} lines (${c.unreadable} unreadable, left out)`);
    log(`corpus passes: ${passes.map((p) => p.name).join(", ")}`);
    const start = performance.now();
    passResults = runPasses(passes, c.files, runs, log);
    passSeconds = (performance.now() - start) / 1000;
  }

  const results = new Map<string, CaseResult>();
  const stored: Record<string, StoredCase> = {};
  for (const c of selected) {
    log(`${c.name}: ${c.description}`);
    const loadStart = os.loadavg()[0];
    const start = performance.now();
    const result = await c.run(ctx, passResults);
    results.set(c.name, result);
    stored[c.name] = {
      date: new Date().toISOString(),
      corpus: corpusDir,
      corpusFiles: corpus?.files.length ?? 0,
      corpusLines: corpus?.lines ?? 0,
      runs,
      loadAverage: { start: Number(loadStart.toFixed(2)), end: Number(os.loadavg()[0].toFixed(2)) },
      // The shared corpus passes are counted in each case that used them.
      seconds: Number(((performance.now() - start) / 1000 + (c.passes ? passSeconds : 0)).toFixed(1)),
      rows: result.rows.map((row) => ({ ...row, verdict: verdict(row) })),
      notes: result.notes,
      data: result.data,
    };
  }

  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`\npython-mentor bench, ${new Date().toISOString().slice(0, 10)}: ${machine.nproc} CPUs (${machine.cpuModel}), ${(machine.totalMemoryMB / 1024).toFixed(1)} GB, Node ${machine.node}`);
  if (corpus) print(`corpus: ${corpus.dir} (${corpus.files.length} files, ${corpus.lines.toLocaleString("en-US")} lines); ${runs} runs; load average ${machine.loadAverageAtStart} at start, ${os.loadavg()[0].toFixed(2)} at end\n`);
  printTable(results, print);
  const kept = writeResults(out, machine, stored);
  print(`\nwrote ${path.relative(process.cwd(), out) || out}${kept.length > 0 ? ` (kept earlier results of ${kept.join(", ")})` : ""}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
