// Temporary while rules move to the semantic model: runs only the rules named in PORT_RULES
// (file names in server/src/rules, comma-separated) over their fixtures, so one rule can be
// checked before the registry imports again. Deleted when the port is done.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Analyzer, AnalysisCache } from "../../server/src/analysis/analyzer";
import { parseText } from "../../server/src/parse/document-tree";
import { createParser, loadPythonLanguage } from "../../server/src/parse/python-parser";
import type { Rule } from "../../server/src/rules/rule";

const ROOT = path.resolve(__dirname, "../..");
const loadLanguage = () =>
  loadPythonLanguage({
    locateRuntime: (file) => path.join(ROOT, "node_modules", "web-tree-sitter", file),
    grammar: path.join(ROOT, "node_modules", "tree-sitter-python", "tree-sitter-python.wasm"),
  });

const names = (process.env.PORT_RULES ?? "").split(",").filter(Boolean);
const EXPECT = /#\s*expect:\s*([A-Z0-9, ]+)/;

describe.runIf(names.length > 0)("ported rules", () => {
  for (const name of names) {
    it(`${name}: fixture findings, and incremental equals fresh after edits in every other unit`, async () => {
      const module = (await import(`../../server/src/rules/${name}.ts`)) as Record<string, Rule>;
      const rule = Object.values(module).find((value) => typeof value === "object" && value && "check" in value) as Rule;
      const language = await loadLanguage();
      const logs: string[] = [];
      const analyzer = new Analyzer(language, [rule], (message) => logs.push(message));
      const parser = createParser(language);
      const source = readFileSync(path.join(ROOT, "tests/fixtures/rules", `${rule.name}.py`), "utf8");
      const run = (text: string, cache?: AnalysisCache) => {
        const tree = parseText(parser, text);
        try {
          return cache ? analyzer.analyzeIncremental(tree, text, {}, cache).findings : analyzer.analyze(tree, text).findings;
        } finally {
          tree.delete();
        }
      };
      const expected = source.split("\n").flatMap((line, row) => {
        const match = EXPECT.exec(line);
        return match ? match[1].split(/[\s,]+/).filter((code) => code === rule.code).map((code) => `${row + 1}:${code}`) : [];
      });
      expect(run(source).map((finding) => `${finding.range.start.row + 1}:${finding.code}`)).toEqual(expected);
      expect(logs).toEqual([]);
      // Insert a line before each row in turn: the incremental result must equal a fresh one.
      const lines = source.split("\n");
      const cache = new AnalysisCache();
      run(source, cache);
      for (let row = 0; row < lines.length; row += 3) {
        const indent = /^\s*/.exec(lines[row])?.[0] ?? "";
        const edited = [...lines.slice(0, row), `${indent}pass`, ...lines.slice(row)].join("\n");
        expect(JSON.stringify(run(edited, cache)), `after inserting at row ${row + 1}`).toEqual(JSON.stringify(run(edited)));
        expect(JSON.stringify(run(source, cache))).toEqual(JSON.stringify(run(source)));
      }
    });
  }
});

// PORT_CORPUS=1: the same rules over the three corpora, compared with the findings the checker
// made before the port (/tmp/base/*.json): prints what appeared and what vanished.
const CORPORA: [string, string][] = [
  ["stdlib", "/root/.pyenv/versions/3.11.7/lib/python3.11"],
  ["dist", "/usr/lib/python3/dist-packages"],
  ["site", "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages"],
];
const SKIP = new Set([".git", "__pycache__", "node_modules", "site-packages", ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache", ".hg", ".svn"]);

function pythonFiles(dir: string, top: boolean, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIP.has(entry.name) && !(top && false)) continue;
      if (existsSync(path.join(full, "pyvenv.cfg"))) continue;
      pythonFiles(full, false, out);
    } else if (entry.isFile() && (entry.name.endsWith(".py") || entry.name.endsWith(".pyi"))) out.push(full);
  }
}

describe.runIf(names.length > 0 && process.env.PORT_CORPUS === "1")("ported rules over the corpora", () => {
  it("finds what the checker found before", async () => {
    const rules: Rule[] = [];
    for (const name of names) {
      const module = (await import(`../../server/src/rules/${name}.ts`)) as Record<string, Rule>;
      rules.push(Object.values(module).find((value) => typeof value === "object" && value && "check" in value) as Rule);
    }
    const codes = new Set(rules.map((rule) => rule.code));
    const language = await loadLanguage();
    const logs: string[] = [];
    const analyzer = new Analyzer(language, rules, (message) => logs.push(message));
    const parser = createParser(language);
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const report: string[] = [];
    for (const [corpus, root] of CORPORA) {
      const before = (JSON.parse(readFileSync(`/tmp/base/${corpus}.json`, "utf8")) as { code: string; filename: string; location: { row: number }; message: string }[])
        .filter((finding) => codes.has(finding.code))
        .map((finding) => `${finding.filename}:${finding.location.row}: ${finding.code} ${finding.message}`);
      const files: string[] = [];
      pythonFiles(root, true, files);
      const after: string[] = [];
      for (const file of files) {
        let text: string;
        try {
          const bytes = readFileSync(file);
          if (bytes.length > 10 * 1024 * 1024 || bytes.includes(0)) continue;
          text = decoder.decode(bytes);
        } catch {
          continue;
        }
        const tree = parseText(parser, text);
        try {
          for (const finding of analyzer.analyze(tree, text).findings) after.push(`${file}:${finding.range.start.row + 1}: ${finding.code} ${finding.message}`);
        } finally {
          tree.delete();
        }
      }
      const gone = before.filter((line) => !after.includes(line));
      const added = after.filter((line) => !before.includes(line));
      report.push(`${corpus}: ${before.length} before, ${after.length} after`, ...gone.map((line) => `  - ${line}`), ...added.map((line) => `  + ${line}`));
    }
    console.log(report.join("\n"));
    console.log(logs.join("\n"));
  }, 600_000);
});
