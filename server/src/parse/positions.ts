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
    const code = line.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < line.length ? 2 : 1;
    count++;
  }
  return count;
}

/** UTF-16 offset in `line` of the code point with 0-based index `codePoints` (clamped to the line). */
export function utf16Offset(line: string, codePoints: number): number {
  let i = 0;
  for (let n = 0; n < codePoints && i < line.length; n++) {
    const code = line.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && i + 1 < line.length ? 2 : 1;
  }
  return i;
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

/** The point just past `text` when it is inserted at `start` (for tree-sitter edits). */
export function pointAfter(start: Point, text: string): Point {
  const lines = splitLines(text);
  if (lines.length === 1) return { row: start.row, column: start.column + text.length };
  return { row: start.row + lines.length - 1, column: lines[lines.length - 1].length };
}
