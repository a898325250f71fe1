import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../server/src/analysis/finding";
import { applyEdits, newlineOf } from "../../server/src/analysis/apply-fixes";
import { ROOT, TestAnalyzer, loadLanguage } from "../helpers/runtime";

/**
 * One snapshot per rule fixture, as Ruff's insta snapshots and ESLint's RuleTester `output` do:
 * every finding's row:column, code and message, and for each fix its title, safety and the
 * fixture's lines before and after it is applied. A change to a message or a fix shows up in review
 * as a change to `tests/rules/snapshots/<rule>.snap`; `npx vitest run -u` rewrites them.
 */
const FIXTURES = path.join(ROOT, "tests/fixtures/rules");

let analyzer: TestAnalyzer;
beforeAll(async () => {
  analyzer = new TestAnalyzer(await loadLanguage());
});

/** The rows a fix touches, before and after, with a few rows of context. */
function fixDiff(source: string, finding: Finding): string[] {
  const fix = finding.fix;
  if (!fix) return [];
  const after = applyEdits(source, fix.edits, newlineOf(source));
  const before = source.split("\n");
  const fixed = after.split("\n");
  let first = 0;
  while (first < before.length && first < fixed.length && before[first] === fixed[first]) first++;
  let lastBefore = before.length - 1;
  let lastAfter = fixed.length - 1;
  while (lastBefore >= first && lastAfter >= first && before[lastBefore] === fixed[lastAfter]) {
    lastBefore--;
    lastAfter--;
  }
  const show = (lines: string[], from: number, to: number, mark: string) => lines.slice(from, to + 1).map((line) => `    ${mark} ${line}`);
  return [
    `  fix (${fix.safe ? "safe" : "unsafe"}): ${fix.title}`,
    `    @@ row ${first + 1}`,
    ...show(before, first, lastBefore, "-"),
    ...show(fixed, first, lastAfter, "+"),
  ];
}

describe("rule snapshots", () => {
  for (const name of readdirSync(FIXTURES).filter((file) => file.endsWith(".py"))) {
    it(`${name}: findings, messages and fixes`, async () => {
      const source = readFileSync(path.join(FIXTURES, name), "utf8");
      const lines: string[] = [];
      for (const finding of analyzer.findings(source)) {
        const { start } = finding.range;
        lines.push(`${start.row + 1}:${start.column + 1} ${finding.code} ${finding.message}`, ...fixDiff(source, finding));
      }
      await expect(`${lines.join("\n")}\n`).toMatchFileSnapshot(`snapshots/${name.replace(/\.py$/, ".snap")}`);
    });
  }
});
