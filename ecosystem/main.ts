import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { cacheRoot } from "../server/src/cli/cache";
import { collectFiles } from "../server/src/cli/collect-files";
import { RULES } from "../server/src/rules/registry";
import { compareWithBaseline, precision, readBaseline, rebaseline, writeBaseline } from "./baseline";
import { checkProjects, type CheckedProject } from "./findings";
import { installProject } from "./install";
import { readManifest } from "./projects";
import { formatReport, PRECISION_FLOOR } from "./report";

const USAGE = `Usage: npm run ecosystem -- [options]

Installs pinned releases of popular projects (ecosystem/projects.json) from the package index
into the user's cache folder, runs python-mentor check over them, and compares the findings with
the reviewed baseline in ecosystem/baseline/ (one file per rule, findings labelled true or false).

  --project NAMES   only these projects, comma-separated (default: all in the manifest)
  --select CODES    only these rules, comma-separated; with --update, only their baseline files
  --list N|all      how many new, gone and false findings to list (default 15)
  --update          write today's findings as the new baseline, keeping every label
  --strict          exit 1 when a finding is new or gone, or a rule is below ${PRECISION_FLOOR} precision
  --python PATH     the interpreter whose pip installs the releases (default: python3)
  --cache DIR       where the releases go (default: <python-mentor cache>/ecosystem)
`;

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      project: { type: "string" },
      select: { type: "string" },
      list: { type: "string", default: "15" },
      update: { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      python: { type: "string", default: process.env.PYTHON || "python3" },
      cache: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const listLimit = values.list === "all" ? Infinity : Number(values.list);
  if (!Number.isInteger(listLimit) && listLimit !== Infinity) throw new UsageError(`--list takes a number or "all", not ${values.list}`);

  const root = repositoryRoot();
  const manifest = readManifest(path.join(root, "ecosystem", "projects.json"));
  const wanted = values.project?.split(",").map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = wanted?.filter((name) => !manifest.projects.some((p) => p.name === name)) ?? [];
  if (unknown.length > 0) throw new UsageError(`unknown project ${unknown.join(", ")} (known: ${manifest.projects.map((p) => p.name).join(", ")})`);
  const chosen = manifest.projects.filter((p) => !wanted || wanted.includes(p.name));
  const cacheDir = values.cache ? path.resolve(values.cache) : path.join(cacheRoot(process.env), "ecosystem");

  const checked: CheckedProject[] = [];
  const skipped: string[] = [];
  for (const project of chosen) {
    const outcome = installProject(manifest, project, cacheDir, values.python);
    if (outcome.kind === "ready") {
      if (outcome.fetched) process.stderr.write(`installed ${project.name}==${project.version}\n`);
      checked.push({ name: project.name, dir: outcome.dir });
    } else {
      skipped.push(project.name);
      const why = outcome.kind === "unreachable" ? "the package index could not be reached, or does not hold this release" : "pip failed";
      process.stderr.write(`warning: skipping ${project.name}==${project.version}: ${why} (${outcome.detail})\n`);
    }
  }
  if (checked.length === 0) {
    process.stdout.write(`No project could be installed, so nothing was checked (${skipped.length} skipped; see the warnings above).\n`);
    return 0;
  }

  const selected = values.select?.split(",").map((code) => code.trim().toUpperCase()).filter(Boolean);
  const unknownRules = selected?.filter((code) => !RULES.some((rule) => rule.code === code)) ?? [];
  if (unknownRules.length > 0) throw new UsageError(`unknown rule ${unknownRules.join(", ")}`);
  const codes = RULES.map((rule) => rule.code).filter((code) => !selected || selected.includes(code));

  const files = collectFiles(checked.map((p) => p.dir)).files.length;
  const run = checkProjects(path.join(__dirname, "python-mentor.js"), checked, Math.min(availableParallelism(), 8), selected);
  for (const error of run.errors) process.stderr.write(`${error}\n`);
  const baselineDir = path.join(root, "ecosystem", "baseline");
  const baseline = readBaseline(baselineDir);
  const comparison = compareWithBaseline(run.findings, baseline, new Set(checked.map((p) => p.name)), codes);

  const versions = checked.map((p) => `${p.name} ${chosen.find((c) => c.name === p.name)?.version}`).join(", ");
  process.stdout.write(`Ecosystem check: ${files} files in ${checked.length} projects (${versions})${skipped.length ? `; skipped: ${skipped.join(", ")}` : ""}\n\n`);
  process.stdout.write(formatReport(comparison, { ruleNames: new Map(RULES.map((rule) => [rule.code, rule.name])), listLimit }));

  if (values.update) {
    // Projects not checked this time (skipped, or left out by --project) keep their old findings.
    const unchecked = new Set(manifest.projects.map((p) => p.name).filter((name) => !checked.some((p) => p.name === name)));
    writeBaseline(baselineDir, rebaseline(run.findings, baseline, unchecked), codes);
    process.stdout.write(`\nWrote the baseline to ${path.relative(process.cwd(), baselineDir) || baselineDir}/ (labels kept).\n`);
  }
  const changed = comparison.some((r) => r.added.length > 0 || r.gone.length > 0);
  const low = comparison.filter((r) => (precision(r) ?? 1) < PRECISION_FLOOR);
  return values.strict && !values.update && (changed || low.length > 0) ? 1 : 0;
}

class UsageError extends Error {}

/**
 * The checkout whose manifest and baseline to use: the nearest folder above the working directory
 * that has them (npm runs scripts from the repository root), else the one above this bundle. A
 * bundle built elsewhere (PYM_OUTDIR) then still reads and writes the checkout's baseline.
 */
function repositoryRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "ecosystem", "projects.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..");
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n${error instanceof UsageError ? `\n${USAGE}` : ""}`);
  process.exitCode = 2;
}
