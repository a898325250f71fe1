import type { Position, Range, TextDocumentContentChangeEvent } from "vscode-languageserver";

/**
 * Runtime checks of what a client sends. The handlers' parameter types are only what the protocol
 * promises: a buggy or hostile client can send anything JSON can say, and a missing field must
 * become an "invalid params" answer (or an ignored notification), not a TypeError deep inside.
 * Numbers must be integers; negative or too large ones are valid here and clamped later, as
 * editors do with positions past the end of a line.
 */

type Checked = Record<string, unknown>;

function isObject(value: unknown): value is Checked {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

export function isPosition(value: unknown): value is Position {
  return isObject(value) && isInteger(value.line) && isInteger(value.character);
}

export function isRange(value: unknown): value is Range {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

function hasUri(value: unknown): value is { uri: string } {
  return isObject(value) && typeof value.uri === "string";
}

/** A change event: `{ text }` (the whole document) or `{ range, text }` (with an optional `rangeLength`). */
export function isContentChange(value: unknown): value is TextDocumentContentChangeEvent {
  if (!isObject(value) || typeof value.text !== "string") return false;
  if (value.rangeLength !== undefined && !isInteger(value.rangeLength)) return false;
  return value.range === undefined ? value.rangeLength === undefined : isRange(value.range);
}

/** What is wrong with `textDocument/didOpen` params, or undefined when nothing is. */
export function didOpenProblem(params: unknown): string | undefined {
  if (!isObject(params) || !hasUri(params.textDocument)) return "no textDocument.uri";
  const document = params.textDocument as Checked;
  if (typeof document.text !== "string") return "textDocument.text is not a string";
  if (!isInteger(document.version)) return "textDocument.version is not an integer";
  return undefined;
}

/** What is wrong with `textDocument/didChange` params, or undefined when nothing is. */
export function didChangeProblem(params: unknown): string | undefined {
  if (!isObject(params) || !hasUri(params.textDocument)) return "no textDocument.uri";
  if (!isInteger((params.textDocument as Checked).version)) return "textDocument.version is not an integer";
  if (!Array.isArray(params.contentChanges)) return "contentChanges is not a list";
  const bad = params.contentChanges.findIndex((change) => !isContentChange(change));
  return bad < 0 ? undefined : `contentChanges[${bad}] is neither { text } nor { range, text }`;
}

/** What is wrong with params that name a document (didClose, pull diagnostics), or undefined. */
export function textDocumentProblem(params: unknown): string | undefined {
  return isObject(params) && hasUri(params.textDocument) ? undefined : "no textDocument.uri";
}

/** What is wrong with hover or completion params, or undefined. */
export function positionProblem(params: unknown): string | undefined {
  if (!isObject(params) || !hasUri(params.textDocument)) return "no textDocument.uri";
  return isPosition(params.position) ? undefined : "position is not { line, character } with integers";
}

/** What is wrong with code action params, or undefined. */
export function codeActionProblem(params: unknown): string | undefined {
  if (!isObject(params) || !hasUri(params.textDocument)) return "no textDocument.uri";
  if (!isRange(params.range)) return "range is not { start, end } positions with integers";
  const context = params.context;
  if (!isObject(context) || !Array.isArray(context.diagnostics)) return "context.diagnostics is not a list";
  if (context.only !== undefined && !(Array.isArray(context.only) && context.only.every((kind) => typeof kind === "string"))) {
    return "context.only is not a list of kinds";
  }
  return undefined;
}
