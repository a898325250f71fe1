import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { compareFindings, findingKey, type EcosystemFinding } from "./findings";

export type Verdict = "true" | "false";

/** A baseline finding: what the checker said then, and, once a person has read it, their verdict. */
export interface BaselineFinding extends EcosystemFinding {
  label?: Verdict;
  /** One line: why the finding is right or wrong. Required with a label. */
  reason?: string;
}

/** One file per rule (`baseline/PYM006.json`), so labelling one rule never touches another's file. */
interface BaselineFile {
  rule: string;
  findings: BaselineFinding[];
}

export function readBaseline(dir: string): BaselineFinding[] {
  if (!existsSync(dir)) return [];
  const all: BaselineFinding[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".json")) continue;
    const file = path.join(dir, name);
    const parsed = JSON.parse(readFileSync(file, "utf8")) as BaselineFile;
    for (const finding of parsed.findings) {
      const problem = labelProblem(finding);
      if (problem) throw new Error(`${file}: ${findingKey(finding)}: ${problem}`);
      all.push(finding);
    }
  }
  return all;
}

function labelProblem(finding: BaselineFinding): string | undefined {
  if (finding.label === undefined) return finding.reason === undefined ? undefined : "a reason without a label";
  if (finding.label !== "true" && finding.label !== "false") return `label must be "true" or "false", not ${JSON.stringify(finding.label)}`;
  if (!finding.reason || finding.reason.trim() === "") return "a label needs a one-line reason";
  return undefined;
}

/**
 * The new baseline: today's findings, each keeping the label of the same finding in the old one.
 * A finding whose row moved (a project bumped to a new release) keeps its label when the same
 * rule fires on the same source line of the same file, and only one such finding exists, then and
 * now. Projects
 * not checked this time keep their old findings untouched.
 */
export function rebaseline(current: readonly EcosystemFinding[], old: readonly BaselineFinding[], unchecked: ReadonlySet<string>): BaselineFinding[] {
  const byKey = new Map(old.map((f) => [findingKey(f), f]));
  const byLine = new Map<string, BaselineFinding[]>();
  for (const f of old) {
    const key = lineKey(f);
    byLine.set(key, [...(byLine.get(key) ?? []), f]);
  }
  const nowPerLine = new Map<string, number>();
  for (const f of current) nowPerLine.set(lineKey(f), (nowPerLine.get(lineKey(f)) ?? 0) + 1);
  const result: BaselineFinding[] = current.map((finding) => {
    const moved = nowPerLine.get(lineKey(finding)) === 1 ? single(byLine.get(lineKey(finding))) : undefined;
    const same = byKey.get(findingKey(finding)) ?? moved;
    return same?.label ? { ...finding, label: same.label, reason: same.reason } : { ...finding };
  });
  for (const f of old) if (unchecked.has(f.project)) result.push(f);
  return result.sort(compareFindings);
}

function lineKey(f: EcosystemFinding): string {
  return `${f.project}/${f.path}:${f.code}:${f.line}`;
}

function single<T>(items: readonly T[] | undefined): T | undefined {
  return items && items.length === 1 ? items[0] : undefined;
}

export function writeBaseline(dir: string, findings: readonly BaselineFinding[], rules: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const rule of rules) {
    const own = findings.filter((f) => f.code === rule).sort(compareFindings);
    const file = path.join(dir, `${rule}.json`);
    if (own.length === 0 && !existsSync(file)) continue;
    // One finding a line: a relabel or a new finding is a one-line diff in review.
    const lines = own.map((f) => `  ${JSON.stringify(orderFields(f))}`);
    writeFileSync(file, `{\n "rule": ${JSON.stringify(rule)},\n "findings": [\n${lines.join(",\n")}\n ]\n}\n`);
  }
}

/** The same field order in every record. */
function orderFields(f: BaselineFinding): BaselineFinding {
  const ordered: BaselineFinding = { project: f.project, path: f.path, row: f.row, column: f.column, code: f.code, line: f.line };
  if (f.label) {
    ordered.label = f.label;
    ordered.reason = f.reason;
  }
  return ordered;
}

export interface RuleComparison {
  code: string;
  findings: EcosystemFinding[];
  /** Labelled findings that the checker still reports. */
  labelledTrue: BaselineFinding[];
  labelledFalse: BaselineFinding[];
  added: EcosystemFinding[];
  gone: BaselineFinding[];
}

/** What each rule says now against the baseline, over the projects checked this time. */
export function compareWithBaseline(current: readonly EcosystemFinding[], baseline: readonly BaselineFinding[], checked: ReadonlySet<string>, rules: readonly string[]): RuleComparison[] {
  const old = baseline.filter((f) => checked.has(f.project));
  const oldKeys = new Map(old.map((f) => [findingKey(f), f]));
  const nowKeys = new Set(current.map(findingKey));
  return rules.map((code) => {
    const findings = current.filter((f) => f.code === code);
    const labelled = findings.map((f) => oldKeys.get(findingKey(f))).filter((f): f is BaselineFinding => f?.label !== undefined);
    return {
      code,
      findings,
      labelledTrue: labelled.filter((f) => f.label === "true"),
      labelledFalse: labelled.filter((f) => f.label === "false"),
      added: findings.filter((f) => !oldKeys.has(findingKey(f))),
      gone: old.filter((f) => f.code === code && !nowKeys.has(findingKey(f))),
    };
  });
}

/** Precision over the labelled findings still reported, or undefined when none is labelled. */
export function precision(rule: RuleComparison): number | undefined {
  const labelled = rule.labelledTrue.length + rule.labelledFalse.length;
  return labelled === 0 ? undefined : rule.labelledTrue.length / labelled;
}
