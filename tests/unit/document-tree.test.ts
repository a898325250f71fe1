import { beforeAll, describe, expect, it } from "vitest";
import type { Language, Parser } from "web-tree-sitter";
import { DocumentTree, parseText } from "../../server/src/parse/document-tree";
import { createParser } from "../../server/src/parse/python-parser";
import { loadLanguage } from "../helpers/runtime";

let language: Language;
let parser: Parser;
beforeAll(async () => {
  language = await loadLanguage();
  parser = createParser(language);
});

function freshSExpression(text: string): string {
  const tree = parseText(parser, text);
  try {
    return tree.rootNode.toString();
  } finally {
    tree.delete();
  }
}

describe("incremental document tree", () => {
  it("after ranged edits (with Korean, Chinese and emoji text) equals a fresh parse of the new text", () => {
    const doc = new DocumentTree(parser, "file:///a.py", 1, 'greet = "안녕 你好 😀"\nif x is 1:\n    pass\n');
    try {
      // Replace `1` with `None` on row 1 (LSP range in UTF-16 units).
      doc.applyChanges([{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 9 } }, text: "None" }], 2);
      expect(doc.text).toBe('greet = "안녕 你好 😀"\nif x is None:\n    pass\n');
      // Insert a new line after the emoji string, then delete a character, in one notification.
      doc.applyChanges(
        [
          { range: { start: { line: 0, character: 18 }, end: { line: 0, character: 18 } }, text: "\ny = [1] * 3" },
          { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: "z" },
        ],
        3,
      );
      expect(doc.text).toBe('greet = "안녕 你好 😀"\nz = [1] * 3\nif x is None:\n    pass\n');
      expect(doc.version).toBe(3);
      expect(doc.tree.rootNode.toString()).toBe(freshSExpression(doc.text));
    } finally {
      doc.dispose();
    }
  });

  it("takes whole-document changes and positions past the end of a line", () => {
    const doc = new DocumentTree(parser, "file:///b.py", 1, "a = 1\n");
    try {
      doc.applyChanges([{ text: "def f():\n    return 2\n" }], 2);
      expect(doc.tree.rootNode.toString()).toBe(freshSExpression("def f():\n    return 2\n"));
      doc.applyChanges([{ range: { start: { line: 0, character: 400 }, end: { line: 99, character: 0 } }, text: "  # end" }], 3);
      // Clamped like the client would: from the end of row 0 to the end of the document.
      expect(doc.text).toBe("def f():  # end");
      expect(doc.tree.rootNode.toString()).toBe(freshSExpression(doc.text));
    } finally {
      doc.dispose();
    }
  });

  it("stays equal to a fresh parse over many random edits", () => {
    let text = "import aiohttp\n\nasync def f(url):\n    async with aiohttp.ClientSession() as s:\n        return await s.get(url)\n";
    const doc = new DocumentTree(parser, "file:///c.py", 0, text);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ["x", " is ", "1", "\n", "(", ")", "😀", "한", ":", "    ", "None", "with "];
    try {
      for (let version = 1; version <= 200; version++) {
        const start = random(text.length + 1);
        const end = Math.min(text.length, start + random(4));
        const insert = pieces[random(pieces.length)];
        const position = (offset: number) => {
          const before = text.slice(0, offset).split("\n");
          return { line: before.length - 1, character: before[before.length - 1].length };
        };
        doc.applyChanges([{ range: { start: position(start), end: position(end) }, text: insert }], version);
        text = text.slice(0, start) + insert + text.slice(end);
        expect(doc.text).toBe(text);
        if (version % 50 === 0) expect(doc.tree.rootNode.toString()).toBe(freshSExpression(text));
      }
      expect(doc.tree.rootNode.toString()).toBe(freshSExpression(text));
    } finally {
      doc.dispose();
    }
  });
});
