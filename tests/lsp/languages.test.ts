import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { InitializeParams, MarkupContent } from "vscode-languageserver";
import type { Language } from "web-tree-sitter";
import { MentorServer } from "../../server/src/lsp/mentor-server";
import type { KnowledgeBase } from "../../server/src/knowledge/knowledge-base";
import { loadKnowledge, loadLanguage } from "../helpers/runtime";
import { positionOf } from "../helpers/lsp-text";

let language: Language;
let knowledge: KnowledgeBase;
let server: MentorServer;
beforeAll(async () => {
  language = await loadLanguage();
  knowledge = loadKnowledge();
});
afterEach(() => server?.dispose());

const URI = "file:///work/lang.py";
const TEXT = "class P:\n    @staticmethod\n    def make():\n        return P()\n\nx = int('1')\nif x is 1:\n    pass\n";
const HANGUL = /[\uac00-\ud7a3]/;
const HAN = /[\u4e00-\u9fff]/;

function start(params: Partial<InitializeParams>): MentorServer {
  server = new MentorServer({ language, knowledge, version: "test" });
  server.initialize({ processId: null, rootUri: null, capabilities: {}, ...params });
  server.didOpen({ textDocument: { uri: URI, languageId: "python", version: 1, text: TEXT } });
  return server;
}

function hoverText(at: string, delta = 1): string {
  const hover = server.hover({ textDocument: { uri: URI }, position: positionOf(TEXT, at, delta) });
  expect(hover).not.toBeNull();
  return (hover!.contents as MarkupContent).value;
}

function messages(): string[] {
  return server.diagnostics(URI)!.diagnostics.map((diagnostic) => String(diagnostic.message));
}

function actionTitles(): string[] {
  const at = positionOf(TEXT, "x is 1", 2);
  return server
    .codeActions({ textDocument: { uri: URI }, range: { start: at, end: at }, context: { diagnostics: [] } })
    .map((action) => action.title)
    .slice(0, 2);
}

describe("the server speaks the user's language", () => {
  it("English by default: messages, hovers, action titles", () => {
    start({});
    expect(messages().join(" ")).not.toMatch(HANGUL);
    expect(hoverText("staticmethod")).toContain(knowledge.get("staticmethod-vs-classmethod", "en")!.title);
    expect(actionTitles()).toEqual(["Use ==", "Disable PYM001 for this line"]);
  });

  it("Korean from the initialize request's locale", () => {
    start({ locale: "ko-KR" });
    for (const message of messages()) expect(message).toMatch(HANGUL);
    const hover = hoverText("staticmethod");
    expect(hover).toContain(knowledge.get("staticmethod-vs-classmethod", "ko")!.title);
    expect(hover).toMatch(HANGUL);
    expect(hoverText("is 1")).toMatch(HANGUL);
    expect(actionTitles()).toEqual(["== 사용", "이 줄에서 PYM001 끄기"]);
  });

  it("Simplified Chinese from the pythonMentor.language setting, over the client's locale", () => {
    start({ locale: "en-US", initializationOptions: { language: "zh-cn" } });
    for (const message of messages()) expect(message).toMatch(HAN);
    expect(hoverText("staticmethod")).toContain(knowledge.get("staticmethod-vs-classmethod", "zh-cn")!.title);
    expect(actionTitles()).toEqual(["改用 ==", "在此行禁用 PYM001"]);
  });

  it("switches language when the setting changes, and ignores an unknown value", () => {
    start({ locale: "en" });
    expect(server.didChangeConfiguration({ pythonMentor: { language: "ko" } })).toBe(true);
    for (const message of messages()) expect(message).toMatch(HANGUL);
    expect(server.didChangeConfiguration({ pythonMentor: { language: "klingon" } })).toBe(false);
    expect(server.locale).toBe("ko");
    expect(server.didChangeConfiguration({ pythonMentor: { language: "auto" } })).toBe(true);
    expect(messages().join(" ")).not.toMatch(HANGUL);
  });

  it("Traditional Chinese and unknown locales fall back to English", () => {
    start({ locale: "zh-TW" });
    expect(messages().join(" ")).not.toMatch(HAN);
  });
});

describe("entries for the client", () => {
  it("hovers link the full entry only for clients that run the show-entry command", () => {
    start({});
    expect(hoverText("staticmethod")).not.toContain("command:");
    start({ initializationOptions: { entryCommand: true } });
    expect(hoverText("staticmethod")).toContain(
      `command:pythonMentor.showEntry?${encodeURIComponent(JSON.stringify(["staticmethod-vs-classmethod"]))}`,
    );
  });

  it("answers entry and entries requests in the current language", () => {
    start({ locale: "ko" });
    const entry = server.entry({ id: "staticmethod-vs-classmethod" });
    expect(entry?.markdown).toMatch(HANGUL);
    expect(entry?.markdown).toContain("## 예제");
    expect(server.entry({ id: "no-such-entry" })).toBeNull();
    const list = server.entries();
    expect(list.length).toBe(knowledge.ids().length);
    expect(list.find((item) => item.id === "is-vs-eq")?.triggers).toContain("keyword:is");
  });
});
