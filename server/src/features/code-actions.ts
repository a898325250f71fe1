import { DEFAULT_LOCALE, fillTemplate, type Locale } from "../i18n/locale";
import { uiText } from "../i18n/ui-text";
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Node, Tree } from "web-tree-sitter";
import { headerComments, noqaListEnd, rowAcceptsComment } from "../analysis/suppression";
import { nonOverlappingFixes } from "../analysis/apply-fixes";
import type { Finding, TextEdit } from "../analysis/finding";
import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { rangeToLsp, type PointRange } from "../parse/positions";
import { toDiagnostic } from "./diagnostics";
import { exampleInsertion } from "./snippets";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pythonMentor`;

export interface EditOptions {
  /** Whether the client takes versioned `documentChanges` (preferred: stale edits are refused). */
  documentChanges: boolean;
  /** The language of action titles. */
  locale?: Locale;
  /** The command that opens an entry, if the client has one ("Explain PYMxxx"); none otherwise. */
  explainCommand?: string;
}

/**
 * Code actions for a range. For every finding there: its fix, "Disable for this line", "Disable
 * for this file", "Explain" and, when the rule has several fixes in the file, "Fix all of them".
 * On request of `source.fixAll.pythonMentor`: every safe fix in the document at once.
 */
export function codeActionsFor(
  params: CodeActionParams,
  document: TextDocument,
  tree: Tree,
  findings: readonly Finding[],
  knowledge: KnowledgeBase,
  options: EditOptions,
): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const disabled = new Set<string>();
    // Findings may share one fix (every reference in a PYM005 method): offer it once.
    const offered = new Set<Finding["fix"]>();
    for (const finding of findings) {
      if (!overlaps(finding.range, params.range)) continue;
      const diagnostic = toDiagnostic(finding, knowledge);
      if (finding.fix && !offered.has(finding.fix)) {
        offered.add(finding.fix);
        actions.push({
          title: finding.fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: finding.fix.safe,
          edit: workspaceEdit(document, finding.fix.edits.map(toLspEdit), options),
        });
      }
      const lineKey = `${finding.code}@${finding.range.start.row}`;
      if (disabled.has(lineKey)) continue;
      disabled.add(lineKey);
      const action = disableForLine(document, tree, finding, diagnostic, options);
      if (action) actions.push(action);
      if (disabled.has(finding.code)) continue;
      // Once per code: these act on the whole file.
      disabled.add(finding.code);
      actions.push(...perCodeActions(document, tree, finding, diagnostic, findings, options));
    }
  }
  if (wants(FIX_ALL_KIND)) {
    const edits = safeEdits(findings);
    if (edits.length > 0) {
      actions.push({ title: uiText("fixAll", options.locale ?? DEFAULT_LOCALE), kind: FIX_ALL_KIND, edit: workspaceEdit(document, edits, options) });
    }
  }
  return actions;
}

/** Every safe fix's edits, skipping any fix that overlaps one already taken. */
export function safeEdits(findings: readonly Finding[]): LspTextEdit[] {
  return nonOverlappingEdits(findings, (fix) => fix.safe);
}

function nonOverlappingEdits(findings: readonly Finding[], accept: (fix: NonNullable<Finding["fix"]>) => boolean): LspTextEdit[] {
  return nonOverlappingFixes(findings, accept).fixes.flatMap((fix) => fix.edits.map(toLspEdit));
}

function disableForLine(
  document: TextDocument,
  tree: Tree,
  finding: Finding,
  diagnostic: Diagnostic,
  options: EditOptions,
): CodeAction | undefined {
  const row = finding.range.start.row;
  const line = document.getText({ start: { line: row, character: 0 }, end: { line: row + 1, character: 0 } }).replace(/\r?\n$/, "");
  if (!rowAcceptsComment(tree, row, line)) return undefined;
  // Extend a `# noqa: CODES` list only in the row's own comment: one inside a string on the row
  // ("# noqa: E1") must not get the code (that would change the string and silence nothing).
  const comment = trailingComment(tree, row, line);
  const listInComment = comment ? noqaListEnd(comment.text) : undefined;
  const listEnd = comment && listInComment !== undefined ? comment.startPosition.column + listInComment : undefined;
  const at = { line: row, character: listEnd ?? line.length };
  const edit: LspTextEdit = { range: { start: at, end: at }, newText: listEnd === undefined ? `  # noqa: ${finding.code}` : `,${finding.code}` };
  return {
    title: fillTemplate(uiText("disableLine", options.locale ?? DEFAULT_LOCALE), { code: finding.code }),
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEdit(document, [edit], options),
  };
}

