import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CodeAction, Hover, MarkupContent, TextEdit } from "vscode-languageserver";
import type { Language } from "web-tree-sitter";
import { MentorServer } from "../../server/src/lsp/mentor-server";
import type { KnowledgeBase } from "../../server/src/knowledge/knowledge-base";
import { loadKnowledge, loadLanguage } from "../helpers/runtime";
import { applyLspEdits, positionOf } from "../helpers/lsp-text";

let language: Language;
let knowledge: KnowledgeBase;
let server: MentorServer;
beforeAll(async () => {
  language = await loadLanguage();
  knowledge = loadKnowledge();
});
afterEach(() => server?.dispose());

const URI = "file:///work/demo.py";

function open(text: string, documentChanges = false): MentorServer {
  server = new MentorServer({ language, knowledge, version: "test" });
  server.initialize({ processId: null, rootUri: null, capabilities: { workspace: { workspaceEdit: { documentChanges } } } });
  server.didOpen({ textDocument: { uri: URI, languageId: "python", version: 1, text } });
  return server;
}

function hoverText(hover: Hover | null): string {
  expect(hover).not.toBeNull();
  return (hover!.contents as MarkupContent).value;
}

function editsOf(action: CodeAction): TextEdit[] {
  return action.edit?.changes?.[URI] ?? [];
}

describe("diagnostics", () => {
  it("carry code, source, severity, documentation link and the document version", () => {
    const text = "import aiohttp\n\nasync def main():\n    async with aiohttp.ClientSession as session:\n        pass\n";
    const result = open(text).diagnostics(URI)!;
    expect(result.version).toBe(1);
    expect(result.diagnostics).toHaveLength(1);
    const [diagnostic] = result.diagnostics;
    expect(diagnostic).toMatchObject({
      code: "PYM004",
      source: "python-mentor",
      severity: 1,
      range: { start: { line: 3, character: 15 }, end: { line: 3, character: 36 } },
      codeDescription: { href: expect.stringMatching(/^https:\/\/docs\.python\.org\//) },
    });
    expect(diagnostic.message).toContain("aiohttp.ClientSession()");
  });

  it("follow incremental edits", () => {
    const s = open("x = 1\nif x is 1:\n    pass\n");
    expect(s.diagnostics(URI)!.diagnostics.map((d) => d.code)).toEqual(["PYM001"]);
    s.didChange({
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 1, character: 5 }, end: { line: 1, character: 7 } }, text: "==" }],
    });
    expect(s.diagnostics(URI)).toEqual({ uri: URI, version: 2, diagnostics: [] });
    s.didChange({
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ range: { start: { line: 1, character: 10 }, end: { line: 1, character: 10 } }, text: " or x == None" }],
    });
    expect(s.diagnostics(URI)!.diagnostics.map((d) => d.code)).toEqual(["PYM002"]);
  });

  it("respect # noqa", () => {
    const s = open("if x is 1:  # noqa: PYM001\n    pass\nif y is 2:  # noqa\n    pass\nif z is 3:  # noqa: PYM002\n    pass\n");
    expect(s.diagnostics(URI)!.diagnostics.map((d) => d.range.start.line)).toEqual([4]);
  });
});

