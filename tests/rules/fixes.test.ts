import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../server/src/analysis/finding";
import { createParser } from "../../server/src/parse/python-parser";
import { parseText } from "../../server/src/parse/document-tree";
import type { Language } from "web-tree-sitter";
import { ROOT, TestAnalyzer, loadLanguage } from "../helpers/runtime";
import { applyLspEdits } from "../helpers/lsp-text";

const FIXTURES = path.join(ROOT, "tests/fixtures/rules");

function applyFix(text: string, finding: Finding): string {
  return applyLspEdits(
    text,
    (finding.fix?.edits ?? []).map((edit) => ({
      range: {
        start: { line: edit.range.start.row, character: edit.range.start.column },
        end: { line: edit.range.end.row, character: edit.range.end.column },
      },
      newText: edit.newText,
    })),
  );
}

let language: Language;
let analyzer: TestAnalyzer;
beforeAll(async () => {
  language = await loadLanguage();
  analyzer = new TestAnalyzer(language);
});

function parsesCleanly(text: string): boolean {
  const parser = createParser(language);
  const tree = parseText(parser, text);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
    parser.delete();
  }
}

/**
 * Every fix a fixture offers, applied alone to the fixture as an editor would: the result must
 * still parse, and the rule must report fewer findings of its code (the fixed one is gone).
 */
describe("fixes", () => {
  for (const name of readdirSync(FIXTURES).filter((file) => file.endsWith(".py"))) {
    it(`${name}: each fix applies, reparses and removes its finding`, () => {
      const source = readFileSync(path.join(FIXTURES, name), "utf8");
      const before = analyzer.findings(source);
      for (const finding of before.filter((candidate) => candidate.fix)) {
        const fixed = applyFix(source, finding);
        const where = `${finding.code} at line ${finding.range.start.row + 1}`;
        expect(fixed, where).not.toBe(source);
        expect(parsesCleanly(fixed), `${where}: the fixed text parses`).toBe(true);
        const count = (findings: Finding[]) => findings.filter((candidate) => candidate.code === finding.code).length;
        expect(count(analyzer.findings(fixed)), `${where}: fewer ${finding.code} findings`).toBeLessThan(count(before));
      }
    });
  }
});
