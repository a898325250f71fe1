// Temporary probe of the engine's per-keystroke cost while the port is under way (deleted after).
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { it } from "vitest";
import { Analyzer, AnalysisCache } from "../../server/src/analysis/analyzer";
import { DocumentTree } from "../../server/src/parse/document-tree";
import { createParser } from "../../server/src/parse/python-parser";
import type { Rule } from "../../server/src/rules/rule";
import { loadLanguage } from "../helpers/language";

it.runIf(process.env.PORT_PERF === "1")("probe", async () => {
  const names = (process.env.PORT_RULES ?? "is-literal").split(",");
  const rules: Rule[] = [];
  for (const name of names) {
    const module = (await import(`../../server/src/rules/${name}.ts`)) as Record<string, Rule>;
    rules.push(Object.values(module).find((value) => typeof value === "object" && value && "check" in value) as Rule);
  }
  const language = await loadLanguage();
  const analyzer = new Analyzer(language, rules);
  const dir = "/root/.pyenv/versions/3.11.7/lib/python3.11";
  let lines: string[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".py")).sort()) {
    const text = readFileSync(path.join(dir, name), "utf8");
    if (text.includes("\t")) continue;
    lines.push(...text.split("\n"));
    if (lines.length > 10000) break;
  }
  lines = lines.slice(0, 10000);
  const text = lines.join("\n");
  const parser = createParser(language);
  const doc = new DocumentTree(parser, "file:///x.py", 0, text);
  const cache = new AnalysisCache();
  let t = performance.now();
  analyzer.analyzeIncremental(doc.tree, doc.text, {}, cache);
  console.log("first", (performance.now() - t).toFixed(1));
  const row = Number(process.env.PORT_ROW ?? 5000);
  const times: number[] = [];
  for (let n = 0; n < 100; n++) {
    const col = lines[row].search(/\S/);
    const change = n % 2 === 0 ? { range: { start: { line: row, character: col + 1 }, end: { line: row, character: col + 1 } }, text: "q" } : { range: { start: { line: row, character: col + 1 }, end: { line: row, character: col + 2 } }, text: "" };
    doc.applyChanges([change], n + 1);
    const tree = doc.tree;
    t = performance.now();
    analyzer.analyzeIncremental(tree, doc.text, {}, cache);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log("row", row, lines[row], "median", times[50].toFixed(2), "worst", times[99].toFixed(2));
}, 600000);
