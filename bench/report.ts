import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { CaseResult, Goal, Row } from "./case";
import { sameMachine, type Machine } from "./machine";

/** A goal's verdict: met, or missed by how much (the measure over the goal). */
export function verdict(row: Row): string {
  if (!row.goals || row.goals.length === 0) return "";
  return row.goals
    .map((goal) => {
      const value = goal.on === "median" ? row.median : (row.worst ?? row.median);
      const label = `${goal.on === "worst" ? "worst " : ""}${goal.op} ${formatValue(goal.value, row.unit)}`;
      return met(goal, value) ? `met (${label})` : `MISSED (${label}: ${describeMiss(goal, value, row.unit)})`;
    })
    .join("; ");
}

function met(goal: Goal, value: number): boolean {
  return goal.op === "<=" ? value <= goal.value : value < goal.value;
}

function describeMiss(goal: Goal, value: number, unit: Row["unit"]): string {
  // Growth goals can be exceeded from zero; ratios and times read better as "N times the goal".
  return goal.value > 0 && value / goal.value >= 1.5 ? `${(value / goal.value).toFixed(1)}x the goal` : `${formatValue(value - goal.value, unit)} over`;
}

export function formatValue(value: number | undefined, unit: Row["unit"]): string {
  if (value === undefined || Number.isNaN(value)) return "";
  switch (unit) {
    case "x":
      return `${value.toFixed(2)}x`;
    case "s":
      return `${value.toFixed(2)} s`;
    case "MB":
      return `${value.toFixed(1)} MB`;
    case "ms":
      return value < 1 ? `${value.toFixed(3)} ms` : `${value.toFixed(2)} ms`;
  }
}

/** The table on stdout: one block per case, then the notes. */
export function printTable(results: ReadonlyMap<string, CaseResult>, print: (line: string) => void): void {
  const lines: string[][] = [["case", "measure", "median", "worst", "goal"]];
  for (const [name, result] of results) {
    for (const row of result.rows) lines.push([name, row.measure, formatValue(row.median, row.unit), formatValue(row.worst, row.unit), verdict(row)]);
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  for (const [i, line] of lines.entries()) {
    print(line.map((cell, column) => (column === 2 || column === 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  ").trimEnd());
    if (i === 0) print(widths.map((width) => "-".repeat(width)).join("  "));
  }
  const notes = [...results.values()].flatMap((result) => result.notes);
  if (notes.length > 0) print(`\n${notes.map((note) => `- ${note}`).join("\n")}`);
}

export interface ResultsFile {
  machine: Machine;
  date: string;
  /** Each case with the date, corpus and runs it was measured with. */
  cases: Record<string, StoredCase>;
}

export interface StoredCase {
  date: string;
  corpus: string;
  corpusFiles: number;
  corpusLines: number;
  runs: number;
  loadAverage: { start: number; end: number };
  seconds: number;
  rows: (Row & { verdict: string })[];
  notes: string[];
  data: Record<string, unknown>;
}

/**
 * Writes the results, keeping the cases this run did not measure when the file came from the
 * same machine and Node (`npm run bench -- hover` refreshes one case, not the whole file).
 */
export function writeResults(file: string, machine: Machine, cases: Record<string, StoredCase>): string[] {
  let kept: Record<string, StoredCase> = {};
  if (existsSync(file)) {
    try {
      const previous = JSON.parse(readFileSync(file, "utf8")) as Partial<ResultsFile>;
      if (sameMachine(previous.machine, machine)) kept = previous.cases ?? {};
    } catch {
      // Unreadable: replaced whole.
    }
  }
  const merged: ResultsFile = { machine, date: new Date().toISOString(), cases: { ...kept, ...cases } };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(merged, null, 2) + "\n");
  return Object.keys(kept).filter((name) => !(name in cases));
}
