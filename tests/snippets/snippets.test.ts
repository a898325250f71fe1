import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CompletionItemKind, InsertTextFormat, type ClientCapabilities, type CodeAction, type CompletionList, type MarkupContent } from "vscode-languageserver";
import type { Language, Parser } from "web-tree-sitter";
import { fillDefaults, indentWith, SNIPPETS } from "../../server/src/features/snippets";
import type { KnowledgeBase } from "../../server/src/knowledge/knowledge-base";
import { MentorServer, type MentorInitializationOptions } from "../../server/src/lsp/mentor-server";
import { parseText } from "../../server/src/parse/document-tree";
import { createParser } from "../../server/src/parse/python-parser";
import { applyLspEdits } from "../helpers/lsp-text";
import { python3CompileErrors } from "../helpers/python";
import { loadKnowledge, loadLanguage, ROOT, TestAnalyzer } from "../helpers/runtime";

const URI = "file:///work/snippets.py";

let language: Language;
let knowledge: KnowledgeBase;
let analyzer: TestAnalyzer;
let parser: Parser;
let server: MentorServer | undefined;
beforeAll(async () => {
  language = await loadLanguage();
  knowledge = loadKnowledge();
  analyzer = new TestAnalyzer(language);
  parser = createParser(language);
});
afterEach(() => {
  server?.dispose();
  server = undefined;
});

