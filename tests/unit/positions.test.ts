import { describe, expect, it } from "vitest";
import {
  cliToPoint,
  codePointsBefore,
  pointAfter,
  pointToCli,
  pointToLsp,
  splitLines,
  utf16Offset,
} from "../../server/src/parse/positions";
import { TestAnalyzer, loadLanguage } from "../helpers/runtime";

// Korean (BMP, 1 UTF-16 unit each, 3 UTF-8 bytes), Chinese (same), and an emoji (2 UTF-16 units, 1 code point).
const LINE = 'note = "한국어 中文 😀"; x is 1';

describe("position conversion", () => {
  it("counts code points before a UTF-16 column, with a surrogate pair as one", () => {
    const column = LINE.indexOf("x is");
    expect(column).toBe(20);
    expect(codePointsBefore(LINE, column)).toBe(19);
    expect(utf16Offset(LINE, 19)).toBe(column);
  });

  it("maps a tree-sitter point to LSP (UTF-16) and CLI (1-based code points) on a line with Korean, Chinese and emoji", async () => {
    const analyzer = new TestAnalyzer(await loadLanguage());
    const source = `import os\n${LINE}\n`;
    const [finding] = analyzer.findings(source);
    expect(finding.code).toBe("PYM001");
    // tree-sitter (web-tree-sitter on JS strings) counts UTF-16 code units, like LSP.
    expect(finding.range.start).toEqual({ row: 1, column: 20 });
    expect(pointToLsp(finding.range.start)).toEqual({ line: 1, character: 20 });
    const lines = splitLines(source);
    expect(pointToCli(lines, finding.range.start)).toEqual({ row: 2, column: 20 });
    expect(pointToCli(lines, finding.range.end)).toEqual({ row: 2, column: 26 });
    expect(cliToPoint(lines, { row: 2, column: 20 })).toEqual({ row: 1, column: 20 });
    // The same text, sliced by each unit, is the comparison itself.
    expect(LINE.slice(finding.range.start.column, finding.range.end.column)).toBe("x is 1");
    expect([...LINE].slice(19, 25).join("")).toBe("x is 1");
  });

  it("points after inserted text, across lines", () => {
    expect(pointAfter({ row: 3, column: 4 }, "😀")).toEqual({ row: 3, column: 6 });
    expect(pointAfter({ row: 3, column: 4 }, "ab\n한국어")).toEqual({ row: 4, column: 3 });
  });

  it("keeps a \\r of a CRLF line end out of the columns before it", () => {
    const lines = splitLines("a = 1\r\nb 😀 = 2\r\n");
    expect(pointToCli(lines, { row: 1, column: 5 })).toEqual({ row: 2, column: 5 });
  });

  it("clamps columns past the end of a line", () => {
    expect(utf16Offset("abc", 10)).toBe(3);
    expect(codePointsBefore("a😀", 99)).toBe(2);
  });
});
