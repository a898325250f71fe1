import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { Analyzer } from "../server/src/analysis/analyzer";
import { collectFiles } from "../server/src/cli/collect-files";
import { readSource } from "../server/src/cli/read-source";
import { createParser, loadPythonLanguage } from "../server/src/parse/python-parser";
import { RULES } from "../server/src/rules/registry";
import { KnowledgeBase } from "../server/src/knowledge/knowledge-base";
import { MentorServer } from "../server/src/lsp/mentor-server";
import { entries } from "virtual:build-info";
import { MARK, methodOwners, snippetsFor } from "../tests/helpers/trigger-snippets";

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

  keystrokes(language, sources);
  hovers(language, sources);
}

/**
 * A 10,000-line file open in the server (in-process): one-character edits in the middle, each
 * timed from didChange to diagnostics ready (incremental reparse + all rules, whole file).
 */
function keystrokes(language: Parameters<typeof createParser>[0], sources: string[]): void {
  const lines: string[] = [];
  for (const text of sources) {
    if (lines.length >= 10_000) break;
    if (!text.includes("\t")) lines.push(...text.split("\n"));
  }
  const text = lines.slice(0, 10_000).join("\n");
  const server = new MentorServer({ language, knowledge: new KnowledgeBase([]), version: "bench" });
  const uri = "file:///bench.py";
  server.didOpen({ textDocument: { uri, languageId: "python", version: 0, text } });
  server.diagnostics(uri);
  const row = 5_000;
  const samples: number[] = [];
  const parseSamples: number[] = [];
  for (let version = 1; version <= 200; version++) {
    const insert = version % 2 === 1;
    const start = performance.now();
    server.didChange({
      textDocument: { uri, version },
      contentChanges: [
        insert
          ? { range: { start: { line: row, character: 0 }, end: { line: row, character: 0 } }, text: " " }
          : { range: { start: { line: row, character: 0 }, end: { line: row, character: 1 } }, text: "" },
      ],
    });
    parseSamples.push(performance.now() - start);
    server.diagnostics(uri);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  parseSamples.sort((a, b) => a - b);
  console.log(`\nkeystroke on a 10,000-line file (edit -> reparse -> all rules -> diagnostics), 200 edits:`);
  console.log(`median ${samples[100].toFixed(2)} ms, worst ${samples[samples.length - 1].toFixed(2)} ms`);
  console.log(`of which incremental reparse: median ${parseSamples[100].toFixed(2)} ms, worst ${parseSamples[parseSamples.length - 1].toFixed(2)} ms`);
  server.dispose();
}

/**
 * Hover latency over every knowledge trigger, each used as the hover test uses it, inside a
 * 5,000-line file (the rest is standard-library code). Each usage sits in a function of its own so
 * that names do not collide; the analysis is cached, as it is in the editor between keystrokes.
 */
function hovers(language: Parameters<typeof createParser>[0], sources: string[]): void {
  const knowledge = new KnowledgeBase(entries);
  const english = entries.filter((entry) => entry.locale === "en");
  const triggers = english.flatMap((entry) => entry.triggers);
  const owners = methodOwners(triggers);
  const snippetLines: string[] = [];
  const marks: { line: number; character: number }[] = [];
  let n = 0;
  for (const trigger of triggers) {
    for (const snippet of snippetsFor(trigger, owners)) {
      snippetLines.push(`def _usage_${n++}():`);
      for (const line of snippet.replace(/\n$/, "").split("\n")) {
        const column = line.indexOf(MARK);
        if (column >= 0) marks.push({ line: snippetLines.length, character: column + 4 });
        snippetLines.push(line === "" ? "" : `    ${line.replace(MARK, "")}`);
      }
      snippetLines.push("");
    }
  }
  const filler: string[] = [];
  for (const text of sources) {
    if (filler.length + snippetLines.length >= 5_000) break;
    if (!text.includes("\t")) filler.push(...text.split("\n"));
  }
  const head = filler.slice(0, Math.max(0, 5_000 - snippetLines.length));
  const text = [...head, ...snippetLines].join("\n");
  const server = new MentorServer({ language, knowledge, version: "bench" });
  server.initialize({ processId: null, rootUri: null, capabilities: {} });
  const uri = "file:///hover-bench.py";
  server.didOpen({ textDocument: { uri, languageId: "python", version: 1, text } });
  server.diagnostics(uri);
  const samples: number[] = [];
  let answered = 0;
  for (let round = 0; round < 5; round++) {
    for (const mark of marks) {
      const position = { line: mark.line + head.length, character: mark.character };
      const start = performance.now();
      const hover = server.hover({ textDocument: { uri }, position });
      samples.push(performance.now() - start);
      if (round === 0 && hover) answered++;
    }
  }
  samples.sort((a, b) => a - b);
  const lines = text.split("\n").length;
  console.log(`\nhover over ${triggers.length} triggers (${marks.length} usages, ${answered} answered) in a ${lines.toLocaleString("en-US")}-line file, 5 rounds:`);
  console.log(`median ${samples[Math.floor(samples.length / 2)].toFixed(3)} ms, worst ${samples[samples.length - 1].toFixed(3)} ms`);
  server.dispose();
}

void main();
