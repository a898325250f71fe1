import {
  CodeActionKind,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type CompletionList,
  type CompletionParams,
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
import { Analyzer, type Analysis, type Logger } from "../analysis/analyzer";
import { codeActionsFor, FIX_ALL_KIND } from "../features/code-actions";
import { snippetCompletions, type CompletionOptions } from "../features/completion";
import { toDiagnostic } from "../features/diagnostics";
import { hoverAt } from "../features/hover";
import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { createParser } from "../parse/python-parser";
import { RULES } from "../rules/registry";
import { DocumentState, type WorkCounters } from "./document-state";
import { didChangeProblem, didOpenProblem, textDocumentProblem } from "./params";
import { DEFAULT_MAX_FILE_SIZE, maxFileSizeSetting, skipMessage, utf8Length } from "./size-limit";
import { DEFAULT_LOCALE, matchLocale, type Locale } from "../i18n/locale";
import { renderEntryDocument } from "../knowledge/render-markdown";
import { DEFAULT_EDITOR_SETTINGS, updateEditorSettings, type EditorSettings } from "../config/editor-settings";
import { PyprojectFinder, PYPROJECT, type ReadFile } from "../config/nearest-pyproject";
import { fileUriToPath } from "../config/paths";
import { formatProblem } from "../config/pyproject";
import { applySettings, effectiveSettings, type EffectiveSettings } from "../config/settings";

/**
 * How many open documents keep their trees and analyses in memory at once, and how much text
 * they may hold together (the most recently used one is always kept). A 1,000-line file's tree
 * and analysis take about 1.5 MB; a user works in a few files at a time.
 */
export const MAX_AWAKE_DOCUMENTS = 12;
export const MAX_AWAKE_CHARS = 6_000_000;

/** What our own VS Code client tells the server at start (other clients send nothing). */
export interface MentorInitializationOptions {
  /** `auto` (the editor's language), `en`, `ko` or `zh-cn`. */
  language?: string;
  /** The client runs `pythonMentor.showEntry` from hover links, so hovers may link the full entry. */
  entryCommand?: boolean;
  /** False when the client reads snippets/python.json itself (our VS Code extension): no snippet completions. */
  snippets?: boolean;
  /** Documents larger than this many bytes (UTF-8) are not analysed; 5 MiB when absent. */
  maxFileSize?: number;
  /** `pythonMentor.select`, `ignore`, `severity`, and `hover`/`diagnostics` as `{ enable }` (see config/editor-settings.ts). */
  select?: string[];
  ignore?: string[];
  severity?: Record<string, string>;
  hover?: { enable?: boolean };
  diagnostics?: { enable?: boolean };
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
/** How much work the server did (parses, analyses): for tests and troubleshooting, not for clients. */
export const STATS_REQUEST = "pythonMentor/stats";

export interface MentorStats extends WorkCounters {
  /** Open documents. */
  documents: number;
  /** Open documents holding a tree and an analysis now (the others hibernate). */
  awake: number;
}
/** Server-side command behind "Explain PYMxxx" for clients other than our VS Code extension. */
export const EXPLAIN_COMMAND = "pythonMentor.explain";

export interface MentorServerOptions {
  language: Language;
  knowledge: KnowledgeBase;
  version: string;
  log?: Logger;
  /**
   * Reads a file from disk (undefined when there is none), for the pyproject.toml of `file:`
   * documents. Without it (the browser build) only the editor's settings apply.
   */
  readFile?: ReadFile;
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
  /** Documents holding a tree, least recently used first (see `keepAwake`). */
  private readonly awake = new Set<string>();
  private readonly log: Logger;
  private documentChanges = false;
  private clientLocale: Locale = DEFAULT_LOCALE;
  private languageSetting = "auto";
  private entryCommand = false;
  private pullDiagnostics = false;
  private showDocument = false;
  private diagnosticRefresh = false;
  /** Snippet completions, and how the client takes them; undefined when the client has the snippets already. */
  private completionOptions: CompletionOptions | undefined;
  private maxFileSize = DEFAULT_MAX_FILE_SIZE;
  private readonly counters: WorkCounters = { parses: 0, analyses: 0 };
  /** Open documents the user was told are too large, and those whose failure to analyse was logged: once per open. */
  private readonly toldTooLarge = new Set<string>();
  private readonly loggedFailure = new Set<string>();
  private warn: (message: string) => void = () => {};
  private editorSettings: EditorSettings = DEFAULT_EDITOR_SETTINGS;
  private readonly pyprojects: PyprojectFinder | undefined;
  /** Configuration problems the user was told about, by their text: once each, not on every keystroke. */
  private readonly toldProblems = new Set<string>();
  /** Bumped whenever settings or a pyproject.toml change: pull results made before are stale. */
  private settingsGeneration = 0;
  private watchRegistration = false;

  constructor(private readonly options: MentorServerOptions) {
    this.log = options.log ?? (() => {});
    this.pyprojects = options.readFile ? new PyprojectFinder(options.readFile) : undefined;
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
    if (options.maxFileSize !== undefined) this.setMaxFileSize(options.maxFileSize);
    this.applyEditorSettings(options);
    this.watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const completionItem = params.capabilities.textDocument?.completion?.completionItem;
    this.completionOptions =
      options.snippets === false
        ? undefined
        : {
            snippetSupport: completionItem?.snippetSupport === true,
            markdown: completionItem?.documentationFormat?.includes("markdown") === true,
          };
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        ...(this.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        ...(this.explainCommand === EXPLAIN_COMMAND ? { executeCommandProvider: { commands: [EXPLAIN_COMMAND] } } : {}),
        // `-` re-asks after `pym-`, which many clients do not count as part of a word.
        ...(this.completionOptions ? { completionProvider: { triggerCharacters: ["-"] } } : {}),
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
    const settingBefore = this.languageSetting;
    if (setting === "auto" || matchLocale(setting)) this.languageSetting = setting;
    else this.tell(`pythonMentor.language: "${setting}" is not one of auto, en, ko, zh-cn; keeping "${this.languageSetting}"`);
    // From "ko" to "auto" may leave the client's language as it was and still change files whose pyproject.toml names one.
    return this.locale !== before || (this.pyprojects !== undefined && this.languageSetting !== settingBefore);
  }

  /**
   * Applies `pythonMentor.maxFileSize` (bytes). Returns whether it changed, so the caller
   * re-publishes diagnostics: files may have crossed the limit either way.
   */
  setMaxFileSize(setting: unknown): boolean {
    const limit = maxFileSizeSetting(setting);
    if (limit === undefined) {
      // Logged only: tests/robustness/hostile.test.ts pins that nonsense here warns nobody.
      this.log(`pythonMentor.maxFileSize: ${JSON.stringify(setting)} is not a positive number of bytes; keeping ${this.maxFileSize}`);
      return false;
    }
    if (limit === this.maxFileSize) return false;
    this.maxFileSize = limit;
    for (const [uri, state] of this.documents) this.checkSize(uri, state);
    return true;
  }

  /**
   * Settings pushed by `workspace/didChangeConfiguration` (`{ pythonMentor: { language,
   * maxFileSize, select, ignore, severity, hover: { enable }, diagnostics: { enable } } }`).
   * Returns whether anything changed, so the caller re-publishes diagnostics.
   */
  didChangeConfiguration(settings: unknown): boolean {
    const section = (settings as { pythonMentor?: { language?: unknown; maxFileSize?: unknown } } | null)?.pythonMentor;
    const language = typeof section?.language === "string" ? this.setLanguage(section.language) : false;
    const size = section?.maxFileSize !== undefined && section.maxFileSize !== null ? this.setMaxFileSize(section.maxFileSize) : false;
    const rules = this.applyEditorSettings(section);
    if (language || size || rules) this.settingsGeneration++;
    return language || size || rules;
  }

  /** Applies the rule and feature settings; bad values are told and keep the previous ones. */
  private applyEditorSettings(section: unknown): boolean {
    const update = updateEditorSettings(section, this.editorSettings);
    for (const problem of update.problems) this.tell(problem);
    this.editorSettings = update.settings;
    return update.changed;
  }

  /** A problem the user should read: logged, and shown as a warning. */
  private tell(message: string): void {
    this.log(message);
    this.warn(message);
  }

  /** Whether to ask the client to watch pyproject.toml files (it can register watchers, and the server reads files). */
  get wantsPyprojectWatcher(): boolean {
    return this.watchRegistration && this.pyprojects !== undefined;
  }

  /**
   * `workspace/didChangeWatchedFiles`: a pyproject.toml created, changed or deleted makes every
   * folder's configuration stale. Returns whether one did, so the caller re-publishes.
   */
  didChangeWatchedFiles(params: unknown): boolean {
    const changes = (params as { changes?: unknown } | null)?.changes;
    if (!this.pyprojects || !Array.isArray(changes)) return false;
    const touched = changes.some((change: { uri?: unknown } | null) => typeof change?.uri === "string" && change.uri.endsWith(`/${PYPROJECT}`));
    if (!touched) return false;
    this.pyprojects.clear();
    this.settingsGeneration++;
    return true;
  }

  /**
   * The settings in force for a document: defaults <- its pyproject.toml's [tool.python-mentor]
   * (for `file:` documents, when the server can read files) <- the editor's settings. Problems
   * in the pyproject.toml are told once each, and the defaults apply meanwhile.
   */
  settingsFor(uri: string): EffectiveSettings {
    const path = fileUriToPath(uri);
    const project = path !== undefined ? this.pyprojects?.forFile(path) : undefined;
    for (const problem of project?.problems ?? []) {
      const text = `Python Mentor: ${formatProblem(problem)} (the defaults apply to the files under it until it is fixed)`;
      if (this.toldProblems.has(text)) continue;
      this.toldProblems.add(text);
      this.tell(text);
    }
    const { select, ignore, severity } = this.editorSettings;
    return effectiveSettings(path, project, { select, ignore, severity, language: this.languageSetting });
  }

  /** The language of a document's findings and hovers: the editor's setting, its pyproject.toml's, or the client's. */
  localeFor(uri: string, settings: EffectiveSettings = this.settingsFor(uri)): Locale {
    return settings.language ?? this.clientLocale;
  }

  /** Where the server sends what the user should read (`listen` shows it as a warning). */
  onWarning(listener: (message: string) => void): void {
    this.warn = listener;
  }

  /** How much work was done since the start (tests assert that bursts of edits share one analysis). */
  stats(): MentorStats {
    return { documents: this.documents.size, awake: this.awake.size, ...this.counters };
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

  /** Opens (or, opened twice, replaces) a document; returns whether it did. Malformed params are logged and ignored. */
  didOpen(params: DidOpenTextDocumentParams): boolean {
    const problem = didOpenProblem(params);
    if (problem) {
      this.log(`didOpen ignored: ${problem}`);
      return false;
    }
    const { uri, version, text } = params.textDocument;
    this.forget(uri);
    const state = new DocumentState(this.parser, uri, version, text, this.counters);
    this.documents.set(uri, state);
    this.checkSize(uri, state);
    return true;
  }

  /**
   * Applies a change; returns whether it did. A change to a document that is not open, malformed
   * params, and a change older than the document (its version below the current one: applying
   * it would corrupt the text) are logged and ignored.
   */
  didChange(params: DidChangeTextDocumentParams): boolean {
    const problem = didChangeProblem(params);
    if (problem) {
      this.log(`didChange ignored: ${problem}`);
      return false;
    }
    const { textDocument, contentChanges } = params;
    const state = this.documents.get(textDocument.uri);
    if (!state) {
      this.log(`change for a document that is not open: ${textDocument.uri}`);
      return false;
    }
    if (textDocument.version < state.version) {
      this.log(`stale change ignored: ${textDocument.uri} is at version ${state.version}, the change is for version ${textDocument.version}`);
      return false;
    }
    state.applyChanges(contentChanges, textDocument.version);
    this.checkSize(textDocument.uri, state);
    return true;
  }

  /** Closes a document; returns false (and logs) when the params name none. */
  didClose(params: DidCloseTextDocumentParams): boolean {
    const problem = textDocumentProblem(params);
    if (problem) {
      this.log(`didClose ignored: ${problem}`);
      return false;
    }
    this.forget(params.textDocument.uri);
    return true;
  }

  private forget(uri: string): void {
    this.documents.get(uri)?.dispose();
    this.documents.delete(uri);
    this.awake.delete(uri);
    this.toldTooLarge.delete(uri);
    this.loggedFailure.delete(uri);
  }

  /**
   * Whether a document is over the size limit. A document over it has its tree freed, and the user
   * is told once per open; one that comes back under it is analysed again on the next request.
   */
  private checkSize(uri: string, state: DocumentState): boolean {
    if (!state.isOver(this.maxFileSize)) return false;
    state.release();
    if (!this.toldTooLarge.has(uri)) {
      this.toldTooLarge.add(uri);
      const message = skipMessage(uri, utf8Length(state.documentTree.text), this.maxFileSize, this.locale);
      this.log(message);
      this.warn(message);
    }
    return true;
  }

  /** The analysis of an open document; undefined when it is too large or cannot be analysed (logged once per open). */
  private analysisOf(uri: string, state: DocumentState): (Analysis & { locale: Locale }) | undefined {
    if (this.checkSize(uri, state)) return undefined;
    const settings = this.settingsFor(uri);
    const locale = this.localeFor(uri, settings);
    // Every rule runs (the engine's cache stays warm across setting changes); the settings choose what is shown.
    const analysis = state.analysis(this.analyzer, locale, (reason) => {
      if (this.loggedFailure.has(uri)) return;
      this.loggedFailure.add(uri);
      this.log(`${uri} (version ${state.version}) was not analysed: ${reason}`);
    });
    this.keepAwake(uri, state);
    if (!analysis) return undefined;
    // Like Ruff's server, files the project excludes get no findings; hovers still explain them.
    const shown = this.editorSettings.diagnosticsEnable && !settings.excluded;
    return { ...analysis, findings: shown ? applySettings(analysis.findings, settings) : [], locale };
  }

  /** The diagnostics of a document's current version (none when it is too large), or undefined when it is not open. */
  diagnostics(uri: string): VersionedDiagnostics | undefined {
    const state = this.documents.get(uri);
    if (!state) return undefined;
    const findings = this.analysisOf(uri, state)?.findings ?? [];
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
    const resultId = `${result.version}:${this.settingsGeneration}`;
    if (previousResultId === resultId) return { kind: "unchanged", resultId };
    return { kind: "full", resultId, items: result.diagnostics };
  }

  hover({ textDocument, position }: HoverParams): Hover | null {
    const state = this.documents.get(textDocument.uri);
    if (!state || !this.editorSettings.hoverEnable) return null;
    const analysis = this.analysisOf(textDocument.uri, state);
    if (!analysis) return null;
    // Clamp: clients may ask about positions past the end of a line or of the document.
    const document = state.documentTree.textDocument;
    const clamped = document.positionAt(document.offsetAt(position));
    try {
      return hoverAt(state.parsedTree(), analysis, this.options.knowledge, clamped, {
        locale: analysis.locale,
        entryLink: this.entryCommand ? entryCommandUri : undefined,
      });
    } catch (error) {
      // A hover is a nicety: a helper that fails on an absurd tree (a stack overflow on nesting no
      // real program has) answers nothing rather than an error.
      this.log(`hover at ${textDocument.uri}:${clamped.line}:${clamped.character} failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /** Snippet completions where a statement can start; null when there are none to offer here. */
  completion({ textDocument, position }: CompletionParams): CompletionList | null {
    const state = this.documents.get(textDocument.uri);
    if (!state || !this.completionOptions || this.checkSize(textDocument.uri, state)) return null;
    const document = state.documentTree.textDocument;
    const clamped = document.positionAt(document.offsetAt(position));
    const tree = state.parsedTree();
    this.keepAwake(textDocument.uri, state);
    return snippetCompletions(document, tree, clamped, this.completionOptions);
  }

  /**
   * Marks a document as just used, and lets the least recently used ones hibernate (free their
   * trees and analyses) beyond MAX_AWAKE_DOCUMENTS or MAX_AWAKE_CHARS of text. With hundreds of
   * files open, memory then follows the few being worked on; a hibernating one is parsed and
   * analysed again (tens of milliseconds for a thousand lines) when it is next asked about.
   */
  private keepAwake(uri: string, state: DocumentState): void {
    this.awake.delete(uri);
    if (state.holdsTree) this.awake.add(uri);
    let chars = 0;
    let kept = 0;
    for (const other of [...this.awake].reverse()) {
      const document = this.documents.get(other);
      if (!document?.holdsTree) {
        this.awake.delete(other);
        continue;
      }
      chars += document.documentTree.text.length;
      kept++;
      if (other !== uri && (kept > MAX_AWAKE_DOCUMENTS || chars > MAX_AWAKE_CHARS)) {
        document.hibernate();
        this.awake.delete(other);
      }
    }
  }

  codeActions(params: CodeActionParams): CodeAction[] {
    const state = this.documents.get(params.textDocument.uri);
    if (!state) return [];
    const analysis = this.analysisOf(params.textDocument.uri, state);
    if (!analysis) return [];
    // A reversed range (end before start) is taken in order, as TextDocument takes edits.
    const { start, end } = params.range;
    if (start.line > end.line || (start.line === end.line && start.character > end.character)) params = { ...params, range: { start: end, end: start } };
    return codeActionsFor(params, state.documentTree.textDocument, state.parsedTree(), analysis.findings, this.options.knowledge, {
      documentChanges: this.documentChanges,
      locale: analysis.locale,
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