const work = mkdtempSync(path.join(tmpdir(), "pym-snippets-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The code a snippet inserts with its defaults, indented the PEP 8 way. */
const filled = (body: string) => indentWith(fillDefaults(body), "    ");

/** Compiles each source with python3; returns the syntax errors by name. */
function compileErrors(sources: Record<string, string>): Record<string, string> {
  const files = Object.entries(sources).map(([name, code]) => {
    const file = path.join(work, `${name}.py`);
    writeFileSync(file, code);
    return file;
  });
  const errors = python3CompileErrors(files);
  return Object.fromEntries(Object.entries(errors).map(([file, error]) => [path.basename(file, ".py"), error]));
}

function parsesCleanly(code: string): boolean {
  const tree = parseText(parser, code);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

function commentCount(code: string): number {
  const tree = parseText(parser, code);
  try {
    return tree.rootNode.descendantsOfType("comment").length;
  } finally {
    tree.delete();
  }
}

describe("snippets/python.json", () => {
  it("has the snippets the README lists, each with a pym- prefix of its own and a description", () => {
    const prefixes = SNIPPETS.map((snippet) => snippet.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const snippet of SNIPPETS) {
      expect(snippet.prefix).toMatch(/^pym-[a-z]+(-[a-z]+)*$/);
      expect(snippet.description.length, snippet.prefix).toBeGreaterThan(20);
    }
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Snippets"), readme.indexOf("\n## ", readme.indexOf("### Snippets")));
    expect([...section.matchAll(/^\| `(pym-[a-z-]+)` \|/gm)].map((match) => match[1]).sort()).toEqual([...prefixes].sort());
  });

  it("is contributed for Python in the manifest", () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(manifest.contributes.snippets).toEqual([{ language: "python", path: "./snippets/python.json" }]);
  });

  it("every body is valid Python once its placeholders take their defaults", () => {
    const sources = Object.fromEntries(SNIPPETS.map((snippet) => [snippet.prefix, filled(snippet.body)]));
    expect(compileErrors(sources)).toEqual({});
    for (const [prefix, code] of Object.entries(sources)) {
      expect(parsesCleanly(code), prefix).toBe(true);
      expect(code, prefix).not.toMatch(/\$\d|\$\{/);
    }
  });

  it("every body is the idiomatic way: no Python Mentor rule fires, and it needs no comment", () => {
    for (const snippet of SNIPPETS) {
      const code = filled(snippet.body);
      expect(analyzer.findings(code).map((finding) => `${finding.code}: ${finding.message}`), snippet.prefix).toEqual([]);
      expect(commentCount(code), snippet.prefix).toBe(0);
    }
  });
});

describe("placeholder defaults", () => {
  it("fill placeholders, their mirrors and choices; an empty tab stop alone on a line is `pass`", () => {
    expect(fillDefaults("def ${1:name}(${2:arg}):\n\treturn ${2}$0")).toBe("def name(arg):\n\treturn arg");
    expect(fillDefaults("for x in y:\n\t$1\n$0")).toBe("for x in y:\n\tpass\npass");
    expect(fillDefaults("session.${1|get,post|}(url)")).toBe("session.get(url)");
    expect(fillDefaults("x = ${1:f(${2:a})} + $2")).toBe("x = f(a) + a");
    expect(fillDefaults("price = \\$5 ${1:\\}}")).toBe("price = $5 }");
    expect(fillDefaults("name = '$TM_FILENAME' ${NAME:x} $ {")).toBe("name = '' x $ {");
  });
});

describe("snippet completions", () => {
  const snippetClient: ClientCapabilities = {
    textDocument: { completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] } } },
  };

  function open(text: string, initializationOptions?: MentorInitializationOptions, capabilities: ClientCapabilities = snippetClient) {
    server = new MentorServer({ language, knowledge, version: "test" });
    const result = server.initialize({ processId: null, rootUri: null, capabilities, initializationOptions });
    server.didOpen({ textDocument: { uri: URI, languageId: "python", version: 1, text } });
    return { s: server, capabilities: result.capabilities };
  }

  /** Completions with the cursor at `‸`. */
  function complete(marked: string, initializationOptions?: MentorInitializationOptions, capabilities?: ClientCapabilities): CompletionList | null {
    const index = marked.indexOf("‸");
    const text = marked.replace("‸", "");
    const before = text.slice(0, index).split("\n");
    const position = { line: before.length - 1, character: before[before.length - 1].length };
    return open(text, initializationOptions, capabilities).s.completion({ textDocument: { uri: URI }, position });
  }

  const labels = (list: CompletionList | null) => list?.items.map((item) => item.label) ?? [];

  it("are registered and offered at a statement start to clients other than VS Code", () => {
    expect(open("").capabilities.completionProvider).toBeDefined();
    const list = complete("import os\n\npym‸\n");
    expect(labels(list).sort()).toEqual(SNIPPETS.map((snippet) => snippet.prefix).sort());
    const item = list!.items.find((candidate) => candidate.label === "pym-bfs-deque")!;
    const snippet = SNIPPETS.find((candidate) => candidate.prefix === "pym-bfs-deque")!;
    expect(item).toMatchObject({
      kind: CompletionItemKind.Snippet,
      insertTextFormat: InsertTextFormat.Snippet,
      detail: snippet.description,
      textEdit: { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 3 } }, newText: indentWith(snippet.body, "    ") },
    });
    expect((item.documentation as MarkupContent).value).toBe("```python\n" + filled(snippet.body) + "\n```");
  });

  it("narrow to the typed prefix, also inside a block and after `-`", () => {
    expect(labels(complete("def f():\n    pym-dec‸")).sort()).toEqual(["pym-decorator", "pym-decorator-args"]);
    expect(labels(complete("class A:\n    def f(self):\n        pass\n\n    pym-iter‸\n"))).toEqual(["pym-iterator"]);
    expect(labels(complete("if ok:\n    x = (1 +\n         2)\n    pym-‸"))).toHaveLength(SNIPPETS.length);
  });

  it("ask again while `p`/`py` is typed, and stay out of other words", () => {
    expect(complete("p‸")).toEqual({ isIncomplete: true, items: [] });
    expect(complete("x = 1\n    py‸")).toEqual({ isIncomplete: true, items: [] });
    expect(complete("print‸")).toBeNull();
    expect(labels(complete("pymx‸"))).toEqual([]);
  });

  it("are not offered inside strings, comments or brackets, after `.` or a backslash continuation", () => {
    const nowhere = [
      'text = """\npym‸',
      'text = """\n    pym‸\n"""\n',
      "text = 'a' + '''\npym-dec‸",
      "# pym‸",
      "x = 1  # pym‸",
      "value = thing.pym‸",
      "value = (thing\n    .pym‸",
      "x = foo(\n    pym‸",
      "x = foo(\n    pym-‸\n",
      "items = [\n    1,\n    pym‸\n]\n",
      "d = {\n    'a': 1,\n    pym-‸",
      "def f(\n    pym‸",
      "total = 1 + \\\n    pym‸",
      "x = 1; pym‸",
      "@pym‸",
      "x = [\n    1,\npym-‸",
      "s = '한국어 é 🎉'\nx = f(\n'🎉',\npym‸",
    ];
    for (const text of nowhere) expect(labels(complete(text)), text).toEqual([]);
    // Brackets and strings that closed before do not count.
    expect(labels(complete("x = foo(')', \"(\", '''\n(''')\npym-bfs‸"))).toEqual(["pym-bfs-deque"]);
    expect(labels(complete("x = 'it\\'s'  # (\npym-bfs‸"))).toEqual(["pym-bfs-deque"]);
    expect(labels(complete("s = '한국어 🎉'\nx = f(\n    '🎉')\npym-bfs‸"))).toEqual(["pym-bfs-deque"]);
  });

  it("are neither registered nor offered when the client says `snippets: false` (our VS Code client reads the file)", () => {
    expect(open("", { snippets: false }).capabilities.completionProvider).toBeUndefined();
    expect(complete("pym‸", { snippets: false })).toBeNull();
    // Both the desktop and the web client send their options from here.
    const source = readFileSync(path.join(ROOT, "client/src/activate.ts"), "utf8");
    const options = source.slice(source.indexOf("function initializationOptions("));
    expect(options.slice(0, options.indexOf("\n}\n"))).toMatch(/\n\s*snippets: false,/);
  });

  it("come as plain code with the defaults filled in for clients without snippet support", () => {
    const list = complete("pym-process‸", {}, {});
    const snippet = SNIPPETS.find((candidate) => candidate.prefix === "pym-process-pool")!;
    expect(list!.items).toHaveLength(1);
    expect(list!.items[0]).toMatchObject({ insertTextFormat: InsertTextFormat.PlainText, textEdit: { newText: filled(snippet.body) }, documentation: filled(snippet.body) });
  });

  it("follow the file's indentation", () => {
    const list = complete("def f():\n\treturn 1\n\npym-bfs‸");
    expect(list!.items[0].textEdit!.newText).toContain("\n\tseen = {start}\n");
  });
});

