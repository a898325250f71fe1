import type { Language } from "web-tree-sitter";
import { Analyzer } from "../server/src/analysis/analyzer";
import { parseText } from "../server/src/parse/document-tree";
import { createParser } from "../server/src/parse/python-parser";
import { RULES } from "../server/src/rules/registry";
import type { CorpusPass, PassResult } from "./case";
import type { SourceFile } from "./corpus";
import { measure } from "./stats";

/** Tree-sitter alone: the floor no analysis built on it can go below. */
export function parsePass(language: Language): CorpusPass {
  const parser = createParser(language);
  return {
    name: "parse",
    run(files) {
      let trees = 0;
      for (const file of files) {
        parseText(parser, file.text).delete();
        trees++;
      }
      return trees;
    },
    dispose: () => parser.delete(),
  };
}

/**
 * Parse + every rule on the whole file, as `python-mentor check` does in each thread. Keeps the
 * last run's CPU time per file, parse and rules apart, to name the files where the time goes.
 */
export function mentorPass(language: Language): CorpusPass {
  const parser = createParser(language);
  const analyzer = new Analyzer(language, RULES);
  const perFile = new Map<string, { parseMs: number; rulesMs: number }>();
  return {
    name: "mentor",
    perFile,
    run(files) {
      let findings = 0;
      for (const file of files) {
        // CPU time, not wall time: on a busy machine a file's wall time is mostly other work's.
        const start = process.cpuUsage();
        const tree = parseText(parser, file.text);
        const parsed = process.cpuUsage();
        try {
          findings += analyzer.analyze(tree, file.text).findings.length;
        } finally {
          tree.delete();
        }
        perFile.set(file.path, { parseMs: cpuMsBetween(start, parsed), rulesMs: cpuMsBetween(parsed, process.cpuUsage()) });
      }
      return findings;
    },
    dispose() {
      analyzer.dispose();
      parser.delete();
    },
  };
}

function cpuMsBetween(from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number {
  return (to.user - from.user + to.system - from.system) / 1000;
}

/**
 * Runs each pass `runs` times over the same files, interleaved (run 1 of every pass, then run 2,
 * ...), so that a burst of load from other work on the machine lands on all of them.
 */
export function runPasses(passes: readonly CorpusPass[], files: readonly SourceFile[], runs: number, log: (message: string) => void): Map<string, PassResult> {
  const results = new Map<string, PassResult>(passes.map((pass) => [pass.name, { name: pass.name, wallMs: [], cpuMs: [], findings: 0 }]));
  for (let run = 0; run < runs; run++) {
    for (const pass of passes) {
      const result = results.get(pass.name) as PassResult;
      const { wallMs, cpuMs, value } = measure(() => pass.run(files));
      result.wallMs.push(wallMs);
      result.cpuMs.push(cpuMs);
      result.findings = value;
      log(`  run ${run + 1}/${runs} ${pass.name}: ${(wallMs / 1000).toFixed(2)} s wall, ${(cpuMs / 1000).toFixed(2)} s CPU, ${value} findings`);
    }
  }
  for (const pass of passes) {
    if (pass.perFile) (results.get(pass.name) as PassResult).perFile = pass.perFile;
    pass.dispose();
  }
  return results;
}
