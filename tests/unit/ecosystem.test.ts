import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareWithBaseline, precision, readBaseline, rebaseline, writeBaseline, type BaselineFinding } from "../../ecosystem/baseline";
import type { EcosystemFinding } from "../../ecosystem/findings";
import { installProject, isUnreachable } from "../../ecosystem/install";
import { readManifest } from "../../ecosystem/projects";
import { ROOT } from "../helpers/runtime";
import { PYTHON } from "../helpers/python";

const work = mkdtempSync(path.join(tmpdir(), "python-mentor-ecosystem-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function finding(project: string, row: number, code = "PYM006", line = "queue.pop(0)"): EcosystemFinding {
  return { project, path: `${project}/mod.py`, row, column: 5, code, line };
}

describe("the ecosystem baseline", () => {
  const labelledTrue: BaselineFinding = { ...finding("twisted", 10), label: "true", reason: "a work queue drained in a loop" };
  const labelledFalse: BaselineFinding = { ...finding("twisted", 20), label: "false", reason: "two version parts, split from a string" };
  const unlabelled: BaselineFinding = finding("django", 30);
  const skippedOnly: BaselineFinding = { ...finding("pandas", 40), label: "true", reason: "grows with the input" };
  const baseline = [labelledTrue, labelledFalse, unlabelled, skippedOnly];

  it("counts precision over the labelled findings still reported, and lists new and gone ones", () => {
    const now = [finding("twisted", 10), finding("twisted", 20), finding("twisted", 99), finding("django", 31)];
    const [rule] = compareWithBaseline(now, baseline, new Set(["twisted", "django"]), ["PYM006"]);
    expect(rule.labelledTrue).toEqual([labelledTrue]);
    expect(rule.labelledFalse).toEqual([labelledFalse]);
    expect(precision(rule)).toBe(0.5);
    expect(rule.added.map((f) => `${f.project}:${f.row}`)).toEqual(["twisted:99", "django:31"]);
    // pandas was not checked this time: its findings are neither gone nor counted.
    expect(rule.gone.map((f) => `${f.project}:${f.row}`)).toEqual(["django:30"]);
  });

  it("rebaselines today's findings keeping labels, by position or by the same source line when rows moved", () => {
    const moved = finding("twisted", 12);
    const next = rebaseline([moved, finding("django", 30)], [labelledTrue], new Set(["pandas"]));
    expect(next.find((f) => f.row === 12)).toMatchObject({ label: "true", reason: labelledTrue.reason });
    // The same line text twice (then or now): which one moved is a guess, so no label follows.
    const twiceBefore = rebaseline([moved], [labelledTrue, { ...labelledTrue, row: 11 }], new Set());
    expect(twiceBefore[0].label).toBeUndefined();
    const twiceNow = rebaseline([moved, finding("twisted", 13)], [labelledTrue], new Set());
    expect(twiceNow.map((f) => f.label)).toEqual([undefined, undefined]);
    const now = [finding("twisted", 10), finding("twisted", 20), finding("django", 30)];
    const kept = rebaseline(now, baseline, new Set(["pandas"]));
    expect(kept.filter((f) => f.project === "pandas")).toEqual([skippedOnly]);
    expect(kept.find((f) => f.row === 20)).toMatchObject({ label: "false" });
  });

  it("writes one finding a line, reads it back, and refuses a label without a reason", () => {
    const dir = path.join(work, "baseline");
    writeBaseline(dir, baseline, ["PYM006"]);
    const text = readFileSync(path.join(dir, "PYM006.json"), "utf8");
    expect(text.split("\n").filter((line) => line.startsWith("  {"))).toHaveLength(baseline.length);
    expect(readBaseline(dir)).toEqual([...baseline].sort((a, b) => a.project.localeCompare(b.project) || a.row - b.row));
    writeFileSync(path.join(dir, "PYM002.json"), JSON.stringify({ rule: "PYM002", findings: [{ ...finding("flask", 1, "PYM002"), label: "false" }] }));
    expect(() => readBaseline(dir)).toThrow(/flask\/flask\/mod\.py:1:5:PYM002: a label needs a one-line reason/);
  });

  it("holds at least 15 pinned projects, each with a sha256, and every baseline finding names one of them", () => {
    const manifest = readManifest(path.join(ROOT, "ecosystem/projects.json"));
    expect(manifest.projects.length).toBeGreaterThanOrEqual(15);
    for (const project of manifest.projects) expect(project.sha256).toMatch(/^[0-9a-f]{64}$/);
    const names = new Set(manifest.projects.map((p) => p.name));
    for (const f of readBaseline(path.join(ROOT, "ecosystem/baseline"))) expect(names.has(f.project), f.project).toBe(true);
  });
});

describe("installing a pinned release", () => {
  it("says the index could not be reached when pip cannot get the release, and leaves nothing behind", () => {
    const manifest = readManifest(path.join(ROOT, "ecosystem/projects.json"));
    const cache = path.join(work, "cache");
    mkdirSync(cache, { recursive: true });
    // pip with no index and no local wheels: what an offline machine sees.
    const env = { ...process.env, PIP_NO_INDEX: "1", PIP_FIND_LINKS: "", PIP_EXTRA_INDEX_URL: "", PIP_CONFIG_FILE: "/dev/null" };
    const outcome = installProject(manifest, manifest.projects[0], cache, PYTHON, env);
    expect(outcome.kind).toBe("unreachable");
    expect(readdirSync(cache)).toEqual([]);
  });

  it("tells unreachable-index messages from other pip failures", () => {
    expect(isUnreachable("ERROR: Could not find a version that satisfies the requirement django==5.2.17 (from versions: none)")).toBe(true);
    expect(isUnreachable("WARNING: Retrying ... Failed to establish a new connection: [Errno 101] Network is unreachable")).toBe(true);
    expect(isUnreachable("ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.")).toBe(false);
  });
});