describe("'Insert example' quick fixes", () => {
  const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 200 } });

  function insertExample(text: string, line: number): { action: CodeAction; result: string } {
    server = new MentorServer({ language, knowledge, version: "test" });
    server.initialize({ processId: null, rootUri: null, capabilities: {} });
    server.didOpen({ textDocument: { uri: URI, languageId: "python", version: 1, text } });
    const actions = server.codeActions({ textDocument: { uri: URI }, range: range(line), context: { diagnostics: [], only: ["quickfix"] } });
    const action = actions.find((candidate) => candidate.title.startsWith("Insert example: "));
    expect(action, actions.map((candidate) => candidate.title).join(", ")).toBeDefined();
    return { action: action!, result: applyLspEdits(text, action!.edit!.changes![URI]) };
  }

  it("PYM006 inserts the deque BFS after the enclosing top-level definition, and the file still parses", () => {
    const text = [
      "def breadth_first(graph, start):",
      "    order, queue = [], [start]",
      "    while queue:",
      "        node = queue.pop(0)",
      "        order.append(node)",
      "        queue.extend(graph[node])",
      "    return order",
      "",
      "",
      'print(breadth_first({"a": []}, "a"))',
      "",
    ].join("\n");
    const { action, result } = insertExample(text, 3);
    expect(action.title).toBe("Insert example: Breadth-first search with collections.deque");
    expect(action.diagnostics?.map((diagnostic) => diagnostic.code)).toEqual(["PYM006"]);
    const example = filled(SNIPPETS.find((snippet) => snippet.prefix === "pym-bfs-deque")!.body);
    const [definition, call] = [text.slice(0, text.indexOf("\n\n\nprint")), text.slice(text.indexOf("print"))];
    expect(result).toBe(`${definition}\n\n\n${example}\n\n\n${call}`);
    expect(parsesCleanly(result)).toBe(true);
    expect(compileErrors({ "pym006-inserted": result })).toEqual({});
    // The example adds no finding of its own.
    expect(analyzer.findings(result).map((finding) => finding.code)).toEqual(["PYM006"]);
  });

  it("PYM003 inserts the process-pool template at the end of a file without a final newline", () => {
    const text = [
      "from concurrent.futures import ThreadPoolExecutor",
      "",
      "def total(n):",
      "    return sum(i * i for i in range(n))",
      "",
      "with ThreadPoolExecutor() as pool:",
      "    print(list(pool.map(total, [10, 20])))",
    ].join("\n");
    const { result } = insertExample(text, 6);
    expect(result.startsWith(`${text}\n\n\nfrom concurrent.futures import ProcessPoolExecutor\n`)).toBe(true);
    expect(result.endsWith("print(results)")).toBe(true);
    expect(parsesCleanly(result)).toBe(true);
    expect(compileErrors({ "pym003-inserted": result })).toEqual({});
  });

  it("keeps the file's tab indentation and CRLF line ends", () => {
    const text = "def drain(items: list):\r\n\twhile items:\r\n\t\titems.pop(0)\r\n";
    const { result } = insertExample(text, 2);
    expect(result).toContain("\r\n\tseen = {start}\r\n");
    expect(result.replace(/\r\n/g, "")).not.toContain("\n");
    expect(parsesCleanly(result)).toBe(true);
  });
});
