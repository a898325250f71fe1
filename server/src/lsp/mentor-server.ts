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
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
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
import { DEFAULT_LOCALE, matchLocale, type Locale } from "../i18n/locale";
import { renderEntryDocument } from "../knowledge/render-markdown";

/** What our own VS Code client tells the server at start (other clients send nothing). */
export interface MentorInitializationOptions {
  /** `auto` (the editor's language), `en`, `ko` or `zh-cn`. */
  language?: string;
  /** The client runs `pythonMentor.showEntry` from hover links, so hovers may link the full entry. */
  entryCommand?: boolean;
}

/** An entry as the client's Explain command lists it. */
export interface EntrySummary {
  id: string;
  title: string;
  summary: string;
  triggers: string[];
  rules: string[];
}

/** Custom requests, for clients that want the knowledge base itself. */
export const ENTRY_REQUEST = "pythonMentor/entry";
export const ENTRIES_REQUEST = "pythonMentor/entries";
/** Server-side command behind "Explain PYMxxx" for clients other than our VS Code extension. */
export const EXPLAIN_COMMAND = "pythonMentor.explain";

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
  private clientLocale: Locale = DEFAULT_LOCALE;
  private languageSetting = "auto";
  private entryCommand = false;
  private pullDiagnostics = false;
  private showDocument = false;
  private diagnosticRefresh = false;

  constructor(private readonly options: MentorServerOptions) {
    this.log = options.log ?? (() => {});
    this.parser = createParser(options.language);
    this.analyzer = new Analyzer(options.language, RULES, this.log);
  }

  initialize(params: InitializeParams): InitializeResult {
    this.documentChanges = params.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    this.clientLocale = matchLocale(params.locale) ?? DEFAULT_LOCALE;
    const options = (params.initializationOptions ?? {}) as MentorInitializationOptions;
    this.entryCommand = options.entryCommand === true;
    // LSP 3.17 pull diagnostics for clients that ask for them; the others get pushed diagnostics.
    this.pullDiagnostics = params.capabilities.textDocument?.diagnostic !== undefined;
    this.diagnosticRefresh = params.capabilities.workspace?.diagnostics?.refreshSupport === true;
    this.showDocument = params.capabilities.window?.showDocument?.support === true;
    if (typeof options.language === "string") this.setLanguage(options.language);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        ...(this.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        ...(this.explainCommand === EXPLAIN_COMMAND ? { executeCommandProvider: { commands: [EXPLAIN_COMMAND] } } : {}),
      },
      serverInfo: { name: "python-mentor", version: this.options.version },
    };
  }

  /** The language findings and hovers speak: the setting, or else the client's locale. */
  get locale(): Locale {
    return this.languageSetting === "auto" ? this.clientLocale : (matchLocale(this.languageSetting) ?? this.clientLocale);
  }

  /**
   * Applies `pythonMentor.language` (`auto`, `en`, `ko`, `zh-cn`). Returns whether the language
   * changed, so the caller re-publishes diagnostics; an unknown value is reported and ignored.
   */
  setLanguage(setting: string): boolean {
    const before = this.locale;
    if (setting === "auto" || matchLocale(setting)) this.languageSetting = setting;
    else this.log(`pythonMentor.language: "${setting}" is not one of auto, en, ko, zh-cn; keeping "${this.languageSetting}"`);
    return this.locale !== before;
  }

  /** Settings pushed by `workspace/didChangeConfiguration` (`{ pythonMentor: { language } }`). */
  didChangeConfiguration(settings: unknown): boolean {
    const section = (settings as { pythonMentor?: { language?: unknown } } | null)?.pythonMentor;
    return typeof section?.language === "string" ? this.setLanguage(section.language) : false;
  }

  openUris(): string[] {
    return [...this.documents.keys()];
  }

  /** One entry as a Markdown document, in the current language; null for an unknown id. */
  entry({ id }: { id: string }): { id: string; title: string; markdown: string } | null {
    const entry = this.options.knowledge.get(id, this.locale);
    return entry ? { id: entry.id, title: entry.title, markdown: renderEntryDocument(entry) } : null;
  }

  entries(): EntrySummary[] {
    const knowledge = this.options.knowledge;
    return knowledge.ids().flatMap((id) => {
      const entry = knowledge.get(id, this.locale);
      return entry ? [{ id, title: entry.title, summary: entry.summary, triggers: entry.triggers, rules: entry.rules }] : [];
    });
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
    const findings = state.analysis(this.analyzer, this.locale).findings;
    return {
      uri,
      version: state.documentTree.version,
      diagnostics: findings.map((finding) => toDiagnostic(finding, this.options.knowledge)),
    };
  }

  /**
   * What "Explain PYMxxx" runs: our VS Code client's own command (a Markdown preview), or for
   * other clients that can open documents, a server command that opens the documentation.
   */
  get explainCommand(): string | undefined {
    if (this.entryCommand) return "pythonMentor.showEntry";
    return this.showDocument ? EXPLAIN_COMMAND : undefined;
  }

  /** The documentation page `pythonMentor.explain` opens for an entry id. */
  explainTarget(id: unknown): string | undefined {
    return typeof id === "string" ? this.options.knowledge.get(id, this.locale)?.links[0] : undefined;
  }

  /** Whether the client pulls diagnostics (`textDocument/diagnostic`) instead of receiving pushes. */
  get usesPullDiagnostics(): boolean {
    return this.pullDiagnostics;
  }

  /** Whether the client can be asked to pull again (after a language change). */
  get canRefreshDiagnostics(): boolean {
    return this.diagnosticRefresh;
  }

  /**
   * A pull-diagnostics report. The result id names the version and language it was made for, so a
   * client asking again about the same text gets "unchanged" without a new list.
   */
  documentDiagnostic({ textDocument, previousResultId }: DocumentDiagnosticParams): DocumentDiagnosticReport {
    const result = this.diagnostics(textDocument.uri);
    if (!result) return { kind: "full", items: [] };
    const resultId = `${result.version}:${this.locale}`;
    if (previousResultId === resultId) return { kind: "unchanged", resultId };
    return { kind: "full", resultId, items: result.diagnostics };
  }

  hover({ textDocument, position }: HoverParams): Hover | null {
    const state = this.documents.get(textDocument.uri);
    if (!state) return null;
    // Clamp: clients may ask about positions past the end of a line or of the document.
    const document = state.documentTree.textDocument;
    const clamped = document.positionAt(document.offsetAt(position));
    return hoverAt(state.documentTree.tree, state.analysis(this.analyzer, this.locale), this.options.knowledge, clamped, {
      locale: this.locale,
      entryLink: this.entryCommand ? entryCommandUri : undefined,
    });
  }

  codeActions(params: CodeActionParams): CodeAction[] {
    const state = this.documents.get(params.textDocument.uri);
    if (!state) return [];
    const findings = state.analysis(this.analyzer, this.locale).findings;
    return codeActionsFor(params, state.documentTree.textDocument, state.documentTree.tree, findings, this.options.knowledge, {
      documentChanges: this.documentChanges,
      locale: this.locale,
      explainCommand: this.explainCommand,
    });
  }

  dispose(): void {
    for (const state of this.documents.values()) state.dispose();
    this.documents.clear();
    this.analyzer.dispose();
    this.parser.delete();
  }
}

/** A command URI our VS Code client trusts: it opens the entry in a Markdown preview. */
function entryCommandUri(id: string): string {
  return `command:pythonMentor.showEntry?${encodeURIComponent(JSON.stringify([id]))}`;
}
