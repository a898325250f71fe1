import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Node, Parser } from "web-tree-sitter";
import { fileSuppression, isSuppressed, noqaListEnd, suppressionsByRow } from "../../server/src/analysis/suppression";
import { parseText } from "../../server/src/parse/document-tree";
import {
  cliToPoint,
  codePointsBefore,
  lspToPoint,
  pointAfter,
  pointAt,
  pointToCli,
  pointToLsp,
  splitLines,
  utf16Offset,
} from "../../server/src/parse/positions";
import { createParser } from "../../server/src/parse/python-parser";
import { MentorServer } from "../../server/src/lsp/mentor-server";
import { utf8Length, utf8LengthOver } from "../../server/src/lsp/size-limit";
import { applyLspEdits } from "../helpers/lsp-text";
import { loadKnowledge, loadLanguage } from "../helpers/runtime";
import { LspText, preview, Random, seedFor } from "./support";

/**
 * Fuzz targets: position conversion (LSP positions, tree-sitter points, CLI code points) and the
 * `# noqa` parser, on random text full of multi-byte characters, surrogates (paired and lone)
 * and line ends of every kind. Properties, not examples: round trips, clamping, ranges.
 */

/** Pieces random text is made of: what makes positions hard. */
const ALPHABET = [
  "a", "Z", "_", "0", " ", "  ", "\t", "#", ":", "(", "\n", "\n", "\r\n", "\r", "\0", "\ufeff",
  "é", "e\u0301", "한", "국어", "中", "😀", "👍🏽", "👩‍💻", "𝔘", "\ud800", "\udc00", "\udbff", "\u2028", "\u0085",
];

function randomText(random: Random, maxPieces = 40): string {
  let text = "";
  for (let n = random.int(maxPieces + 1); n > 0; n--) text += random.pick(ALPHABET);
  return text;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Whether `offset` falls between the two halves of a surrogate pair. */
function splitsPair(text: string, offset: number): boolean {
  return offset > 0 && offset < text.length && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));
}

/** Code points as JavaScript's string iterator counts them (a lone surrogate is one). */
function codePoints(text: string): number {
  return [...text].length;
}

const ROUNDS = 2_000;

/**
 * The loops below make millions of comparisons: `expect` for each would cost most of a minute,
 * so they check with plain code and fail with the seed and the input in the message.
 */
function check(ok: boolean, message: () => string): void {
  if (!ok) expect.fail(message());
}

function samePoint(a: { row: number; column: number }, b: { row: number; column: number }): boolean {
  return a.row === b.row && a.column === b.column;
}

