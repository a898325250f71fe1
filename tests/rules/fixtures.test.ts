import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../server/src/rules/registry";
import { ROOT, TestAnalyzer, loadLanguage } from "../helpers/runtime";

const FIXTURES = path.join(ROOT, "tests/fixtures/rules");
const EXPECT = /#\s*expect:\s*([A-Z0-9, ]+)/;

/** `# expect: PYM001` marks a line where exactly these codes start; every other line must stay quiet. */
function expectedFindings(source: string): string[] {
  return source.split("\n").flatMap((line, row) => {
    const match = EXPECT.exec(line);
    return match ? match[1].split(/[\s,]+/).filter(Boolean).map((code) => `${row + 1}:${code}`) : [];
  });
}

let analyzer: TestAnalyzer;
beforeAll(async () => {
  analyzer = new TestAnalyzer(await loadLanguage());
});

describe("rule fixtures", () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith(".py"));

  it("has one fixture per rule, named after it, with positives and negatives", () => {
    expect(files.sort()).toEqual(RULES.map((rule) => `${rule.name}.py`).sort());
    for (const rule of RULES) {
      const source = readFileSync(path.join(FIXTURES, `${rule.name}.py`), "utf8");
      const positives = expectedFindings(source).filter((mark) => mark.endsWith(rule.code)).length;
      const negatives = source.split("\n").filter((line) => /\S/.test(line) && !line.trim().startsWith("#") && !EXPECT.test(line)).length;
      expect(positives, `${rule.name}.py positives`).toBeGreaterThanOrEqual(3);
      expect(negatives, `${rule.name}.py negatives`).toBeGreaterThanOrEqual(positives);
    }
  });

  for (const name of files) {
    it(`${name}: findings are exactly the lines marked # expect`, () => {
      const source = readFileSync(path.join(FIXTURES, name), "utf8");
      const actual = analyzer.findings(source).map((finding) => `${finding.range.start.row + 1}:${finding.code}`);
      expect(actual).toEqual(expectedFindings(source));
    });
  }
});
