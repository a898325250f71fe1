import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Language, Parser } from "web-tree-sitter";
import { AnalysisCache, Analyzer } from "../../server/src/analysis/analyzer";
import { fileUnits, lineOffsets, type Unit } from "../../server/src/analysis/engine/units";
import { parseText } from "../../server/src/parse/document-tree";
import { createParser } from "../../server/src/parse/python-parser";
import { RULES } from "../../server/src/rules/registry";
import { ROOT, loadLanguage } from "../helpers/runtime";

/**
 * The deterministic differential test of the incremental engine: for every rule fixture and
 * every unit in it (a run of top-level statements, a class's own statements, a method), three
 * edits inside that unit, one at a time: a blank line, a statement, and a one-character change.
 * After each edit, and after undoing it, the analysis that reuses the cache must equal a fresh
 * analysis of the same text byte for byte: findings, messages and fix edits.
 */
let parser: Parser;
let analyzer: Analyzer;
let language: Language;
beforeAll(async () => {
  language = await loadLanguage();
  parser = createParser(language);
  analyzer = new Analyzer(language, RULES);
});

function analyse(text: string, cache?: AnalysisCache): string {
  const tree = parseText(parser, text);
  try {
    const analysis = cache ? analyzer.analyzeIncremental(tree, text, {}, cache) : analyzer.analyze(tree, text);
    return JSON.stringify(analysis.findings, null, 1);
  } finally {
    tree.delete();
  }
}

function unitsOf(text: string): Unit[] {
  const tree = parseText(parser, text);
  try {
    return fileUnits(tree.rootNode, text, lineOffsets(text)).map((unit) => ({ ...unit, nodes: [], methods: undefined, owner: undefined }));
  } finally {
    tree.delete();
  }
}

/** The three edits inside one unit, as whole new texts. */
function editsInside(lines: readonly string[], unit: Unit): { name: string; text: string }[] {
  const first = unit.startRow;
  const next = lines[first + 1];
  const indent = (next !== undefined && first + 1 < unit.endRow && next.trim() !== "" ? next : lines[first]).match(/^[ \t]*/)?.[0] ?? "";
  const insertAfterFirst = (line: string) => [...lines.slice(0, first + 1), line, ...lines.slice(first + 1)].join("\n");
  const edits = [
    { name: "a blank line", text: insertAfterFirst("") },
    { name: "a statement", text: insertAfterFirst(`${indent}_probe = 1`) },
  ];
  const row = lines[first];
  const at = row.search(/[A-Za-z0-9_](?![\s\S]*[A-Za-z0-9_])/);
  if (at >= 0) {
    const changed = `${row.slice(0, at)}${row[at] === "q" ? "z" : "q"}${row.slice(at + 1)}`;
    edits.push({ name: "a one-character change", text: [...lines.slice(0, first), changed, ...lines.slice(first + 1)].join("\n") });
  }
  return edits;
}

describe("incremental analysis after an edit inside each unit equals a fresh analysis", () => {
  const fixtures = readdirSync(path.join(ROOT, "tests/fixtures/rules")).filter((name) => name.endsWith(".py"));
  for (const name of fixtures) {
    it(name, { timeout: 120_000 }, () => {
      const source = readFileSync(path.join(ROOT, "tests/fixtures/rules", name), "utf8");
      const lines = source.split("\n");
      const units = unitsOf(source);
      const cache = new AnalysisCache();
      const fresh = analyse(source);
      expect(analyse(source, cache)).toBe(fresh);
      for (const unit of units) {
        for (const edit of editsInside(lines, unit)) {
          const where = `${name}: ${edit.name} in the ${unit.kind} unit at row ${unit.startRow + 1}`;
          expect(analyse(edit.text, cache), where).toBe(analyse(edit.text));
          expect(analyse(source, cache), `${where}, undone`).toBe(fresh);
        }
      }
    });
  }
});
