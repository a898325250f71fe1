import { performance } from "node:perf_hooks";
import { entries } from "virtual:build-info";
import { MentorServer } from "../server/src/lsp/mentor-server";
// Plain data shared with the hover test; it imports nothing, so no test framework comes along.
import { MARK, methodOwners, snippetsFor } from "../tests/helpers/trigger-snippets";
import type { BenchCase, CaseResult } from "./case";
import { syntheticFiles } from "./corpus";
import { roundAll, roundSummary, summarize } from "./stats";

const FILE_LINES = 5_000;

/**
 * Hover latency over every knowledge trigger, each used as the hover test uses it, inside a
 * 5,000-line file (the rest is corpus code). Each usage sits in a function of its own so names do
 * not collide; the analysis is cached, as it is in the editor between keystrokes.
 */
export const hoverCase: BenchCase = {
  name: "hover",
  description: "hover on every knowledge trigger in a 5,000-line file",
  async run(ctx): Promise<CaseResult> {
    const language = await ctx.language();
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
    const fillerLines = Math.max(0, FILE_LINES - snippetLines.length);
    const head = fillerLines > 0 ? syntheticFiles(ctx.corpus(), fillerLines, 1)[0].split("\n") : [];
    const text = [...head, ...snippetLines].join("\n");
    const samples: number[] = [];
    let answered = 0;
    const rounds = Math.max(ctx.runs, 3);
    for (let round = 0; round < rounds; round++) {
      // A fresh server per round, so the first hover of each round also pays any lazy setup.
      const server = new MentorServer({ language, knowledge: ctx.knowledge, version: "bench" });
      server.initialize({ processId: null, rootUri: null, capabilities: {}, locale: "en" });
      const uri = "file:///hover-bench.py";
      server.didOpen({ textDocument: { uri, languageId: "python", version: 1, text } });
      server.diagnostics(uri);
      for (const mark of marks) {
        const position = { line: mark.line + head.length, character: mark.character };
        const start = performance.now();
        const hover = server.hover({ textDocument: { uri }, position });
        samples.push(performance.now() - start);
        if (round === 0 && hover) answered++;
      }
      server.dispose();
    }
    const summary = summarize(samples);
    const lines = text.split("\n").length;
    const notes: string[] = [];
    if (answered < marks.length) notes.push(`hover: only ${answered} of ${marks.length} usages got a hover`);
    return {
      rows: [{ measure: `hover, ${triggers.length} triggers (${marks.length} usages), ${lines.toLocaleString("en-US")}-line file`, unit: "ms", median: summary.median, worst: summary.worst, goals: [{ on: "median", op: "<", value: 1 }] }],
      notes,
      data: { triggers: triggers.length, usages: marks.length, answered, lines, rounds, summary: roundSummary(summary, 4), samplesMs: roundAll(samples, 4) },
    };
  },
};