describe("hover", () => {
  it("on staticmethod explains classmethod", () => {
    const text = "class Person:\n    @staticmethod\n    def make():\n        return 1\n";
    const value = hoverText(open(text).hover({ textDocument: { uri: URI }, position: positionOf(text, "staticmethod", 3) }));
    expect(value).toContain("`@staticmethod` vs `@classmethod`");
    expect(value).toContain("classmethod");
    expect(value).toContain("```python");
    expect(value).toContain("https://docs.python.org/3/library/functions.html#classmethod");
  });

  it("on the `is` operator, on `is not`, and on `async with`", () => {
    const text = "import aiohttp as ah\nasync def f(a, b):\n    if a is not b:\n        async with ah.ClientSession() as s:\n            pass\n";
    const s = open(text);
    expect(hoverText(s.hover({ textDocument: { uri: URI }, position: positionOf(text, "is not", 1) }))).toContain("identity or equality");
    expect(hoverText(s.hover({ textDocument: { uri: URI }, position: positionOf(text, "not b", 1) }))).toContain("identity or equality");
    expect(hoverText(s.hover({ textDocument: { uri: URI }, position: positionOf(text, "async with", 1) }))).toContain("Context managers");
    expect(hoverText(s.hover({ textDocument: { uri: URI }, position: positionOf(text, "with ah", 1) }))).toContain("Context managers");
  });

  it("on an aliased import of aiohttp.ClientSession resolves the qualified name", () => {
    const text = "from aiohttp import ClientSession as CS\nsession = CS()\n";
    const hover = open(text).hover({ textDocument: { uri: URI }, position: positionOf(text, "CS()", 1) });
    expect(hoverText(hover)).toContain(knowledge.get("http-sessions")!.title);
    expect(hover!.range).toEqual({ start: { line: 1, character: 10 }, end: { line: 1, character: 12 } });
  });

  it("on a finding explains it, with the fix, and does not repeat the entry", () => {
    const text = "x = 3\nprint(x is 3)\n";
    const value = hoverText(open(text).hover({ textDocument: { uri: URI }, position: positionOf(text, "is 3", 0) }));
    expect(value).toContain("**PYM001** is-literal");
    expect(value).toContain("Quick fix: Use ==");
    expect(value.match(/identity or equality/g)).toHaveLength(1);
  });

  it("on a special method's definition and on a decorator imported from contextlib", () => {
    const text =
      "from contextlib import contextmanager\n\nclass Box:\n    def __enter__(self):\n        return self\n\n" +
      "@contextmanager\ndef opened():\n    yield 1\n\nwith Box() as b:\n    pass\n";
    const s = open(text);
    for (const [needle, delta] of [["__enter__", 2], ["contextmanager\ndef", 3], ["with Box", 1]] as const) {
      const hover = s.hover({ textDocument: { uri: URI }, position: positionOf(text, needle, delta) });
      expect(hoverText(hover), needle).toContain("Context managers");
    }
    expect(s.hover({ textDocument: { uri: URI }, position: positionOf(text, "Box:", 1) })).toBeNull();
  });

  it("survives random edits and hovers anywhere, with diagnostics matching a fresh open", () => {
    let text =
      "import aiohttp\nclass P:\n    @staticmethod\n    def f():\n        return P()\n" +
      "async def g(x):\n    async with aiohttp.ClientSession as s:\n        return x is 1 or x == None\n";
    const s = open(text);
    let seed = 11;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const pieces = ["", "x", "(", ")", ":", "\n", "    ", " is ", "None", "😀", "한", '"', "'''", "@staticmethod\n", "with "];
    const at = (offset: number) => {
      const before = text.slice(0, offset).split("\n");
      return { line: before.length - 1, character: before[before.length - 1].length };
    };
    for (let version = 2; version < 300; version++) {
      const start = random(text.length + 1);
      const end = Math.min(text.length, start + random(5));
      const insert = pieces[random(pieces.length)];
      s.didChange({ textDocument: { uri: URI, version }, contentChanges: [{ range: { start: at(start), end: at(end) }, text: insert }] });
      text = text.slice(0, start) + insert + text.slice(end);
      const position = at(random(text.length + 1));
      expect(() => s.hover({ textDocument: { uri: URI }, position })).not.toThrow();
      const range = { start: position, end: position };
      expect(() => s.codeActions({ textDocument: { uri: URI }, range, context: { diagnostics: [] } })).not.toThrow();
    }
    const incremental = s.diagnostics(URI)!.diagnostics;
    const fresh = new MentorServer({ language, knowledge, version: "test" });
    fresh.didOpen({ textDocument: { uri: URI, languageId: "python", version: 1, text } });
    expect(incremental).toEqual(fresh.diagnostics(URI)!.diagnostics);
    fresh.dispose();
  });

  it("returns null on plain code, unknown documents and positions out of range, and keeps serving", () => {
    const text = "total = 1 + 2\n";
    const s = open(text);
    expect(s.hover({ textDocument: { uri: URI }, position: { line: 0, character: 1 } })).toBeNull();
    expect(s.hover({ textDocument: { uri: "file:///nope.py" }, position: { line: 0, character: 0 } })).toBeNull();
    expect(() => s.hover({ textDocument: { uri: URI }, position: { line: 9999, character: 9999 } })).not.toThrow();
    expect(() => s.hover({ textDocument: { uri: URI }, position: { line: -1, character: -5 } })).not.toThrow();
    expect(s.diagnostics(URI)!.diagnostics).toEqual([]);
  });
});

