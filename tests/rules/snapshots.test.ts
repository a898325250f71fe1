import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../server/src/analysis/finding";
import { RULES } from "../../server/src/rules/registry";
import { ROOT, TestAnalyzer, loadLanguage } from "../helpers/runtime";

/**
 * One snapshot per rule fixture, as Ruff's insta snapshots and ESLint's RuleTester `output` do:
 * every finding's row:column, code and message, and for each fix its title, safety and, edit by
 * edit, the fixture's rows before and after it. A change to a message or a fix shows up in review
 * as a change to `tests/rules/snapshots/<rule>.snap`; `npx vitest run -u` rewrites them.
 */
const FIXTURES = path.join(ROOT, "tests/fixtures/rules");

let analyzer: TestAnalyzer;
beforeAll(async () => {
  analyzer = new TestAnalyzer(await loadLanguage());
});

/** Each edit of a fix as the rows it replaces and the rows that take their place. */
function fixHunks(source: string, finding: Finding): string[] {
  const fix = finding.fix;
  if (!fix) return [];
  const lines = source.split("\n");
  const hunks = [`  fix (${fix.safe ? "safe" : "unsafe"}): ${fix.title}`];
  for (const edit of fix.edits) {
    const { start, end } = edit.range;
    const before = lines.slice(start.row, end.row + 1);
    const replaced = `${(lines[start.row] ?? "").slice(0, start.column)}${edit.newText}${(lines[end.row] ?? "").slice(end.column)}`;
    hunks.push(`    @@ ${start.row + 1}:${start.column + 1}-${end.row + 1}:${end.column + 1}`, ...before.map((line) => `    - ${line}`), ...replaced.split("\n").map((line) => `    + ${line}`));
  }
  return hunks;
}

describe("rule snapshots", () => {
  for (const name of readdirSync(FIXTURES).filter((file) => file.endsWith(".py"))) {
    it(`${name}: findings, messages and fixes`, async () => {
      const source = readFileSync(path.join(FIXTURES, name), "utf8");
      const lines: string[] = [];
      const rule = RULES.find((r) => `${r.name}.py` === name);
      for (const finding of analyzer.findings(source)) {
        const { start } = finding.range;
        // A finding that speaks more quietly than its rule says so in the snapshot.
        const voice = finding.severity === rule?.severity ? "" : ` [${finding.severity}]`;
        lines.push(`${start.row + 1}:${start.column + 1} ${finding.code}${voice} ${finding.message}`, ...fixHunks(source, finding));
      }
      await expect(`${lines.join("\n")}\n`).toMatchFileSnapshot(`snapshots/${name.replace(/\.py$/, ".snap")}`);
    });
  }
});
