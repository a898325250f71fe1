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
import type { Tree } from "web-tree-sitter";
import { noqaListEnd, rowAcceptsComment } from "../analysis/suppression";
import type { Finding, TextEdit } from "../analysis/finding";
import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { rangeToLsp, type PointRange } from "../parse/positions";
import { toDiagnostic } from "./diagnostics";

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pythonMentor`;

export interface EditOptions {
  /** Whether the client takes versioned `documentChanges` (preferred: stale edits are refused). */
  documentChanges: boolean;
  /** The language of action titles. */
  locale?: Locale;
}

/**
 * Code actions for a range: for every finding there, its fix (quick fix) and "Disable for this
 * line"; on request of `source.fixAll.pythonMentor`, every safe fix in the document at once.
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
  const taken: TextEdit[] = [];
  for (const finding of findings) {
    if (!finding.fix?.safe) continue;
    if (finding.fix.edits.some((edit) => taken.some((other) => editsOverlap(edit.range, other.range)))) continue;
    taken.push(...finding.fix.edits);
  }
  return taken.map(toLspEdit);
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
  const listEnd = noqaListEnd(line);
  const at = { line: row, character: listEnd ?? line.length };
  const edit: LspTextEdit = { range: { start: at, end: at }, newText: listEnd === undefined ? `  # noqa: ${finding.code}` : `,${finding.code}` };
  return {
    title: fillTemplate(uiText("disableLine", options.locale ?? DEFAULT_LOCALE), { code: finding.code }),
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: workspaceEdit(document, [edit], options),
  };
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

function editsOverlap(a: PointRange, b: PointRange): boolean {
  const cmp = (p: { row: number; column: number }, q: { row: number; column: number }) => p.row - q.row || p.column - q.column;
  // Two insertions at the same point also conflict: their order would be undefined.
  return cmp(a.start, b.end) <= 0 && cmp(b.start, a.end) <= 0;
}
