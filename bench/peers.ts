import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type * as RuffWasm from "@astral-sh/ruff-wasm-nodejs";
import type { BenchCase, BenchContext, CaseResult, CorpusPass, PassResult, Row } from "./case";
import { spreadSubset } from "./corpus";
import { mentorPass } from "./passes";
import { measure, round, roundAll, roundSummary, summarize } from "./stats";

/** Ruff's rules nearest to ours (our rules' `equivalents`, and RUF006 for un-awaited tasks). */
const RUFF_CODES = ["F632", "E711", "ASYNC210", "ASYNC251", "SIM115", "B006", "E722", "RUF006"];

/** pylint's checks nearest to ours; `broad-except` is the name before pylint 2.16. */
const PYLINT_MESSAGES = [
  "literal-comparison",
  "singleton-comparison",
  "dangerous-default-value",
  "bare-except",
  ["broad-exception-caught", "broad-except"],
  "consider-using-with",
  "non-iterator-returned",
  "not-context-manager",
];

/**
 * The peer ratio: our full analysis against Ruff's official WebAssembly build running its nearest
 * rules, in the same process and run, one thread each, so that neither has a native-code or
 * parallelism edge. Then pylint (a Python process, much slower) once over a spread-out subset.
 */
export const peersCase: BenchCase = {
  name: "peers",
  description: "full analysis vs Ruff (WebAssembly, nearest rules) and pylint (nearest checks)",
  async passes(ctx) {
    const language = await ctx.language();
    const ruff = loadRuff();
    return [mentorPass(language), ruffPass(ruff, ruffCodes(ruff).known)];
  },
  async run(ctx, passes): Promise<CaseResult> {
    const corpus = ctx.corpus();
    const mentor = passes.get("mentor") as PassResult;
    const ruffResult = passes.get("ruff") as PassResult;
    const ruff = loadRuff();
    const codes = ruffCodes(ruff);
    const rows: Row[] = [];
    const notes: string[] = [];
    const seconds = (samples: number[]) => summarize(samples.map((ms) => ms / 1000));
    const ratios = mentor.wallMs.map((ms, i) => ms / ruffResult.wallMs[i]);
    rows.push({ measure: `Ruff ${ruff.Workspace.version()} wasm, ${codes.known.length} rules, 1 thread`, unit: "s", ...pick(seconds(ruffResult.wallMs)) });
    rows.push({ measure: "Mentor full / Ruff, cold (first run)", unit: "x", median: ratios[0], goals: [{ on: "median", op: "<=", value: 2 }] });
    // Ruff's first run also compiles its 10 MB of WebAssembly; later runs show the steady state.
    if (ratios.length > 1) rows.push({ measure: "Mentor full / Ruff, warm (later runs)", unit: "x", ...pick(summarize(ratios.slice(1))) });
    if (codes.unknown.length > 0) notes.push(`peers: Ruff ${ruff.Workspace.version()} does not know ${codes.unknown.join(", ")}; left out`);

    const pylint = await runPylint(ctx, ruff, codes.known);
    if (pylint.skipped !== undefined) notes.push(`peers: ${pylint.skipped}`);
    else {
      rows.push({ measure: `pylint ${pylint.version}, subset of ${pylint.lines.toLocaleString("en-US")} lines, once`, unit: "s", median: pylint.wallMs / 1000 });
      rows.push({ measure: "  pylint / Mentor full, same subset", unit: "x", median: pylint.wallMs / pylint.mentorMs });
      notes.push(
        `peers: pylint ran once over ${pylint.files} files (${pylint.step === 1 ? "all" : `one in ${pylint.step}`}, ${pylint.lines.toLocaleString("en-US")} lines; BENCH_PYLINT_LINES) ` +
          `with ${pylint.messages.join(", ")}; its time includes starting Python (${round(pylint.startupMs / 1000, 2)} s for --version). ` +
          `On that subset Mentor took ${round(pylint.mentorMs / 1000, 2)} s and Ruff ${round(pylint.ruffMs / 1000, 2)} s (median of ${ctx.runs}).`,
      );
    }
    return {
      rows,
      notes,
      data: {
        files: corpus.files.length,
        lines: corpus.lines,
        ruff: {
          version: ruff.Workspace.version(),
          codes: codes.known,
          unknownCodes: codes.unknown,
          wallMs: roundAll(ruffResult.wallMs),
          cpuMs: roundAll(ruffResult.cpuMs),
          wallS: roundSummary(seconds(ruffResult.wallMs)),
          findings: ruffResult.findings,
        },
        mentor: { wallMs: roundAll(mentor.wallMs), cpuMs: roundAll(mentor.cpuMs), findings: mentor.findings },
        ratioWall: roundAll(ratios),
        ratioCpu: roundAll(mentor.cpuMs.map((ms, i) => ms / ruffResult.cpuMs[i])),
        pylint: pylint.skipped !== undefined ? { skipped: pylint.skipped } : { ...pylint, wallMs: round(pylint.wallMs), mentorMs: round(pylint.mentorMs), ruffMs: round(pylint.ruffMs) },
      },
    };
  },
};

type Ruff = typeof RuffWasm;
let ruffModule: Ruff | undefined;

