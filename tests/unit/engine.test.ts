import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "web-tree-sitter";
import { Analyzer } from "../../server/src/analysis/analyzer";
import type { Rule } from "../../server/src/rules/rule";
import { RULES } from "../../server/src/rules/registry";
import { parseText } from "../../server/src/parse/document-tree";
import { createParser } from "../../server/src/parse/python-parser";
import { ROOT, TestAnalyzer, loadLanguage } from "../helpers/runtime";

let language: Language;
let analyzer: TestAnalyzer;
beforeAll(async () => {
  language = await loadLanguage();
  analyzer = new TestAnalyzer(language);
});

describe("semantic model: qualified names", () => {
  it.each([
    ["import aiohttp\naiohttp.ClientSession", "aiohttp.ClientSession"],
    ["import aiohttp as ah\nah.ClientSession", "aiohttp.ClientSession"],
    ["from aiohttp import ClientSession\nClientSession", "aiohttp.ClientSession"],
    ["from aiohttp import ClientSession as CS\nCS", "aiohttp.ClientSession"],
    ["import concurrent.futures\nconcurrent.futures.ThreadPoolExecutor", "concurrent.futures.ThreadPoolExecutor"],
    ["from concurrent import futures\nfutures.ThreadPoolExecutor", "concurrent.futures.ThreadPoolExecutor"],
    ["staticmethod", "builtins.staticmethod"],
    ["def open(): pass\nopen", undefined],
    ["from . import sibling\nsibling", undefined],
    ["unknown_name", undefined],
  ])("%j resolves to %s", (source, expected) => {
    const parser = createParser(language);
    const tree = parseText(parser, source);
    try {
      const engine = new Analyzer(language, RULES);
      const { model } = engine.analyze(tree, source);
      const last = tree.rootNode.lastNamedChild?.namedChild(0);
      expect(last).toBeTruthy();
      expect(model.qualifiedName(last!)).toBe(expected);
      engine.dispose();
    } finally {
      tree.delete();
      parser.delete();
    }
  });
});

describe("analyzer", () => {
  it("isolates a rule that throws: logged once, the other rules still report", () => {
    const broken: Rule = {
      code: "PYM900",
      name: "always-throws",
      knowledge: "is-vs-eq",
      severity: "warning",
      nodeTypes: ["comparison_operator"],
      messages: {},
      check() {
        throw new Error("boom");
      },
    };
    const messages: string[] = [];
    const engine = new Analyzer(language, [broken, ...RULES], (message) => messages.push(message));
    const parser = createParser(language);
    const source = "if x is 1:\n    pass\n";
    const tree = parseText(parser, source);
    try {
      const first = engine.analyze(tree, source).findings.map((finding) => finding.code);
      const second = engine.analyze(tree, source).findings.map((finding) => finding.code);
      expect(first).toEqual(["PYM001"]);
      expect(second).toEqual(["PYM001"]);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain("PYM900");
      expect(messages[0]).toContain("boom");
    } finally {
      tree.delete();
      parser.delete();
      engine.dispose();
    }
  });

  it("selects and ignores rules by code or prefix", () => {
    const source = "if x is 1 or y == None:\n    pass\n";
    const codes = (selection: { select?: string[]; ignore?: string[] }) =>
      analyzer.findings(source, selection).map((finding) => finding.code);
    expect(codes({})).toEqual(["PYM001", "PYM002"]);
    expect(codes({ select: ["PYM002"] })).toEqual(["PYM002"]);
    expect(codes({ ignore: ["PYM001"] })).toEqual(["PYM002"]);
    expect(codes({ select: ["PYM"], ignore: ["PYM00"] })).toEqual([]);
  });

  it("stays quiet about a comparison that holds a syntax error but still reports the rest", () => {
    const source = "if x is 1:\n    pass\nif y is (2 +):\n    pass\nz = (\n";
    expect(analyzer.findings(source).map((finding) => finding.range.start.row)).toEqual([0]);
  });

  it("never throws on hostile input", () => {
    const inputs = ["", "\0\0\0", "(((((((((((", "def", "\uFEFFx is 1", "é".repeat(10_000), "x is 1\r\ny == None\r\n", "\ud800 is 1"];
    for (const input of inputs) expect(() => analyzer.findings(input)).not.toThrow();
  });
});

describe("engine portability", () => {
  // The engine must run in a web worker (VS Code for the Web): no Node built-ins in these folders.
  const engineFolders = ["parse", "analysis", "rules", "knowledge", "features", "lsp", "config", "i18n", "browser"];
  for (const folder of engineFolders) {
    it(`server/src/${folder} imports no Node module`, () => {
      const dir = path.join(ROOT, "server/src", folder);
      for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"))) {
        const source = readFileSync(path.join(dir, name), "utf8");
        const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]);
        for (const specifier of imports) {
          expect(specifier, `${folder}/${name}`).not.toMatch(/^(node:|fs$|path$|os$|child_process$|url$|vscode-languageserver\/node)/);
        }
      }
    });
  }
});

describe("rules use the semantic model", () => {
  // The issue that brought the model: each rule had its own picture of the code. Rules now ask
  // the model and import only from the analysis layer.
  const dir = path.join(ROOT, "server/src/rules");
  const files = readdirSync(dir).filter((name) => name.endsWith(".ts"));
  for (const name of files) {
    it(`rules/${name} imports no other rule and never reaches the whole tree`, () => {
      const source = readFileSync(path.join(dir, name), "utf8");
      const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]);
      const allowed = name === "registry.ts" ? /^\.\/[a-z-]+$/ : /^(\.\.\/analysis\/|\.\.\/i18n\/|\.\.\/parse\/positions$|\.\/rule$|web-tree-sitter$|\.\/[a-z-]+-fix$)/;
      for (const specifier of imports) expect(specifier, name).toMatch(allowed);
      expect(source, name).not.toMatch(/\brootNode\b|ctx\.tree\b|summarize\(/);
    });
  }
  it("rules/ holds only rules, their fixes, the registry and the Rule type", () => {
    const rules = new Set(RULES.map((rule) => `${rule.name}.ts`));
    for (const name of files) {
      const isFix = name.endsWith("-fix.ts") && rules.has(name.replace(/-fix\.ts$/, ".ts"));
      expect(rules.has(name) || isFix || name === "registry.ts" || name === "rule.ts", name).toBe(true);
    }
  });
});
