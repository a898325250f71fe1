import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CodeAction, Diagnostic, Hover, Range } from "vscode-languageserver";
import type { Language } from "web-tree-sitter";
import type { KnowledgeBase } from "../../server/src/knowledge/knowledge-base";
import { MentorServer, type MentorInitializationOptions } from "../../server/src/lsp/mentor-server";
import { DEFAULT_MAX_FILE_SIZE } from "../../server/src/lsp/size-limit";
import { loadKnowledge, loadLanguage } from "../helpers/runtime";
import { fiftyMegabytes, hostileInputs, type HostileInput } from "./hostile-inputs";
import { LspText, Random, seedFor } from "./support";

/**
 * Hostile input, in process: every handler must return (not throw) a well-formed answer for
 * files that are not Python or are Python at its most awkward, and the server must keep serving.
 * The same inputs go through the real stdio process in protocol.test.ts.
 */

let language: Language;
let knowledge: KnowledgeBase;
beforeAll(async () => {
  language = await loadLanguage();
  knowledge = loadKnowledge();
});

let server: MentorServer | undefined;
afterEach(() => {
  server?.dispose();
  server = undefined;
});

interface Started {
  server: MentorServer;
  warnings: string[];
  logs: string[];
}

function start(initializationOptions: MentorInitializationOptions = {}): Started {
  const warnings: string[] = [];
  const logs: string[] = [];
  server = new MentorServer({ language, knowledge, version: "test", log: (message) => logs.push(message) });
  server.onWarning((message) => warnings.push(message));
  server.initialize({
    processId: null,
    rootUri: null,
    initializationOptions,
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
  });
  return { server, warnings, logs };
}

const SAMPLE = "x = 1\nif x is 1:\n    pass\n";

/** The server still works: a small file gets its one finding and a hover on it. */
function expectStillServing(s: MentorServer, context: string): void {
  const uri = "file:///robust/still-serving.py";
  s.didOpen({ textDocument: { uri, languageId: "python", version: 1, text: SAMPLE } });
  expect(s.diagnostics(uri)!.diagnostics.map((d) => d.code), context).toEqual(["PYM001"]);
  const hover = s.hover({ textDocument: { uri }, position: { line: 1, character: 5 } });
  expect(JSON.stringify(hover?.contents), context).toContain("PYM001");
  s.didClose({ textDocument: { uri } });
}

function expectRangeInside(range: Range, lsp: LspText, context: string): void {
  for (const position of [range.start, range.end]) {
    expect(position.line, context).toBeGreaterThanOrEqual(0);
    expect(position.line, context).toBeLessThan(lsp.lineCount);
    expect(position.character, context).toBeGreaterThanOrEqual(0);
  }
}

function expectHover(hover: Hover | null, context: string): void {
  if (hover === null) return;
  expect(typeof (hover.contents as { value?: unknown }).value, context).toBe("string");
}

function expectActions(actions: CodeAction[], context: string): void {
  expect(Array.isArray(actions), context).toBe(true);
  for (const action of actions) expect(typeof action.title, context).toBe("string");
}

