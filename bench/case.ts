import type { Language } from "web-tree-sitter";
import type { KnowledgeBase } from "../server/src/knowledge/knowledge-base";
import type { Corpus, SourceFile } from "./corpus";

/** What every case gets from main: options, and things loaded once and shared. */
export interface BenchContext {
  /** BENCH_RUNS: how many times each case repeats its measurement. */
  runs: number;
  corpusDir: string;
  /** The corpus, read on first use (startup and memory cases need only a part). */
  corpus(): Corpus;
  /** The tree-sitter Python grammar, loaded from the wasm files beside the bench bundle. */
  language(): Promise<Language>;
  knowledge: KnowledgeBase;
  /** The CLI and language-server bundle built beside this one. */
  cliBundle: string;
  log(message: string): void;
}

export interface Goal {
  on: "median" | "worst";
  /** The measure must be at most this (`<=`) or below it (`<`). */
  op: "<=" | "<";
  value: number;
}

/** One line of the printed table. */
export interface Row {
  measure: string;
  unit: "ms" | "s" | "MB" | "x";
  median: number;
  worst?: number;
  goals?: Goal[];
}

export interface CaseResult {
  rows: Row[];
  /** Printed under the table: what was skipped, approximations, caveats. */
  notes: string[];
  /** Every number behind the rows, for bench/results.json. */
  data: Record<string, unknown>;
}

/**
 * A whole-corpus pass timed in-process. Passes that several cases need (full analysis is both
 * the floor's numerator and the peers' reference) run once, interleaved run by run with the
 * others, so the load on a shared machine falls on every pass alike.
 */
export interface CorpusPass {
  name: string;
  /** Returns a count of findings (or trees), so the work cannot be optimised away and can be checked. */
  run(files: readonly SourceFile[]): number;
  dispose(): void;
  /** The last run's parse and rule time per file, where the pass keeps them. */
  perFile?: ReadonlyMap<string, { parseMs: number; rulesMs: number }>;
}

export interface PassResult {
  name: string;
  /** One per run, in run order: the first is the cold one (fresh parser, code not yet optimised). */
  wallMs: number[];
  cpuMs: number[];
  findings: number;
  perFile?: ReadonlyMap<string, { parseMs: number; rulesMs: number }>;
}

export interface BenchCase {
  name: string;
  description: string;
  passes?(ctx: BenchContext): Promise<CorpusPass[]>;
  run(ctx: BenchContext, passes: ReadonlyMap<string, PassResult>): Promise<CaseResult>;
}