describe("position conversion never throws and stays in range", () => {
  const seed = seedFor(1_234);
  const label = `seed ${seed} (replay: PYM_SEED=${seed})`;

  it(`code points <-> UTF-16 columns, on one line (${label})`, () => {
    const random = new Random(seed);
    for (let round = 0; round < ROUNDS; round++) {
      const line = randomText(random).replace(/[\r\n]/g, "");
      const total = codePoints(line);
      const context = (what: string) => `${label}, line ${preview(line)}, ${what}`;
      let previous = 0;
      for (let units = -3; units <= line.length + 3; units++) {
        const points = codePointsBefore(line, units);
        // A column inside a pair counts the whole pair (the cut-off high half counts as one).
        const want = units <= 0 ? 0 : codePoints(line.slice(0, Math.min(units, line.length)));
        check(points === want && points >= previous && points <= total, () => context(`${units} units gave ${points} code points, not ${want}`));
        previous = points;
        // Back to units: the same column, or just past the pair it split.
        const back = utf16Offset(line, points);
        const wantBack = units <= 0 ? 0 : Math.min(units, line.length) + (splitsPair(line, units) ? 1 : 0);
        check(back === wantBack, () => context(`${units} units -> ${points} code points -> ${back} units, not ${wantBack}`));
      }
      for (let points = -3; points <= total + 3; points++) {
        const units = utf16Offset(line, points);
        const ok = units >= 0 && units <= line.length && !splitsPair(line, units) && codePointsBefore(line, units) === Math.max(0, Math.min(points, total));
        check(ok, () => context(`${points} code points -> ${units} units`));
      }
    }
  });

  it(`tree-sitter points <-> CLI locations, over whole texts (${label})`, () => {
    const random = new Random(seed + 1);
    for (let round = 0; round < ROUNDS; round++) {
      const text = randomText(random);
      const lines = splitLines(text);
      const context = (what: string) => `${label}, text ${preview(text)}, ${what}`;
      check(lines.join("\n") === text, () => context("splitLines lost text"));
      for (let offset = 0; offset <= text.length; offset++) {
        const point = pointAt(text, offset);
        const cli = pointToCli(lines, point);
        const back = cliToPoint(lines, cli);
        const wantColumn = point.column + (splitsPair(lines[point.row], point.column) ? 1 : 0);
        check(cli.row === point.row + 1 && cli.column >= 1 && back.row === point.row && back.column === wantColumn, () =>
          context(`offset ${offset}: ${JSON.stringify(point)} -> ${JSON.stringify(cli)} -> ${JSON.stringify(back)}`),
        );
      }
      // Out of range: clamped, never thrown.
      for (const location of [{ row: 0, column: 0 }, { row: -5, column: -5 }, { row: lines.length + 3, column: 9 }, { row: 1, column: 1e9 }]) {
        const point = cliToPoint(lines, location);
        check(point.column >= 0 && point.column <= (lines[point.row]?.length ?? 0), () => context(`${JSON.stringify(location)} -> ${JSON.stringify(point)}`));
      }
      pointToCli(lines, { row: lines.length + 2, column: 7 });
    }
  });

  it(`offsets -> tree-sitter points, and the points of inserted text (${label})`, () => {
    const random = new Random(seed + 2);
    for (let round = 0; round < ROUNDS; round++) {
      const text = randomText(random);
      const context = (what: string) => `${label}, text ${preview(text)}, ${what}`;
      for (let offset = -2; offset <= text.length + 2; offset++) {
        const before = text.slice(0, Math.max(0, Math.min(offset, text.length))).split("\n");
        const want = { row: before.length - 1, column: before[before.length - 1].length };
        const got = pointAt(text, offset);
        check(samePoint(got, want), () => context(`offset ${offset} -> ${JSON.stringify(got)}, not ${JSON.stringify(want)}`));
        // Starting from a known earlier point gives the same answer.
        const from = random.int(Math.max(0, Math.min(offset, text.length)) + 1);
        const hinted = pointAt(text, offset, { index: from, point: pointAt(text, from) });
        check(samePoint(hinted, want), () => context(`offset ${offset} from ${from} -> ${JSON.stringify(hinted)}`));
      }
      const at = random.int(text.length + 1);
      const inserted = randomText(random, 10);
      const start = pointAt(text, at);
      const after = text.slice(0, at) + inserted + text.slice(at);
      const end = pointAfter(start, inserted);
      check(samePoint(end, pointAt(after, at + inserted.length)), () => context(`${preview(inserted)} inserted at ${at} ends at ${JSON.stringify(end)}`));
    }
  });

  it(`LSP positions -> tree-sitter points agree wherever LSP and tree-sitter count the same rows (${label})`, () => {
    const random = new Random(seed + 3);
    for (let round = 0; round < ROUNDS; round++) {
      // Without lone \r (tree-sitter rows end at \n only; LSP rows end at \r too).
      const text = randomText(random).replace(/\r(?!\n)/g, "");
      const document = TextDocument.create("file:///fuzz.py", "python", 1, text);
      const model = new LspText(text);
      const context = (what: string) => `${label}, text ${preview(text)}, ${what}`;
      for (let offset = 0; offset <= text.length; offset++) {
        // Between the \r and \n of a CRLF is no LSP position.
        if (LspText.snap(text, offset) !== offset) continue;
        const position = document.positionAt(offset);
        const point = lspToPoint(position);
        const back = pointToLsp(point);
        const ok =
          samePoint(point, pointAt(text, offset)) &&
          position.line === model.positionAt(offset).line &&
          position.character === model.positionAt(offset).character &&
          back.line === position.line &&
          back.character === position.character;
        check(ok, () => context(`offset ${offset}: LSP ${JSON.stringify(position)}, point ${JSON.stringify(point)}, expected ${JSON.stringify(pointAt(text, offset))}`));
      }
      // Clamping: any integer position lands inside the document.
      for (let n = 0; n < 10; n++) {
        const position = { line: random.between(-3, model.lineCount + 3), character: random.between(-3, 50) };
        const offset = document.offsetAt(position);
        check(offset >= 0 && offset <= text.length, () => context(`${JSON.stringify(position)} -> offset ${offset}`));
      }
    }
  });

  it(`UTF-8 sizes (the size limit) match Node's encoder, lone surrogates included (${label})`, () => {
    const random = new Random(seed + 4);
    for (let round = 0; round < ROUNDS; round++) {
      const text = randomText(random);
      const bytes = Buffer.byteLength(text, "utf8");
      const context = `${label}, text ${preview(text)}`;
      expect(utf8Length(text), context).toBe(bytes);
      const limit = random.int(bytes + 3);
      expect(utf8LengthOver(text, limit), `${context}, limit ${limit}`).toBe(bytes > limit);
    }
  });
});

