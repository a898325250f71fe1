import type { Parser } from "web-tree-sitter";
import type { TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { ChunkCache, type Analysis, type Analyzer } from "../analysis/analyzer";
import { DocumentTree } from "../parse/document-tree";
import type { Locale } from "../i18n/locale";

/** One open document: its incrementally parsed tree and the analysis of its current version. */
export class DocumentState {
  private readonly tree: DocumentTree;
  private cached: { version: number; locale: Locale; analysis: Analysis } | undefined;
  /** Findings of unchanged top-level chunks, reused across versions. */
  private readonly chunks = new ChunkCache();

  constructor(parser: Parser, uri: string, version: number, text: string) {
    this.tree = new DocumentTree(parser, uri, version, text);
  }

  get documentTree(): DocumentTree {
    return this.tree;
  }

  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    this.tree.applyChanges(changes, version);
    this.cached = undefined;
  }

  /** Analysed at most once per version (and language); hovers, code actions and diagnostics share it. */
  analysis(analyzer: Analyzer, locale: Locale): Analysis {
    if (this.cached?.version !== this.tree.version || this.cached.locale !== locale) {
      this.cached = { version: this.tree.version, locale, analysis: analyzer.analyzeIncremental(this.tree.tree, this.tree.text, { locale }, this.chunks) };
    }
    return this.cached.analysis;
  }

  dispose(): void {
    this.cached = undefined;
    this.tree.dispose();
  }
}
