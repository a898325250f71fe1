import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * One finding on a pinned project, in the terms of the baseline: where it is (relative to the
 * project, so the cache folder does not matter), which rule, and the source line, so a reader of
 * the baseline sees the code without opening the file.
 */
export interface EcosystemFinding {
  project: string;
  path: string;
  row: number;
  column: number;
  code: string;
  line: string;
}

export interface CheckedProject {
  name: string;
  dir: string;
}

interface CliFinding {
  code: string;
  filename: string;
  location: { row: number; column: number };
}

export interface CheckRun {
  findings: EcosystemFinding[];
  /** Per-file errors (unreadable, undecodable): reported, never silently dropped. */
  errors: string[];
}

/** Runs the built `python-mentor check --format json` over the projects, in English. */
export function checkProjects(bundle: string, projects: readonly CheckedProject[], jobs: number, rules?: readonly string[]): CheckRun {
  if (projects.length === 0) return { findings: [], errors: [] };
  const select = rules ? ["--select", rules.join(",")] : [];
  const run = spawnSync(
    process.execPath,
    [bundle, "check", "--format", "json", "--lang", "en", "--jobs", String(jobs), ...select, ...projects.map((p) => p.dir)],
    { encoding: "utf8", maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: "1" } },
  );
  // 0 = no findings, 1 = findings, 2 = some file could not be read (the rest are still reported).
  if (run.status === null || run.status > 2 || !run.stdout.trimStart().startsWith("[")) {
    throw new Error(`python-mentor check failed (${run.status ?? run.signal}): ${(run.stderr || run.stdout).slice(-2000)}`);
  }
  const raw = JSON.parse(run.stdout) as CliFinding[];
  const lines = new SourceLines();
  const findings: EcosystemFinding[] = [];
  for (const finding of raw) {
    const owner = projects.find((p) => isInside(p.dir, finding.filename));
    if (!owner) continue;
    findings.push({
      project: owner.name,
      path: path.relative(owner.dir, finding.filename).split(path.sep).join("/"),
      row: finding.location.row,
      column: finding.location.column,
      code: finding.code,
      line: lines.line(finding.filename, finding.location.row),
    });
  }
  findings.sort(compareFindings);
  const errors = run.stderr.split(/\r?\n/).filter((line) => /^(error|warning):/.test(line));
  return { findings, errors };
}

export function compareFindings(a: EcosystemFinding, b: EcosystemFinding): number {
  return a.code.localeCompare(b.code) || a.project.localeCompare(b.project) || a.path.localeCompare(b.path) || a.row - b.row || a.column - b.column;
}

export function findingKey(f: Pick<EcosystemFinding, "project" | "path" | "row" | "column" | "code">): string {
  return `${f.project}/${f.path}:${f.row}:${f.column}:${f.code}`;
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** Reads each file once; a line that cannot be read is shown as empty rather than failing the run. */
class SourceLines {
  private readonly files = new Map<string, string[]>();

  line(file: string, row: number): string {
    let lines = this.files.get(file);
    if (!lines) {
      try {
        lines = readFileSync(file, "utf8").split(/\r?\n/);
      } catch {
        lines = [];
      }
      this.files.set(file, lines);
    }
    return (lines[row - 1] ?? "").trim().slice(0, 160);
  }
}
