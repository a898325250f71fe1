import type { Point } from "web-tree-sitter";

/**
 * The one place where positions change units.
 *
 * web-tree-sitter parses JavaScript strings, so its rows are 0-based lines and its columns and
 * indices count UTF-16 code units, exactly like LSP positions. The CLI prints 1-based rows and
 * 1-based columns counted in Unicode code points (what a person counts, and what Ruff prints).
 */

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface PointRange {
  start: Point;
  end: Point;
}

/** 1-based row and 1-based column in code points. */
export interface CliLocation {
  row: number;
  column: number;
}

export function pointToLsp(point: Point): LspPosition {
  return { line: point.row, character: point.column };
}

export function lspToPoint(position: LspPosition): Point {
  return { row: position.line, column: position.character };
}

export function rangeToLsp(range: PointRange): LspRange {
  return { start: pointToLsp(range.start), end: pointToLsp(range.end) };
}

/** Number of code points in the first `utf16Length` code units of `line` (a split surrogate pair counts once). */
export function codePointsBefore(line: string, utf16Length: number): number {
  let count = 0;
  let i = 0;
  const end = Math.min(utf16Length, line.length);
  while (i < end) {
    i += unitsAt(line, i);
    count++;
  }
  return count;
}

/** UTF-16 offset in `line` of the code point with 0-based index `codePoints` (clamped to the line). */
export function utf16Offset(line: string, codePoints: number): number {
  let i = 0;
  for (let n = 0; n < codePoints && i < line.length; n++) i += unitsAt(line, i);
  return i;
}

/**
 * Code units of the code point at `i`: 2 for a surrogate pair, else 1. A lone surrogate (which a
 * file can hold) is one code point on its own, so a high one followed by anything but a low one is 1.
 */
function unitsAt(line: string, i: number): number {
  const code = line.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) return 1;
  const next = line.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

/**
 * Splits text into rows the way tree-sitter counts them: at \n only (a \r before it stays at the
 * end of its row, past every column a finding can start at). LSP also breaks rows at a lone \r;
 * files that use lone \r line ends are not supported (see README).
 */
export function splitLines(text: string): string[] {
  return text.split("\n");
}

export function pointToCli(lines: readonly string[], point: Point): CliLocation {
  const line = lines[point.row] ?? "";
  return { row: point.row + 1, column: codePointsBefore(line, point.column) + 1 };
}

export function cliToPoint(lines: readonly string[], location: CliLocation): Point {
  const row = location.row - 1;
  return { row, column: utf16Offset(lines[row] ?? "", location.column - 1) };
}

/**
 * The tree-sitter point of a UTF-16 offset in `text`, counting rows at \n only as tree-sitter does.
 * Not the LSP position of the offset: LSP also ends lines at a lone \r, and a tree edit described
 * with LSP rows puts every node after a lone \r on the wrong row. `from`, a known point at or
 * before `offset`, saves rescanning the text before it. `offset` is clamped to the text.
 */
export function pointAt(text: string, offset: number, from: { index: number; point: Point } = { index: 0, point: { row: 0, column: 0 } }): Point {
  const end = Math.max(from.index, Math.min(offset, text.length));
  let row = from.point.row;
  let column = from.point.column + (end - from.index);
  for (let newline = text.indexOf("\n", from.index); newline !== -1 && newline < end; newline = text.indexOf("\n", newline + 1)) {
    row++;
    column = end - newline - 1;
  }
  return { row, column };
}

/** The point just past `text` when it is inserted at `start` (for tree-sitter edits). */
export function pointAfter(start: Point, text: string): Point {
  const lines = splitLines(text);
  if (lines.length === 1) return { row: start.row, column: start.column + text.length };
  return { row: start.row + lines.length - 1, column: lines[lines.length - 1].length };
}