describe("the noqa parser", () => {
  const seed = seedFor(4_321);
  const label = `seed ${seed} (replay: PYM_SEED=${seed})`;
  let parser: Parser;
  beforeAll(async () => {
    parser = createParser(await loadLanguage());
  });
  afterAll(() => parser?.delete());

  /** A comment node as suppressionsByRow reads it: its text and its row (nothing else is used). */
  function comment(text: string, row = 0): Node {
    return { text, startPosition: { row, column: 0 } } as unknown as Node; // a stand-in for a tree-sitter node
  }

  /**
   * What "Disable CODE for this line" writes, one code after another (features/code-actions.ts):
   * it extends the `# noqa` list of the row's own comment, else appends a comment. Here the
   * comment's start is known by construction; code-actions finds it in the tree.
   */
  function disableAll(code: string, codes: readonly string[]): { line: string; comment: string } {
    let line = code;
    const commentStart = code.length + 2;
    for (const c of codes) {
      const end = line.length > commentStart ? noqaListEnd(line.slice(commentStart)) : undefined;
      line = end === undefined ? `${line}  # noqa: ${c}` : `${line.slice(0, commentStart + end)},${c}${line.slice(commentStart + end)}`;
    }
    return { line, comment: line.slice(commentStart) };
  }

  const NOISE = ["#", "noqa", "NOQA", ":", ",", " ", "\t", "PYM", "001", "E501", "pym006", "\0", "😀", "한", "\ud800", "# noqa:", "python-mentor:", "disable=", "disable-file", "=", "x"];

  it(`random comment text never throws (${label})`, () => {
    const random = new Random(seed);
    for (let round = 0; round < ROUNDS; round++) {
      let text = "";
      for (let n = random.int(25); n > 0; n--) text += random.pick(NOISE);
      const context = `${label}, comment ${preview(text)}`;
      const end = noqaListEnd(text);
      if (end !== undefined) {
        expect(end, context).toBeGreaterThan(0);
        expect(end, context).toBeLessThanOrEqual(text.length);
      }
      const byRow = suppressionsByRow([comment(text, 3)]);
      expect([...byRow.keys()].every((row) => row === 3), context).toBe(true);
      expect(typeof isSuppressed(byRow, 3, ["PYM001"]), context).toBe("boolean");
    }
  });

  it(`"Disable for this line" then parse gives back every code, on any line (${label})`, () => {
    const random = new Random(seed + 1);
    for (let round = 0; round < ROUNDS; round++) {
      // Distinct codes, as the parser compares them: in capitals.
      const drawn = Array.from({ length: random.between(1, 5) }, () => `${random.pick(["PYM", "E", "W", "RUF", "pym"])}${random.int(1000)}`);
      const codes = drawn.filter((c, i) => drawn.findIndex((d) => d.toUpperCase() === c.toUpperCase()) === i);
      // Code before the comment, sometimes with `# noqa` (and a list) inside a string.
      const code = random.pick(["x = 1", "if x is 1:", "s = '#'", "print('# noqa')", "t = '# noqa: E1'", "f(a, b)", "y = '한국어 😀'"]);
      const { line, comment: text } = disableAll(code, codes);
      const context = `${label}, line ${preview(line)}`;
      expect(line.startsWith(code), context).toBe(true);
      const byRow = suppressionsByRow([comment(text)]);
      const suppression = byRow.get(0);
      expect(suppression, context).not.toBe("all");
      expect([...(suppression as ReadonlySet<string>)].sort(), context).toEqual(codes.map((c) => c.toUpperCase()).sort());
      for (const c of codes) expect(isSuppressed(byRow, 0, [c.toUpperCase()]), context).toBe(true);
      expect(isSuppressed(byRow, 0, ["ZZZ999"]), context).toBe(false);
    }
  });

  it("\"Disable for this line\" extends the row's own comment, never a `# noqa` inside a string", async () => {
    const server = new MentorServer({ language: await loadLanguage(), knowledge: loadKnowledge(), version: "test" });
    server.initialize({ processId: null, rootUri: null, capabilities: {} });
    const uri = "file:///fuzz/noqa.py";
    const disable = (text: string, code: string): string => {
      server.didOpen({ textDocument: { uri, languageId: "python", version: 1, text } });
      const diagnostics = server.diagnostics(uri)!.diagnostics;
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 200 } };
      const action = server.codeActions({ textDocument: { uri }, range, context: { diagnostics } }).find((a) => a.title === `Disable ${code} for this line`);
      expect(action, `${text}: no "Disable ${code}"`).toBeDefined();
      return applyLspEdits(text, action!.edit!.changes![uri]);
    };
    try {
      // Before the fix, the code went into the string: `"# noqa: E1,PYM001"`.
      const inString = 'if x is 1 and s == "# noqa: E1":\n    pass\n';
      const fixed = disable(inString, "PYM001");
      expect(fixed).toBe('if x is 1 and s == "# noqa: E1":  # noqa: PYM001\n    pass\n');
      // Before the fix, a second comment was appended, which the parser does not read.
      const second = disable('if x is 1 and s == "# noqa" and y == None:  # noqa: PYM001\n    pass\n', "PYM002");
      expect(second).toBe('if x is 1 and s == "# noqa" and y == None:  # noqa: PYM001,PYM002\n    pass\n');
      server.didOpen({ textDocument: { uri, languageId: "python", version: 1, text: second } });
      expect(server.diagnostics(uri)!.diagnostics).toEqual([]);
    } finally {
      server.dispose();
    }
  });

  it(`whole random files: noqa and file directives read from real comments never throw (${label})`, () => {
    const random = new Random(seed + 2);
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: random.between(1, 8) }, () => {
        let line = random.pick(["", "x = 1", "'''doc'''", "if x is 1:", "    pass"]);
        for (let n = random.int(6); n > 0; n--) line += random.pick(NOISE);
        return line;
      });
      const text = lines.join(random.pick(["\n", "\r\n"]));
      const tree = parseText(parser, text);
      try {
        const comments = tree.rootNode.descendantsOfType("comment").filter((node): node is Node => node !== null);
        expect(() => suppressionsByRow(comments), `${label}, text ${preview(text)}`).not.toThrow();
        const file = fileSuppression(tree.rootNode);
        expect(file === undefined || file === "all" || file instanceof Set, `${label}, text ${preview(text)}`).toBe(true);
      } finally {
        tree.delete();
      }
    }
  });
});