/** Opens, diagnoses, hovers at many positions, asks for code actions, edits at random, closes. */
function exercise(s: MentorServer, input: HostileInput, random: Random, context: string): void {
  const uri = `file:///robust/${encodeURIComponent(input.name)}.py`;
  const text = input.text;
  s.didOpen({ textDocument: { uri, languageId: "python", version: 1, text } });
  const result = s.diagnostics(uri);
  expect(result?.version, context).toBe(1);
  const diagnostics: Diagnostic[] = result!.diagnostics;
  const lsp = new LspText(text);
  if (!input.loneCr) for (const diagnostic of diagnostics) expectRangeInside(diagnostic.range, lsp, context);

  const widest = Math.min(text.length, 300_000);
  const positions = [
    { line: 0, character: 0 },
    { line: -1, character: -1 },
    { line: lsp.lineCount - 1, character: widest },
    { line: lsp.lineCount + 5, character: 3 },
    { line: 2 ** 31, character: 2 ** 31 },
    ...diagnostics.slice(0, 5).map((d) => d.range.start),
    ...Array.from({ length: 60 }, () => ({ line: random.between(-2, lsp.lineCount + 2), character: random.between(-2, Math.min(widest, 200) + 5) })),
  ];
  for (const position of positions) {
    expectHover(s.hover({ textDocument: { uri }, position }), `${context}, hover at ${JSON.stringify(position)}`);
  }
  const ranges: Range[] = [
    { start: { line: 0, character: 0 }, end: { line: lsp.lineCount + 10, character: 0 } },
    { start: { line: 5, character: 9 }, end: { line: 1, character: 0 } },
    ...diagnostics.slice(0, 5).map((d) => d.range),
    ...Array.from({ length: 10 }, () => ({ start: random.pick(positions), end: random.pick(positions) })),
  ];
  for (const range of ranges) {
    expectActions(s.codeActions({ textDocument: { uri }, range, context: { diagnostics } }), `${context}, actions for ${JSON.stringify(range)}`);
  }
  expectActions(
    s.codeActions({ textDocument: { uri }, range: ranges[0], context: { diagnostics: [], only: ["source.fixAll.pythonMentor"] } }),
    `${context}, fix all`,
  );
  s.completion({ textDocument: { uri }, position: random.pick(positions) });

  // A few random edits (some with out-of-range positions), then everything again.
  for (let version = 2; version <= 11; version++) {
    const at = random.int(text.length + 1);
    const change = { range: { start: lsp.positionAt(LspText.snap(text, at)), end: random.pick(positions) }, text: random.pick(["", "x", "(", "\n", "😀", "\r\n", "\0", "\ud800", ")" ]) };
    s.didChange({ textDocument: { uri, version }, contentChanges: [change] });
    if (version % 5 === 0) {
      expect(s.diagnostics(uri)?.version, context).toBe(version);
      expectHover(s.hover({ textDocument: { uri }, position: random.pick(positions) }), `${context}, after edits`);
    }
  }
  s.didClose({ textDocument: { uri } });
  expect(s.diagnostics(uri), context).toBeUndefined();
}

describe("hostile input never crashes the server (in process)", () => {
  const seed = seedFor(31_337);
  const inputs = hostileInputs(new Random(seed));
  for (const [index, input] of inputs.entries()) {
    it(`${input.name} (seed ${seed})`, { timeout: 60_000 }, () => {
      const { server: s } = start();
      const context = `${input.name}, seed ${seed} (replay: PYM_SEED=${seed})`;
      exercise(s, input, new Random(seed + index), context);
      expectStillServing(s, context);
    });
  }

  it("files tree-sitter cannot read as Python at all are not analysed, once logged", () => {
    const { server: s, logs } = start();
    const uri = "file:///robust/parens.py";
    s.didOpen({ textDocument: { uri, languageId: "python", version: 1, text: "(".repeat(50_000) } });
    expect(s.diagnostics(uri)!.diagnostics).toEqual([]);
    s.didChange({ textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "(" }] });
    expect(s.diagnostics(uri)!.diagnostics).toEqual([]);
    expect(s.stats().analyses).toBe(0);
    expect(logs.filter((line) => line.includes("was not analysed"))).toHaveLength(1);
    expectStillServing(s, "after 50,000 parentheses");
  });
});

