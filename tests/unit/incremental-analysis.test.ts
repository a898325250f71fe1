import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Language, Parser } from "web-tree-sitter";
import { AnalysisCache, Analyzer } from "../../server/src/analysis/analyzer";
import type { Finding } from "../../server/src/analysis/finding";
import { parseText } from "../../server/src/parse/document-tree";
import { createParser } from "../../server/src/parse/python-parser";
import { RULES } from "../../server/src/rules/registry";
import { Scope } from "../../server/src/analysis/model/scope";
import { buildScopes } from "../../server/src/analysis/model/scope-builder";
import { ROOT, loadLanguage } from "../helpers/runtime";

/**
 * Incremental analysis (per unit, reusing what unchanged units found) must give exactly the
 * findings of a whole-file analysis: on a fresh cache, and after edits that reuse the cache.
 */
let language: Language;
let parser: Parser;
let analyzer: Analyzer;
beforeAll(async () => {
  language = await loadLanguage();
  parser = createParser(language);
  analyzer = new Analyzer(language, RULES);
});

function full(text: string): Finding[] {
  const tree = parseText(parser, text);
  try {
    return analyzer.analyze(tree, text).findings;
  } finally {
    tree.delete();
  }
}

function incremental(text: string, cache: AnalysisCache): Finding[] {
  const tree = parseText(parser, text);
  try {
    return analyzer.analyzeIncremental(tree, text, {}, cache).findings;
  } finally {
    tree.delete();
  }
}

const sources = [
  ...readdirSync(path.join(ROOT, "tests/fixtures/rules")).map((name) => path.join(ROOT, "tests/fixtures/rules", name)),
  ...readdirSync(path.join(ROOT, "examples")).filter((name) => name.endsWith(".py")).map((name) => path.join(ROOT, "examples", name)),
].map((file) => ({ name: path.basename(file), text: readFileSync(file, "utf8") }));

/** A small deterministic PRNG, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 0x100000000;
  };
}

const SNIPPETS = ["x", " ", "\n", "(", ")", ":", "    ", "async ", "await ", "def g():\n    return 1\n", "import asyncio\n", "[]", " is 1", "pass\n", "#", "'", "self.", "yield"];

describe("incremental analysis equals whole-file analysis", () => {
  for (const { name, text } of sources) {
    it(`${name}: on a fresh cache`, () => {
      expect(incremental(text, new AnalysisCache())).toEqual(full(text));
    });
  }

  it("after hundreds of random edits to the fixtures, reusing one cache per file", { timeout: 180_000 }, () => {
    const seed = 20261123;
    const next = random(seed);
    for (const { name, text: original } of sources) {
      const cache = new AnalysisCache();
      let text = original;
      incremental(text, cache);
      for (let step = 0; step < 15; step++) {
        const at = Math.floor(next() * (text.length + 1));
        const removed = next() < 0.5 ? Math.floor(next() * 6) : 0;
        const inserted = next() < 0.8 ? SNIPPETS[Math.floor(next() * SNIPPETS.length)] : "";
        text = text.slice(0, at) + inserted + text.slice(at + removed);
        expect(incremental(text, cache), `${name}, seed ${seed}, step ${step}`).toEqual(full(text));
      }
    }
  });
});

describe("incremental analysis follows what a unit reads from other units' bodies", () => {
  const sequences: { name: string; steps: string[] }[] = [
    {
      // PYM017 stays quiet for a class handed around as a value, or reached as `Owner.attr`,
      // anywhere in the file: even inside another function's body.
      name: "a class used as a value in another function (PYM017)",
      steps: [
        "class Registry:\n    handlers = []\n\n    def add(self, handler):\n        self.handlers.append(handler)\n\n\ndef make():\n    return 1\n",
        "class Registry:\n    handlers = []\n\n    def add(self, handler):\n        self.handlers.append(handler)\n\n\ndef make():\n    return Registry\n",
        "class Registry:\n    handlers = []\n\n    def add(self, handler):\n        self.handlers.append(handler)\n\n\ndef make():\n    return Registry.handlers\n",
        "class Registry:\n    handlers = []\n\n    def add(self, handler):\n        self.handlers.append(handler)\n\n\ndef make():\n    return 2\n",
      ],
    },
    {
      // PYM009 counts `self.log = open(...)` as closed when another method of the class closes it.
      name: "an attribute's file closed in another method (PYM009)",
      steps: [
        "class Job:\n    def __init__(self, path):\n        self.log = open(path)\n\n    def finish(self):\n        pass\n",
        "class Job:\n    def __init__(self, path):\n        self.log = open(path)\n\n    def finish(self):\n        self.log.close()\n",
        "class Job:\n    def __init__(self, path):\n        self.log = open(path)\n\n    def finish(self):\n        self.log.flush()\n",
      ],
    },
  ];
  for (const { name, steps } of sequences) {
    it(name, () => {
      const cache = new AnalysisCache();
      for (const [i, text] of steps.entries()) expect(incremental(text, cache), `step ${i}`).toEqual(full(text));
      // The sequence must matter: the first and last steps are flagged, some step between is not.
      expect(full(steps[0]).length).toBeGreaterThan(0);
      expect(steps.some((text) => full(text).length === 0)).toBe(true);
    });
  }
});

describe("module bindings folded from the units' facts", () => {
  it("equal a walk of the whole module, nodes included, on every fixture", () => {
    for (const { name, text } of sources) {
      const tree = parseText(parser, text);
      try {
        const { model } = analyzer.analyzeIncremental(tree, text, {}, new AnalysisCache());
        const walked = new Scope("module", tree.rootNode, undefined);
        buildScopes(tree.rootNode.namedChildren.filter((node) => node !== null), walked, { bindInStart: true, scopes: new Map(), shallow: true });
        const describe = (scope: Scope) =>
          scope
            .names()
            .sort()
            .map((bound) => [bound, scope.bindingsOf(bound).map((binding) => [binding.kind, binding.qualified, binding.site.id])]);
        expect(walked.names().length, name).toBeGreaterThan(0);
        expect(describe(model.module), name).toEqual(describe(walked));
      } finally {
        tree.delete();
      }
    }
  });
});
