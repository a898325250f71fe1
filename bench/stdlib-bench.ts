import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { Analyzer } from "../server/src/analysis/analyzer";
import { collectFiles } from "../server/src/cli/collect-files";
import { readSource } from "../server/src/cli/read-source";
import { createParser, loadPythonLanguage } from "../server/src/parse/python-parser";
import { RULES } from "../server/src/rules/registry";

/**
 * Parse-only versus parse + every rule over the Python standard library, in one process, a few
 * runs each; prints median and worst. Run with `npm run bench`.
 */
async function main(): Promise<void> {
  const stdlib = process.argv[2] ?? execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const language = await loadPythonLanguage({
    locateRuntime: (name) => path.join(__dirname, name),
    grammar: path.join(__dirname, "tree-sitter-python.wasm"),
  });
  const sources: string[] = [];
  for (const file of collectFiles([stdlib]).files) {
    const source = readSource(file);
    if (source.ok) sources.push(source.text);
  }
  const lines = sources.reduce((sum, text) => sum + text.split("\n").length, 0);
  const parser = createParser(language);
  const analyzer = new Analyzer(language, RULES);

  const time = (work: () => void) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      work();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return { median: samples[Math.floor(samples.length / 2)], worst: samples[samples.length - 1] };
  };
  let findings = 0;
  const parseOnly = time(() => {
    for (const text of sources) parser.parse(text)?.delete();
  });
  const full = time(() => {
    findings = 0;
    for (const text of sources) {
      const tree = parser.parse(text);
      if (!tree) continue;
      findings += analyzer.analyze(tree, text).findings.length;
      tree.delete();
    }
  });
  const row = (name: string, t: { median: number; worst: number }) =>
    `${name.padEnd(28)} ${(t.median / 1000).toFixed(2).padStart(8)} s ${(t.worst / 1000).toFixed(2).padStart(8)} s ${Math.round(lines / (t.median / 1000)).toLocaleString("en-US").padStart(12)}`;
  console.log(`stdlib: ${stdlib}\n${sources.length} files, ${lines.toLocaleString("en-US")} lines, ${runs} runs each, one thread\n`);
  console.log(`${"case".padEnd(28)} ${"median".padStart(10)} ${"worst".padStart(10)} ${"lines/s".padStart(12)}`);
  console.log(row("parse only", parseOnly));
  console.log(row("parse + all rules", full));
  console.log(`\nrules cost ${((full.median / parseOnly.median - 1) * 100).toFixed(0)}% on top of parsing; ${findings} findings`);
}

void main();