/** The comment that ends a row, if it has one. */
function trailingComment(tree: Tree, row: number, line: string): Node | undefined {
  const end = line.trimEnd().length;
  if (end === 0) return undefined;
  const node = tree.rootNode.descendantForPosition({ row, column: end - 1 });
  return node?.type === "comment" && node.startPosition.row === row ? node : undefined;
}

function perCodeActions(
  document: TextDocument,
  tree: Tree,
  finding: Finding,
  diagnostic: Diagnostic,
  findings: readonly Finding[],
  options: EditOptions,
): CodeAction[] {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const code = finding.code;
  const actions: CodeAction[] = [];
  const sameCode = findings.filter((other) => other.code === code && other.fix);
  const fixes = [...new Set(sameCode.map((other) => other.fix))];
  if (fixes.length > 1) {
    actions.push({
      title: fillTemplate(uiText("fixAllOfCode", locale), { code }),
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: workspaceEdit(document, nonOverlappingEdits(sameCode, () => true), options),
    });
  }
  // Rules whose remedy is a pattern rather than an edit (PYM003, PYM006) offer it as a snippet.
  const example = exampleInsertion(document, tree, finding, locale);
  if (example) {
    actions.push({ title: example.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(document, [example.edit], options) });
  }
  actions.push({
    title: fillTemplate(uiText("disableFile", locale), { code }),
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEdit(document, [disableForFileEdit(document, tree, code)], options),
  });
  if (options.explainCommand) {
    const title = fillTemplate(uiText("explain", locale), { code });
    actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: options.explainCommand, arguments: [finding.knowledge] } });
  }
  return actions;
}

/**
 * Adds the code to the header's `# python-mentor: disable=...` line when there is one, or puts a
 * new one first in the file (after a `#!` line and a coding cookie, which must stay on top).
 */
function disableForFileEdit(document: TextDocument, tree: Tree, code: string): LspTextEdit {
  for (const comment of headerComments(tree.rootNode)) {
    const match = /^(#\s*python-mentor:\s*disable\s*=\s*[A-Za-z0-9, ]*[A-Za-z0-9])\s*$/.exec(comment.text);
    if (!match) continue;
    const at = { line: comment.startPosition.row, character: comment.startPosition.column + match[1].length };
    return { range: { start: at, end: at }, newText: `,${code}` };
  }
  let line = 0;
  const text = (row: number) => document.getText({ start: { line: row, character: 0 }, end: { line: row + 1, character: 0 } });
  if (text(0).startsWith("#!")) line = 1;
  // PEP 263: the coding cookie counts only on the first two lines.
  if (line < 2 && /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/.test(text(line))) line += 1;
  const eol = document.getText().includes("\r\n") ? "\r\n" : "\n";
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `# python-mentor: disable=${code}${eol}` };
}

function workspaceEdit(document: TextDocument, edits: LspTextEdit[], options: EditOptions): WorkspaceEdit {
  return options.documentChanges
    ? { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] }
    : { changes: { [document.uri]: edits } };
}

function toLspEdit(edit: TextEdit): LspTextEdit {
  return { range: rangeToLsp(edit.range), newText: edit.newText };
}

function overlaps(range: PointRange, lsp: { start: { line: number; character: number }; end: { line: number; character: number } }): boolean {
  const before = (aRow: number, aCol: number, bRow: number, bCol: number) => aRow < bRow || (aRow === bRow && aCol < bCol);
  return !before(range.end.row, range.end.column, lsp.start.line, lsp.start.character) &&
    !before(lsp.end.line, lsp.end.character, range.start.row, range.start.column);
}
