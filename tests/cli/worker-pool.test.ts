import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cacheRoot } from "../../server/src/cli/cache";
import { WorkerPool, type PoolTask } from "../../server/src/cli/worker-pool";

const work = mkdtempSync(path.join(tmpdir(), "python-mentor-pool-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A stand-in for the bundle's worker side that speaks the same protocol (check-worker.ts), in
 * real threads, and dies on demand: "exit" calls process.exit, "throw" throws out of the
 * handler, and workerData.broken makes it die before it is ready.
 */
const stub = path.join(work, "stub-worker.js");
writeFileSync(
  stub,
  `const { parentPort, workerData } = require("node:worker_threads");
if (workerData.broken) throw new Error("no parser here");
parentPort.on("message", ({ items }) => {
  for (const item of items) {
    if (item.text === "exit") process.exit(7);
    if (item.text === "throw") throw new Error("boom");
    parentPort.postMessage({ type: "result", id: item.id, outcome: { ok: true, findings: [], logs: [item.text], incomplete: false } });
  }
});
parentPort.postMessage({ type: "ready" });
`,
);

function tasks(texts: string[]): PoolTask[] {
  return texts.map((text, id) => ({ id, text }));
}

async function runPool(texts: string[], size: number, workerData: object = {}) {
  const pool = new WorkerPool({ size, file: stub, workerData });
  for (const task of tasks(texts)) pool.add(task);
  return pool.run();
}

describe("the worker pool of check --jobs", () => {
  it("gives every task its own outcome, whatever worker took it", async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `file ${i}`);
    const result = await runPool(texts, 3);
    expect(result.failure).toBeUndefined();
    expect([...result.outcomes.keys()].sort((a, b) => a - b)).toEqual(texts.map((_, i) => i));
    for (const [id, outcome] of result.outcomes) expect(outcome).toEqual({ ok: true, findings: [], logs: [texts[id]], incomplete: false });
  });

  it.each([["exit", /worker thread exited with code 7/], ["throw", /boom/]])(
    "names the file a worker died on (%s) and still checks the others",
    async (death, reason) => {
      const texts = ["a", "b", death, "c", "d", "e", "f", "g", "h", "i"];
      const result = await runPool(texts, 2);
      expect(result.failure).toBeUndefined();
      expect(result.outcomes.size).toBe(texts.length);
      const crashed = result.outcomes.get(2);
      expect(crashed?.ok).toBe(false);
      if (crashed && !crashed.ok) {
        expect(crashed.error).toMatch(/^the checker crashed on this file/);
        expect(crashed.error).toMatch(reason);
      }
      for (const [id, outcome] of result.outcomes) if (id !== 2) expect(outcome.ok).toBe(true);
    },
  );

  it("survives every worker dying, one file each", async () => {
    const texts = ["exit", "a", "exit", "b", "exit", "exit", "c"];
    const result = await runPool(texts, 2);
    expect(result.outcomes.size).toBe(texts.length);
    expect(texts.filter((_, id) => result.outcomes.get(id)?.ok === false)).toEqual(["exit", "exit", "exit", "exit"]);
  });

  it("says so, blaming no file, when no worker can start", async () => {
    const result = await runPool(["a", "b", "c"], 2, { broken: true });
    expect(result.failure).toMatch(/could not start \(no parser here\)/);
    expect(result.outcomes.size).toBe(0);
  });
});

describe("the cache folder", () => {
  const home = "/home/ada";
  it.each([
    [{}, "linux", "/home/ada/.cache/python-mentor"],
    [{ XDG_CACHE_HOME: "/var/cache/ada" }, "linux", "/var/cache/ada/python-mentor"],
    [{ XDG_CACHE_HOME: "relative/ignored" }, "linux", "/home/ada/.cache/python-mentor"],
    [{ XDG_CACHE_HOME: "/var/cache/ada" }, "darwin", "/home/ada/Library/Caches/python-mentor"],
    [{ LOCALAPPDATA: "C:\\Users\\ada\\AppData\\Local" }, "win32", "C:\\Users\\ada\\AppData\\Local\\python-mentor\\Cache"],
    [{ PYTHON_MENTOR_CACHE_DIR: "/tmp/pm", XDG_CACHE_HOME: "/var/cache/ada" }, "linux", "/tmp/pm"],
  ] as const)("with %j on %s is %s", (env, platform, expected) => {
    expect(cacheRoot(env, platform, home)).toBe(expected);
  });
});
