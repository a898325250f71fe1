import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PYTHON, python3CompileErrors } from "../helpers/python";
import { loadEntries } from "../helpers/runtime";

/**
 * The knowledge base states facts about Python; this checks them against the real python3. Every
 * code block must compile, and every line marked `# -> value` must print exactly that value
 * (several prints from one line are joined with " | "; a second `  # comment` after the value is
 * commentary).
 */
const RUNNER = path.join(__dirname, "python", "run_marked.py");
const MARKER = /#\s*->\s*(.*)$/;

const entries = loadEntries().filter((entry) => entry.locale === "en");
const work = mkdtempSync(path.join(tmpdir(), "pym-examples-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Block {
  name: string;
  code: string;
}

const blocks: Block[] = entries.flatMap((entry) => [
  { name: `${entry.id}.example`, code: entry.sections.exampleCode },
  { name: `${entry.id}.use-instead`, code: entry.sections.useInsteadCode },
]);

function expectedOutputs(code: string): Map<number, string> {
  const expected = new Map<number, string>();
  code.split("\n").forEach((line, index) => {
    const match = MARKER.exec(line);
    if (match) expected.set(index + 1, match[1].split(/\s+#\s/)[0].trim());
  });
  return expected;
}

describe("knowledge examples against python3", () => {
  it("every code block compiles", () => {
    const files = blocks.map((block) => {
      const file = path.join(work, `${block.name}.py`);
      writeFileSync(file, block.code);
      return file;
    });
    const errors = python3CompileErrors(files);
    expect(errors).toEqual({});
  });

  for (const block of blocks) {
    const expected = expectedOutputs(block.code);
    if (expected.size === 0) continue;
    it(`${block.name}: each "# -> value" line prints that value`, () => {
      const file = path.join(work, `${block.name}.run.py`);
      writeFileSync(file, block.code);
      const result = spawnSync(PYTHON, ["-W", "ignore", RUNNER, file], { cwd: work, encoding: "utf8", timeout: 60_000 });
      expect(result.status, result.stderr).toBe(0);
      const printed = new Map<number, string[]>();
      for (const line of result.stdout.split("\n")) {
        if (!line.startsWith("{")) continue;
        const { line: row, text } = JSON.parse(line) as { line: number; text: string };
        printed.set(row, [...(printed.get(row) ?? []), text]);
      }
      const actual = new Map(
        [...expected.keys()].map((row) => [row, (printed.get(row) ?? []).join("").split("\n").filter(Boolean).join(" | ")]),
      );
      expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    });
  }
});
