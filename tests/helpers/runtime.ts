import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Language, Parser } from "web-tree-sitter";
import { Analyzer, type Analysis, type RuleSelection } from "../../server/src/analysis/analyzer";
import { compileKnowledge, type SourceFile } from "../../server/src/knowledge/compile-knowledge";
import { KnowledgeBase } from "../../server/src/knowledge/knowledge-base";
import type { KnowledgeEntry } from "../../server/src/knowledge/entry";
import { parseText } from "../../server/src/parse/document-tree";
import { createParser } from "../../server/src/parse/python-parser";
import { ROOT } from "./language";
import { RULES } from "../../server/src/rules/registry";

export { ROOT, loadLanguage } from "./language";

export function knowledgeSources(): SourceFile[] {
  const dir = path.join(ROOT, "knowledge");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((locale) =>
      readdirSync(path.join(dir, locale.name))
        .filter((name) => name.endsWith(".md"))
        .map((name) => ({ path: `${locale.name}/${name}`, text: readFileSync(path.join(dir, locale.name, name), "utf8") })),
    );
}

export function loadEntries(): KnowledgeEntry[] {
  return compileKnowledge(knowledgeSources(), RULES.map((rule) => rule.code));
}

export function loadKnowledge(): KnowledgeBase {
  return new KnowledgeBase(loadEntries());
}

/** Parses and analyses source with every rule (or a selection), then frees the tree. */
export class TestAnalyzer {
  private readonly parser: Parser;
  private readonly analyzer: Analyzer;

  constructor(language: Language) {
    this.parser = createParser(language);
    this.analyzer = new Analyzer(language, RULES);
  }

  run<T>(source: string, use: (analysis: Analysis) => T, selection: RuleSelection = {}): T {
    const tree = parseText(this.parser, source);
    try {
      return use(this.analyzer.analyze(tree, source, selection));
    } finally {
      tree.delete();
    }
  }

  findings(source: string, selection: RuleSelection = {}) {
    return this.run(source, (analysis) => analysis.findings, selection);
  }
}
