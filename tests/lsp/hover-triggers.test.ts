import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver";
import type { Language } from "web-tree-sitter";
import { MentorServer } from "../../server/src/lsp/mentor-server";
import type { KnowledgeBase } from "../../server/src/knowledge/knowledge-base";
import type { KnowledgeEntry } from "../../server/src/knowledge/entry";
import { loadEntries, loadKnowledge, loadLanguage } from "../helpers/runtime";
import { MARK, methodOwners, snippetsFor } from "../helpers/trigger-snippets";

/**
 * Every trigger of every entry, used in a small file the way people write it; hovering the marked
 * token (the character after `‸`) must show that entry. Names that merely look alike show nothing.
 */
let language: Language;
let knowledge: KnowledgeBase;
let server: MentorServer;
beforeAll(async () => {
  language = await loadLanguage();
  knowledge = loadKnowledge();
  server = new MentorServer({ language, knowledge, version: "test" });
  server.initialize({ processId: null, rootUri: null, capabilities: {} });
});
afterAll(() => server.dispose());

let documentCount = 0;
function hoverAtMark(marked: string): string | null {
  const offset = marked.indexOf(MARK);
  const text = marked.replace(MARK, "");
  const before = text.slice(0, offset).split("\n");
  const uri = `file:///work/hover-${documentCount++}.py`;
  server.didOpen({ textDocument: { uri, languageId: "python", version: 1, text } });
  try {
    const hover = server.hover({ textDocument: { uri }, position: { line: before.length - 1, character: before[before.length - 1].length } });
    return hover ? (hover.contents as MarkupContent).value : null;
  } finally {
    server.didClose({ textDocument: { uri } });
  }
}

const english: KnowledgeEntry[] = loadEntries().filter((entry) => entry.locale === "en");
const allTriggers = english.flatMap((entry) => entry.triggers);
const owners = methodOwners(allTriggers);

describe("hover on every trigger", () => {
  for (const entry of english) {
    for (const trigger of entry.triggers) {
      it(`${trigger} shows ${entry.id}`, () => {
        const snippets = snippetsFor(trigger, owners);
        expect(snippets.length, `a usage snippet for ${trigger}`).toBeGreaterThan(0);
        for (const snippet of snippets) {
          const hover = hoverAtMark(snippet);
          expect(hover, snippet).not.toBeNull();
          expect(hover, snippet).toContain(`**${entry.title}**`);
        }
      });
    }
  }
});

describe("ordinary names show nothing", () => {
  it.each([
    ["a local variable named like a module", "threading = 3\nprint(‸threading)\n"],
    ["a parameter named like a class", "def f(deque):\n    return ‸deque\n"],
    ["a local function shadowing an import", "from functools import wraps\n\ndef run():\n    def wraps(f):\n        return f\n    return ‸wraps\n"],
    ["an attribute of an unknown object", "def f(pool):\n    pool.‸submit(print)\n"],
    ["a method of an object whose class is unknown", "executor = make()\nexecutor.‸map(print, [])\n"],
    ["a name reassigned to something else", "from concurrent.futures import ThreadPoolExecutor\n\npool = ThreadPoolExecutor()\npool = None\npool.‸submit\n"],
    ["an ordinary identifier", "total = 0\nprint(‸total)\n"],
    ["a comment", "# threading.Thread ‸is here\n"],
    ["a string", "text = 'await ‸threading'\n"],
  ])("%s", (_, snippet) => {
    expect(hoverAtMark(snippet)).toBeNull();
  });
});