describe("code actions", () => {
  // The whole row, as a client asks when the selection covers the line.
  const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 200 } });

  it("offer the fix and 'Disable for this line', whose edits do what they say", () => {
    const text = "x = 1\nif x is 1:\n    pass\n";
    const s = open(text);
    const diagnostics = s.diagnostics(URI)!.diagnostics;
    const actions = s.codeActions({ textDocument: { uri: URI }, range: diagnostics[0].range, context: { diagnostics } });
    expect(actions.map((a) => a.title)).toEqual([
      "Use ==",
      "Disable PYM001 for this line",
      "Disable PYM001 for this file",
      "Fix all safe Python Mentor problems",
    ]);
    expect(actions[0]).toMatchObject({ kind: "quickfix", isPreferred: true, diagnostics: [{ code: "PYM001" }] });
    const fixed = applyLspEdits(text, editsOf(actions[0]));
    expect(fixed).toBe("x = 1\nif x == 1:\n    pass\n");
    expect(applyLspEdits(text, editsOf(actions[1]))).toBe("x = 1\nif x is 1:  # noqa: PYM001\n    pass\n");

    // Applying the fix through an edit clears the diagnostic.
    s.didChange({ textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: fixed }] });
    expect(s.diagnostics(URI)!.diagnostics).toEqual([]);
  });

  it("'Disable for this line' extends an existing noqa list", () => {
    const text = "if x is 1 and y == None:  # noqa: PYM001\n    pass\n";
    const s = open(text);
    const actions = s.codeActions({ textDocument: { uri: URI }, range: range(0), context: { diagnostics: [], only: ["quickfix"] } });
    const disable = actions.find((a) => a.title === "Disable PYM002 for this line")!;
    expect(applyLspEdits(text, editsOf(disable))).toBe("if x is 1 and y == None:  # noqa: PYM001,PYM002\n    pass\n");
  });

  it("do not offer 'Disable for this line' where a comment would land inside a string or after a backslash", () => {
    const text = 'if x is 1 and y == None and z == """first\nsecond""":\n    pass\nif x is 2 and \\\n        y == None:\n    pass\n';
    const s = open(text);
    const titles = (line: number) =>
      s.codeActions({ textDocument: { uri: URI }, range: range(line), context: { diagnostics: [], only: ["quickfix"] } }).map((a) => a.title);
    const lineActions = (line: number) => titles(line).filter((title) => !/(for|in) this file$/.test(title));
    expect(lineActions(0)).toEqual(["Use ==", "Use is"]);
    expect(lineActions(3)).toEqual(["Use =="]);
    expect(lineActions(4)).toEqual(["Use is", "Disable PYM002 for this line"]);
  });

  it("'Disable for this file' adds a header directive (after #! and a coding cookie), or extends one, and it works", () => {
    const plain = "x = int('1')\nif x is 1:\n    pass\n";
    const titled = (s: MentorServer, row: number, title: string) =>
      s.codeActions({ textDocument: { uri: URI }, range: range(row), context: { diagnostics: [], only: ["quickfix"] } }).find((a) => a.title === title)!;
    const fixed = applyLspEdits(plain, editsOf(titled(open(plain), 1, "Disable PYM001 for this file")));
    expect(fixed).toBe("# python-mentor: disable=PYM001\n" + plain);
    expect(open(fixed).diagnostics(URI)!.diagnostics).toEqual([]);

    const scripted = "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nif x is 1 and y == None:\n    pass\n";
    const once = applyLspEdits(scripted, editsOf(titled(open(scripted), 2, "Disable PYM001 for this file")));
    expect(once).toBe("#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# python-mentor: disable=PYM001\nif x is 1 and y == None:\n    pass\n");
    const s = open(once);
    expect(s.diagnostics(URI)!.diagnostics.map((d) => d.code)).toEqual(["PYM002"]);
    const twice = applyLspEdits(once, editsOf(titled(s, 3, "Disable PYM002 for this file")));
    expect(twice).toContain("# python-mentor: disable=PYM001,PYM002\n");
    expect(open(twice).diagnostics(URI)!.diagnostics).toEqual([]);
  });

  it("a disable directive counts only in the file's header, and disable-file silences everything", () => {
    expect(open('"""Docstring."""\n# python-mentor: disable-file\nif x is 1:\n    pass\n').diagnostics(URI)!.diagnostics).toEqual([]);
    expect(open("import os\n# python-mentor: disable=PYM001\nif x is 1:\n    pass\n").diagnostics(URI)!.diagnostics).toHaveLength(1);
    expect(open("x = 1  # python-mentor: disable=PYM001\nif x is 1:\n    pass\n").diagnostics(URI)!.diagnostics).toHaveLength(1);
    // The Ruff/flake8 equivalent names the same check.
    expect(open("# python-mentor: disable=F632\nif x is 1:\n    pass\n").diagnostics(URI)!.diagnostics).toEqual([]);
  });

  it("'Fix all PYMxxx in this file' applies every fix of that rule, and 'Explain' runs the client's entry command", () => {
    const text = "if a is 1 or b is 2:\n    pass\nif c is 3:\n    pass\n";
    server = new MentorServer({ language, knowledge, version: "test" });
    server.initialize({ processId: null, rootUri: null, capabilities: {}, initializationOptions: { entryCommand: true } });
    server.didOpen({ textDocument: { uri: URI, languageId: "python", version: 1, text } });
    const actions = server.codeActions({ textDocument: { uri: URI }, range: range(2), context: { diagnostics: [], only: ["quickfix"] } });
    const fixAll = actions.find((a) => a.title === "Fix all PYM001 in this file")!;
    expect(applyLspEdits(text, editsOf(fixAll))).toBe("if a == 1 or b == 2:\n    pass\nif c == 3:\n    pass\n");
    expect(actions.find((a) => a.title === "Explain PYM001")?.command).toEqual({
      title: "Explain PYM001",
      command: "pythonMentor.showEntry",
      arguments: ["is-vs-eq"],
    });
    // Clients without the command and without showDocument get no Explain action.
    expect(open(text).codeActions({ textDocument: { uri: URI }, range: range(2), context: { diagnostics: [] } }).some((a) => a.title.startsWith("Explain"))).toBe(false);
  });

  it("source.fixAll.pythonMentor applies every safe fix and leaves unsafe ones", () => {
    const text = "import threading\nif a is 1 or b is not 'x' or c == None:\n    with threading.Lock:\n        pass\n";
    const s = open(text, true);
    const actions = s.codeActions({ textDocument: { uri: URI }, range: range(0), context: { diagnostics: [], only: ["source.fixAll.pythonMentor"] } });
    expect(actions).toHaveLength(1);
    const change = actions[0].edit!.documentChanges![0] as { textDocument: { version: number }; edits: TextEdit[] };
    expect(change.textDocument.version).toBe(1);
    expect(applyLspEdits(text, change.edits)).toBe(
      "import threading\nif a == 1 or b != 'x' or c == None:\n    with threading.Lock():\n        pass\n",
    );
  });

  it("turn a staticmethod factory into a classmethod", () => {
    const text = "class Person:\n    @staticmethod\n    def make(name):\n        return Person(name) if name else Person('x')\n";
    const s = open(text);
    const actions = s.codeActions({ textDocument: { uri: URI }, range: range(3), context: { diagnostics: [] } });
    expect(actions.filter((a) => a.title.startsWith("Make it a @classmethod"))).toHaveLength(1);
    const fix = actions.find((a) => a.title.startsWith("Make it a @classmethod"))!;
    expect(fix.isPreferred).toBe(false);
    expect(applyLspEdits(text, editsOf(fix))).toBe("class Person:\n    @classmethod\n    def make(cls, name):\n        return cls(name) if name else cls('x')\n");
  });
});