describe("the size limit", () => {
  const big = "file:///robust/big.py";

  it("skips a 50 MB file without parsing it, says so once, and answers every request with nothing", () => {
    const { server: s, warnings, logs } = start();
    const text = fiftyMegabytes();
    expect(text.length).toBeGreaterThan(50 * 1024 * 1024);
    s.didOpen({ textDocument: { uri: big, languageId: "python", version: 1, text } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Python Mentor is not checking big\.py \(50\.\d MB\): it is larger than the 5\.0 MB set by pythonMentor\.maxFileSize\./);
    expect(logs).toContain(warnings[0]);
    expect(s.diagnostics(big)).toEqual({ uri: big, version: 1, diagnostics: [] });
    expect(s.hover({ textDocument: { uri: big }, position: { line: 4, character: 9 } })).toBeNull();
    expect(s.codeActions({ textDocument: { uri: big }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, context: { diagnostics: [] } })).toEqual([]);
    expect(s.completion({ textDocument: { uri: big }, position: { line: 0, character: 0 } })).toBeNull();
    // Edits keep the text in step but parse nothing; the user is not told twice.
    s.didChange({ textDocument: { uri: big, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "# edited\n" }] });
    expect(s.diagnostics(big)).toEqual({ uri: big, version: 2, diagnostics: [] });
    expect(warnings).toHaveLength(1);
    expect(s.stats()).toMatchObject({ parses: 0, analyses: 0 });

    // Cut under the limit: analysed again. Over it again: skipped again, still without a second message.
    s.didChange({ textDocument: { uri: big, version: 3 }, contentChanges: [{ text: SAMPLE }] });
    expect(s.diagnostics(big)!.diagnostics.map((d) => d.code)).toEqual(["PYM001"]);
    expect(s.stats()).toMatchObject({ parses: 1, analyses: 1 });
    const sixMegabytes = text.slice(0, 6 * 1024 * 1024);
    s.didChange({ textDocument: { uri: big, version: 4 }, contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: sixMegabytes }] });
    expect(s.diagnostics(big)).toEqual({ uri: big, version: 4, diagnostics: [] });
    expect(warnings).toHaveLength(1);
    expectStillServing(s, "next to a 50 MB file");

    // A new open is a new document: the user hears about it again.
    s.didClose({ textDocument: { uri: big } });
    s.didOpen({ textDocument: { uri: big, languageId: "python", version: 1, text } });
    expect(warnings).toHaveLength(2);
  });

  it("is 5 MiB by default, counted in UTF-8 bytes", () => {
    expect(DEFAULT_MAX_FILE_SIZE).toBe(5 * 1024 * 1024);
    const { server: s, warnings } = start({ maxFileSize: 3_000 });
    // 997 Hangul syllables and 9 ASCII characters: 1,006 UTF-16 units, 3,000 UTF-8 bytes, at the limit.
    const korean = `s = "ab${"한".repeat(997)}"\n`;
    expect(Buffer.byteLength(korean)).toBe(3_000);
    s.didOpen({ textDocument: { uri: big, languageId: "python", version: 1, text: korean } });
    expect(warnings).toEqual([]);
    s.didChange({ textDocument: { uri: big, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: "국" }] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("(2.9 KB)"); // 3,003 bytes
  });

  it("follows the maxFileSize initialization option and the pythonMentor.maxFileSize setting", () => {
    const { server: s, warnings, logs } = start({ maxFileSize: 10 });
    s.didOpen({ textDocument: { uri: big, languageId: "python", version: 1, text: SAMPLE } });
    expect(warnings).toHaveLength(1);
    expect(s.diagnostics(big)!.diagnostics).toEqual([]);
    // Raised: analysed (the caller re-publishes because the setting changed).
    expect(s.didChangeConfiguration({ pythonMentor: { maxFileSize: 1_000 } })).toBe(true);
    expect(s.diagnostics(big)!.diagnostics.map((d) => d.code)).toEqual(["PYM001"]);
    // Nonsense is refused with a log line and changes nothing.
    for (const nonsense of ["big", -1, 0, Number.NaN, {}]) expect(s.didChangeConfiguration({ pythonMentor: { maxFileSize: nonsense } })).toBe(false);
    expect(logs.filter((line) => line.startsWith("pythonMentor.maxFileSize:"))).toHaveLength(5);
    expect(s.didChangeConfiguration({ pythonMentor: { maxFileSize: 1_000 } })).toBe(false);
    // Lowered: skipped again, without telling the user a second time.
    expect(s.didChangeConfiguration({ pythonMentor: { maxFileSize: 20 } })).toBe(true);
    expect(s.diagnostics(big)!.diagnostics).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it("speaks the user's language", () => {
    const { server: s, warnings } = start({ maxFileSize: 10, language: "ko" });
    s.didOpen({ textDocument: { uri: "file:///robust/%ED%81%B0.py", languageId: "python", version: 1, text: SAMPLE } });
    expect(warnings).toEqual(["Python Mentor가 큰.py(26 B) 파일을 검사하지 않습니다. pythonMentor.maxFileSize로 정한 10 B보다 큽니다. 파일이 작아지면 다시 검사합니다."]);
  });
});
