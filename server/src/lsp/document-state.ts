import type { Parser, Tree } from "web-tree-sitter";
import type { TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { AnalysisCache, type Analysis, type Analyzer } from "../analysis/analyzer";
import { DocumentTree } from "../parse/document-tree";
import type { Locale } from "../i18n/locale";
import { utf8LengthOver } from "./size-limit";

/** Work done by a server's documents, for tests and the `pythonMentor/stats` request. */
export interface WorkCounters {
  /** tree-sitter parses (incremental or not): a burst of edits costs one. */
  parses: number;
  /** Analyses by the rules: at most one per document version and language. */
  analyses: number;
}

/**
 * A file whose root is an ERROR node with more children than this is not analysed. tree-sitter
 * gives up on such a file as a whole (100,000 unclosed parentheses, a long run of text that is
 * not Python) and lists its tokens flat under the root, where its query engine takes time
 * quadratic in their number: 20,000 cost 2 s, 100,000 nearly two minutes. Nothing in such a
 * tree is a statement a rule could judge anyway.
 */
export const MAX_ROOT_ERROR_CHILDREN = 10_000;

/** One open document: its incrementally parsed tree and the analysis of its current version. */
export class DocumentState {
  private readonly tree: DocumentTree;
  private cached: { version: number; locale: Locale; analysis: Analysis | undefined } | undefined;
  /** What the engine reuses across versions: unchanged units' findings, facts and queries. */
  private reuse = new AnalysisCache();
  private size: { version: number; limit: number; over: boolean } | undefined;

  constructor(
    parser: Parser,
    uri: string,
    version: number,
    text: string,
    private readonly counters: WorkCounters = { parses: 0, analyses: 0 },
  ) {
    this.tree = new DocumentTree(parser, uri, version, text);
  }

  get documentTree(): DocumentTree {
    return this.tree;
  }

  get version(): number {
    return this.tree.version;
  }

  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    this.tree.applyChanges(changes, version);
    this.cached = undefined;
  }

  /** Whether the current text takes more than `limit` bytes in UTF-8 (as the file does on disk). */
  isOver(limit: number): boolean {
    if (this.size?.version !== this.tree.version || this.size.limit !== limit) {
      this.size = { version: this.tree.version, limit, over: utf8LengthOver(this.tree.text, limit) };
    }
    return this.size.over;
  }

  /** Frees the tree of a document that will not be analysed for now; the next analysis parses it from scratch. */
  release(): void {
    this.cached = undefined;
    this.tree.release();
  }

  /**
   * Frees everything the document can make again from its text: the tree (WebAssembly memory),
   * the analysis (whose nodes belong to the tree) and the engine's cache. For open documents nobody
   * looks at: the next request about it parses and analyses it afresh.
   */
  hibernate(): void {
    this.release();
    this.reuse = new AnalysisCache();
  }

  /** Whether the document holds a tree now (it is not hibernating, nor over the size limit). */
  get holdsTree(): boolean {
    return this.tree.holdsTree;
  }

  /** The tree of the current text, parsed now if it changed (and counted). */
  parsedTree(): Tree {
    const before = this.tree.parseCount;
    const tree = this.tree.tree;
    this.counters.parses += this.tree.parseCount - before;
    return tree;
  }

  /**
   * The analysis of the current version, made at most once per version (and language): hovers,
   * code actions and diagnostics share it. Undefined when the file cannot be analysed: a tree no
   * rule can use (see MAX_ROOT_ERROR_CHILDREN), or an analysis that threw (a stack overflow on
   * nesting deeper than any real program, a bug in a rule's helper); `onFailure` hears why, once
   * per version, and the answer for that version stays undefined instead of failing again.
   */
  analysis(analyzer: Analyzer, locale: Locale, onFailure: (reason: string) => void = () => {}): Analysis | undefined {
    if (this.cached?.version === this.tree.version && this.cached.locale === locale) return this.cached.analysis;
    let analysis: Analysis | undefined;
    try {
      const tree = this.parsedTree();
      const root = tree.rootNode;
      if (root.type === "ERROR" && root.childCount > MAX_ROOT_ERROR_CHILDREN) {
        onFailure(`tree-sitter found no Python structure in it (${root.childCount} tokens under one error node)`);
      } else {
        this.counters.analyses++;
        analysis = analyzer.analyzeIncremental(tree, this.tree.text, { locale }, this.reuse);
      }
    } catch (error) {
      // The engine's cache may be half updated: start it afresh.
      this.reuse = new AnalysisCache();
      onFailure(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    this.cached = { version: this.tree.version, locale, analysis };
    return analysis;
  }

  dispose(): void {
    this.cached = undefined;
    this.tree.dispose();
  }
}
