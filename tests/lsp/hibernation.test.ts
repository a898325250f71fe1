import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver";
import type { Language } from "web-tree-sitter";
import { MAX_AWAKE_DOCUMENTS, MentorServer } from "../../server/src/lsp/mentor-server";
import type { KnowledgeBase } from "../../server/src/knowledge/knowledge-base";
import { loadKnowledge, loadLanguage } from "../helpers/runtime";

/**
 * With many files open, only the most recently used keep their trees and analyses; the others
 * hibernate and are parsed again when asked about. Nothing a user sees may change.
 */
let language: Language;
let knowledge: KnowledgeBase;
let server: MentorServer;
beforeAll(async () => {
  language = await loadLanguage();
  knowledge = loadKnowledge();
});
afterEach(() => server?.dispose());

const FILES = MAX_AWAKE_DOCUMENTS * 3;
const uri = (i: number) => `file:///work/many/file${i}.py`;
const text = (i: number) => `import aiohttp\n\n\nclass Tool${i}:\n    @staticmethod\n    def make():\n        return ${i} is 1\n\n\nasync def main():\n    async with aiohttp.ClientSession as session:\n        pass\n`;

function openMany(): MentorServer {
  server = new MentorServer({ language, knowledge, version: "test" });
  server.initialize({ processId: null, rootUri: null, capabilities: {} });
  for (let i = 0; i < FILES; i++) server.didOpen({ textDocument: { uri: uri(i), languageId: "python", version: 1, text: text(i) } });
  return server;
}

describe("documents nobody looks at hibernate", () => {
  it("keeps at most MAX_AWAKE_DOCUMENTS trees, and a hibernating file answers exactly as before", () => {
    const s = openMany();
    const first = Array.from({ length: FILES }, (_, i) => s.diagnostics(uri(i)));
    const parsesAfterOpen = s.stats().parses;
    expect(parsesAfterOpen).toBe(FILES);
    expect(s.stats().awake).toBeLessThanOrEqual(MAX_AWAKE_DOCUMENTS);

    // File 0 hibernated long ago: asking again parses it again, with the same answer.
    expect(s.diagnostics(uri(0))).toEqual(first[0]);
    expect(s.stats().parses).toBe(parsesAfterOpen + 1);
    // The most recent file did not: no new parse.
    expect(s.diagnostics(uri(FILES - 1))).toEqual(first[FILES - 1]);
    expect(s.stats().parses).toBe(parsesAfterOpen + 1);

    const hover = s.hover({ textDocument: { uri: uri(1) }, position: { line: 4, character: 6 } });
    expect((hover?.contents as MarkupContent).value).toContain("classmethod");
    const actions = s.codeActions({
      textDocument: { uri: uri(2) },
      range: { start: { line: 6, character: 17 }, end: { line: 6, character: 17 } },
      context: { diagnostics: [] },
    });
    expect(actions.map((action) => action.title)).toContain("Use ==");
    expect(s.stats().awake).toBeLessThanOrEqual(MAX_AWAKE_DOCUMENTS);
  });

  it("applies edits made while hibernating", () => {
    const s = openMany();
    for (let i = 0; i < FILES; i++) s.diagnostics(uri(i));
    s.didChange({
      textDocument: { uri: uri(0), version: 2 },
      contentChanges: [{ range: { start: { line: 6, character: 17 }, end: { line: 6, character: 19 } }, text: "==" }],
    });
    expect(s.diagnostics(uri(0))?.diagnostics.map((d) => d.code)).toEqual(["PYM004"]);
    expect(s.diagnostics(uri(0))?.version).toBe(2);
  });
});
