import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchCase, CaseResult, PassResult, Row } from "./case";
import { cliFeatures, runCheck, type CliRun } from "./cli-process";
import { mentorPass, parsePass } from "./passes";
import { round, roundAll, roundSummary, summarize } from "./stats";

/**
 * The floor ratio: what all the rules cost on top of tree-sitter itself, over the whole corpus.
 * In-process and one thread both, so the ratio is about our code; then the real CLI process
 * (all cores, with and without its findings cache) for what a user waits for.
 */
export const floorCase: BenchCase = {
  name: "floor",
  description: "parse-only vs full analysis over the corpus, in-process and through the CLI",
  async passes(ctx) {
    const language = await ctx.language();
    return [parsePass(language), mentorPass(language)];
  },
  async run(ctx, passes): Promise<CaseResult> {
    const corpus = ctx.corpus();
    const parse = passes.get("parse") as PassResult;
    const full = passes.get("mentor") as PassResult;
    const rows: Row[] = [];
    const notes: string[] = [];
    const seconds = (samples: number[]) => summarize(samples.map((ms) => ms / 1000));
    // Each run's ratio pairs two passes that ran back to back, under the same load.
    const ratios = full.wallMs.map((ms, i) => ms / parse.wallMs[i]);
    const cpuRatios = full.cpuMs.map((ms, i) => ms / parse.cpuMs[i]);
    rows.push({ measure: "parse only, in-process, 1 thread", unit: "s", ...pick(seconds(parse.wallMs)) });
    rows.push({ measure: "parse + all rules, in-process, 1 thread", unit: "s", ...pick(seconds(full.wallMs)) });
    rows.push({ measure: "full / parse (wall time)", unit: "x", ...pick(summarize(ratios)), goals: [{ on: "median", op: "<=", value: 1.5 }] });
    rows.push({ measure: "full / parse (CPU time)", unit: "x", ...pick(summarize(cpuRatios)) });

    const features = cliFeatures(ctx.cliBundle);
    const jobs = os.availableParallelism();
    const base = features.jobs ? ["--jobs", String(jobs)] : [];
    if (!features.jobs) notes.push("floor: this build's `check` has no --jobs; the CLI ran with its default threading");
    const cli: Record<string, CliRun[]> = { noCache: [], cacheCold: [], cacheWarm: [] };
    const env = (cacheDir: string) => ({ ...process.env, PYTHON_MENTOR_CACHE_DIR: cacheDir });
    for (let run = 0; run < ctx.runs; run++) {
      // A fresh folder per run: the cold run fills it, the warm run reads it.
      const cacheDir = mkdtempSync(path.join(os.tmpdir(), "pym-bench-cache-"));
      try {
        if (features.noCache) {
          cli.noCache.push(runCheck(ctx.cliBundle, [...base, "--no-cache", corpus.dir], env(cacheDir)));
          ctx.log(`  run ${run + 1}/${ctx.runs} CLI --no-cache: ${(cli.noCache[run].wallMs / 1000).toFixed(2)} s`);
        }
        cli.cacheCold.push(runCheck(ctx.cliBundle, [...base, corpus.dir], env(cacheDir)));
        ctx.log(`  run ${run + 1}/${ctx.runs} CLI${features.noCache ? " cache cold" : ""}: ${(cli.cacheCold[run].wallMs / 1000).toFixed(2)} s`);
        if (!features.noCache) continue;
        if (run === 0 && readdirSync(cacheDir).length === 0) {
          notes.push("floor: PYTHON_MENTOR_CACHE_DIR stayed empty after a cached run: is it still the cache's location?");
        }
        cli.cacheWarm.push(runCheck(ctx.cliBundle, [...base, corpus.dir], env(cacheDir)));
        ctx.log(`  run ${run + 1}/${ctx.runs} CLI cache warm: ${(cli.cacheWarm[run].wallMs / 1000).toFixed(2)} s`);
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }
    const threads = features.jobs ? `--jobs ${jobs}` : "default threads";
    const parseMedian = summarize(parse.wallMs).median;
    const cliRows: [string, CliRun[]][] = features.noCache
      ? [[`CLI process, --no-cache, ${threads}`, cli.noCache], [`CLI process, cache cold, ${threads}`, cli.cacheCold], [`CLI process, cache warm, ${threads}`, cli.cacheWarm]]
      : [[`CLI process (no cache in this build), ${threads}`, cli.cacheCold]];
    if (!features.noCache) notes.push("floor: this build's `check` has no --no-cache (no findings cache): one CLI row");
    for (const [measure, runs] of cliRows) {
      rows.push({ measure, unit: "s", ...pick(seconds(runs.map((r) => r.wallMs))) });
      rows.push({ measure: `  / in-process parse only`, unit: "x", ...pick(summarize(runs.map((r) => r.wallMs / parseMedian))) });
    }
    const findingCounts = new Set([full.findings, ...Object.values(cli).flat().map((r) => r.findings)]);
    if (findingCounts.size > 1) notes.push(`floor: in-process analysis found ${full.findings} findings but the CLI runs found ${[...findingCounts].join(", ")}`);

    // Where the rules' CPU time goes, file by file (last run): a few big files can dominate.
    const slowest = [...(full.perFile ?? new Map<string, { parseMs: number; rulesMs: number }>())]
      .map(([file, t]) => ({ file: path.relative(corpus.dir, file), lines: corpus.files.find((f) => f.path === file)?.lines ?? 0, parseMs: round(t.parseMs, 1), rulesMs: round(t.rulesMs, 1) }))
      .sort((a, b) => b.rulesMs - a.rulesMs);
    const rulesTotal = slowest.reduce((sum, f) => sum + f.rulesMs, 0);
    const top = slowest.slice(0, 10);
    if (top.length > 0) {
      const share = top.reduce((sum, f) => sum + f.rulesMs, 0) / rulesTotal;
      notes.push(
        `floor: the 10 files with the most rule CPU time (last run) take ${(share * 100).toFixed(0)}% of it: ` +
          top.map((f) => `${f.file} (${f.lines} lines, rules ${(f.rulesMs / 1000).toFixed(2)} s = ${(f.rulesMs / Math.max(f.parseMs, 0.001)).toFixed(1)}x its parse)`).join(", "),
      );
    }
    return {
      rows,
      notes,
      data: {
        slowestFiles: slowest.slice(0, 30),
        files: corpus.files.length,
        lines: corpus.lines,
        parse: { wallMs: roundAll(parse.wallMs), cpuMs: roundAll(parse.cpuMs), wallS: roundSummary(seconds(parse.wallMs)) },
        full: { wallMs: roundAll(full.wallMs), cpuMs: roundAll(full.cpuMs), wallS: roundSummary(seconds(full.wallMs)), findings: full.findings },
        ratioWall: roundAll(ratios),
        ratioCpu: roundAll(cpuRatios),
        linesPerSecond: { parse: Math.round(corpus.lines / (summarize(parse.wallMs).median / 1000)), full: Math.round(corpus.lines / (summarize(full.wallMs).median / 1000)) },
        cli: {
          features,
          jobs: features.jobs ? jobs : null,
          noCacheMs: roundAll(cli.noCache.map((r) => r.wallMs)),
          cacheColdMs: roundAll(cli.cacheCold.map((r) => r.wallMs)),
          cacheWarmMs: roundAll(cli.cacheWarm.map((r) => r.wallMs)),
          findings: [...findingCounts],
        },
      },
    };
  },
};

function pick(summary: { median: number; worst: number }): { median: number; worst: number } {
  return { median: summary.median, worst: summary.worst };
}
