import {
  CodeActionKind,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type DidChangeTextDocumentParams,
  type DidCloseTextDocumentParams,
  type DidOpenTextDocumentParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver";
import type { Language, Parser } from "web-tree-sitter";
import { Analyzer, type Logger } from "../analysis/analyzer";
import { codeActionsFor, FIX_ALL_KIND } from "../features/code-actions";
import { toDiagnostic } from "../features/diagnostics";
import { hoverAt } from "../features/hover";
import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { createParser } from "../parse/python-parser";
import { RULES } from "../rules/registry";
import { DocumentState } from "./document-state";

export interface MentorServerOptions {
  language: Language;
  knowledge: KnowledgeBase;
  version: string;
  log?: Logger;
}

export interface VersionedDiagnostics {
  uri: string;
  version: number;
  diagnostics: Diagnostic[];
}

/**
 * The language server's behaviour, apart from any connection: handlers take LSP params and
 * return LSP results, so tests call them in-process and `listen` wires them to a transport.
 */
export class MentorServer {
  private readonly parser: Parser;
  private readonly analyzer: Analyzer;
  private readonly documents = new Map<string, DocumentState>();
  private readonly log: Logger;
  private documentChanges = false;

  constructor(private readonly options: MentorServerOptions) {
    this.log = options.log ?? (() => {});
    this.parser = createParser(options.language);
    this.analyzer = new Analyzer(options.language, RULES, this.log);
  }

  initialize(params: InitializeParams): InitializeResult {
    this.documentChanges = params.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      },
      serverInfo: { name: "python-mentor", version: this.options.version },
    };
  }

  didOpen({ textDocument }: DidOpenTextDocumentParams): void {
    this.documents.get(textDocument.uri)?.dispose();
    this.documents.set(textDocument.uri, new DocumentState(this.parser, textDocument.uri, textDocument.version, textDocument.text));
  }

  didChange({ textDocument, contentChanges }: DidChangeTextDocumentParams): void {
    const state = this.documents.get(textDocument.uri);
    if (!state) {
      this.log(`change for a document that is not open: ${textDocument.uri}`);
      return;
    }
    state.applyChanges(contentChanges, textDocument.version);
  }

  didClose({ textDocument }: DidCloseTextDocumentParams): void {
    this.documents.get(textDocument.uri)?.dispose();
    this.documents.delete(textDocument.uri);
  }

  /** The diagnostics of a document's current version, or undefined when it is not open. */
  diagnostics(uri: string): VersionedDiagnostics | undefined {
    const state = this.documents.get(uri);
    if (!state) return undefined;
    const findings = state.analysis(this.analyzer).findings;
    return {
      uri,
      version: state.documentTree.version,
      diagnostics: findings.map((finding) => toDiagnostic(finding, this.options.knowledge)),
    };
  }

  hover({ textDocument, position }: HoverParams): Hover | null {
    const state = this.documents.get(textDocument.uri);
    if (!state) return null;
    // Clamp: clients may ask about positions past the end of a line or of the document.
    const document = state.documentTree.textDocument;
    const clamped = document.positionAt(document.offsetAt(position));
    return hoverAt(state.documentTree.tree, state.analysis(this.analyzer), this.options.knowledge, clamped);
  }

  codeActions(params: CodeActionParams): CodeAction[] {
    const state = this.documents.get(params.textDocument.uri);
    if (!state) return [];
    const findings = state.analysis(this.analyzer).findings;
    return codeActionsFor(params, state.documentTree.textDocument, state.documentTree.tree, findings, this.options.knowledge, {
      documentChanges: this.documentChanges,
    });
  }

  dispose(): void {
    for (const state of this.documents.values()) state.dispose();
    this.documents.clear();
    this.analyzer.dispose();
    this.parser.delete();
  }
}