/**
 * Loaded at run time, not bundled: the package reads its .wasm from beside its own script. Found
 * from the bench bundle's folder (dist/ in the repo) or else from the working directory, for a
 * bundle built elsewhere with PYM_OUTDIR.
 */
function loadRuff(): Ruff {
  if (ruffModule) return ruffModule;
  const errors: string[] = [];
  for (const from of [__filename, path.join(process.cwd(), "package.json")]) {
    try {
      return (ruffModule = createRequire(from)("@astral-sh/ruff-wasm-nodejs") as Ruff);
    } catch (error) {
      errors.push(error instanceof Error ? error.message.split("\n")[0] : String(error));
    }
  }
  throw new Error(`@astral-sh/ruff-wasm-nodejs not found (run npm ci): ${errors.join("; ")}`);
}

/** Which of our chosen codes this Ruff knows: an unknown selector makes the Workspace throw. */
function ruffCodes(ruff: Ruff): { known: string[]; unknown: string[] } {
  const known: string[] = [];
  const unknown: string[] = [];
  for (const code of RUFF_CODES) {
    try {
      new ruff.Workspace({ lint: { select: [code] } }, ruff.PositionEncoding.Utf16).free();
      known.push(code);
    } catch {
      unknown.push(code);
    }
  }
  return { known, unknown };
}

function ruffPass(ruff: Ruff, codes: readonly string[]): CorpusPass {
  const workspace = new ruff.Workspace({ lint: { select: codes } }, ruff.PositionEncoding.Utf16);
  return {
    name: "ruff",
    run(files) {
      let findings = 0;
      for (const file of files) {
        // Syntax errors come back too, with no code: they are not rule findings.
        for (const diagnostic of workspace.check(file.text) as RuffWasm.Diagnostic[]) if (diagnostic.code) findings++;
      }
      return findings;
    },
    dispose: () => workspace.free(),
  };
}

type PylintResult =
  | { skipped: string }
  | {
      skipped?: undefined;
      version: string;
      messages: string[];
      files: number;
      lines: number;
      step: number;
      wallMs: number;
      startupMs: number;
      findings: number;
      mentorMs: number;
      ruffMs: number;
    };

/** pylint once over a subset (it would take tens of minutes over the whole standard library). */
async function runPylint(ctx: BenchContext, ruff: Ruff, ruffCodesKnown: readonly string[]): Promise<PylintResult> {
  // Outside the repo, so no project pylintrc or pyproject.toml changes what runs.
  const options = { encoding: "utf8" as const, cwd: os.tmpdir(), maxBuffer: 1 << 28 };
  const startupStart = performance.now();
  const versionRun = spawnSync("pylint", ["--version"], options);
  const startupMs = performance.now() - startupStart;
  if (versionRun.error || versionRun.status !== 0) return { skipped: "pylint is not installed (optional second peer): skipped" };
  const version = /pylint\s+(\S+)/.exec(versionRun.stdout)?.[1] ?? "?";
  const list = spawnSync("pylint", ["--list-msgs"], options).stdout;
  const messages = PYLINT_MESSAGES.flatMap((names) => [names].flat().find((name) => list.includes(`:${name} (`)) ?? []);
  if (messages.length === 0) return { skipped: `pylint ${version} has none of the messages we compare with: skipped` };

  const corpus = ctx.corpus();
  const maxLines = Number(process.env.BENCH_PYLINT_LINES ?? 20_000);
  const subset = spreadSubset(corpus, maxLines);
  const lines = subset.reduce((sum, file) => sum + file.lines, 0);
  ctx.log(`  pylint ${version} over ${subset.length} files, ${lines} lines`);
  const start = performance.now();
  const run = spawnSync(
    "pylint",
    ["--disable=all", `--enable=${messages.join(",")}`, "--jobs=1", "--score=n", "--reports=n", "--persistent=n", "--output-format=parseable", ...subset.map((file) => file.path)],
    options,
  );
  const wallMs = performance.now() - start;
  // pylint's status is a bit mask of message kinds; 1 (fatal) and 32 (usage) mean it did not check.
  if (run.status === null || (run.status & 33) !== 0) return { skipped: `pylint failed (${run.status ?? run.signal}): ${run.stderr.slice(-300)}` };
  const findings = run.stdout.split("\n").filter((line) => /:\d+: \[/.test(line)).length;

  // Mentor and Ruff on exactly these files, for a ratio that does not depend on the subset's mix.
  const mentorSamples: number[] = [];
  const ruffSamples: number[] = [];
  const passes = [mentorPass(await ctx.language()), ruffPass(ruff, ruffCodesKnown)];
  for (let i = 0; i < ctx.runs; i++) {
    mentorSamples.push(measure(() => passes[0].run(subset)).wallMs);
    ruffSamples.push(measure(() => passes[1].run(subset)).wallMs);
  }
  for (const pass of passes) pass.dispose();
  const step = Math.max(1, Math.floor(corpus.lines / maxLines));
  return {
    version,
    messages,
    files: subset.length,
    lines,
    step,
    wallMs,
    startupMs,
    findings,
    mentorMs: summarize(mentorSamples).median,
    ruffMs: summarize(ruffSamples).median,
  };
}

function pick(summary: { median: number; worst: number }): { median: number; worst: number } {
  return { median: summary.median, worst: summary.worst };
}
