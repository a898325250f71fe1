import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { BenchCase, CaseResult } from "./case";
import { INITIALIZE_PARAMS, LspProcess } from "./lsp-stdio";
import { roundAll, roundSummary, summarize } from "./stats";

/**
 * Server start-up as an editor sees it: spawn `python-mentor lsp --stdio`, send `initialize`,
 * time until the reply. That covers starting Node, loading the bundle, the tree-sitter runtime
 * and grammar (WebAssembly) and the knowledge base.
 */
export const startupCase: BenchCase = {
  name: "startup",
  description: "spawn the language server and time `initialize` until its reply",
  async run(ctx): Promise<CaseResult> {
    // A spawn is cheap, and one sample says little on a shared machine: four per run.
    const spawns = ctx.runs * 4;
    const samples: number[] = [];
    // Node itself, started and ended, interleaved with the server's starts: the part of the
    // start-up no change to our code can remove, and a gauge of how busy the machine is.
    const bare: number[] = [];
    for (let i = 0; i < spawns; i++) {
      bare.push(await bareNode());
      const start = performance.now();
      const server = new LspProcess(ctx.cliBundle);
      try {
        await server.request("initialize", INITIALIZE_PARAMS);
        samples.push(performance.now() - start);
      } finally {
        await server.close();
      }
    }
    const summary = summarize(samples);
    const node = summarize(bare);
    const own = summarize(samples.map((ms, i) => ms - bare[i]));
    ctx.log(`  ${spawns} spawns: median ${summary.median.toFixed(1)} ms (node -e 0: ${node.median.toFixed(1)} ms)`);
    return {
      rows: [
        { measure: "spawn -> initialize reply", unit: "ms", median: summary.median, worst: summary.worst, goals: [{ on: "median", op: "<", value: 300 }] },
        { measure: "  node -e 0 alone (spawn -> exit)", unit: "ms", median: node.median, worst: node.worst },
        { measure: "  the server's own part (difference)", unit: "ms", median: own.median, worst: own.worst },
      ],
      notes: [],
      data: { spawns, summary: roundSummary(summary, 2), samplesMs: roundAll(samples, 2), bareNodeMs: roundAll(bare, 2), ownMs: roundSummary(own, 2) },
    };
  },
};

function bareNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve(performance.now() - start));
  });
}
