import type { TextEdit } from "vscode-languageserver";

/** Applies LSP text edits (non-overlapping, any order) to text, as an editor would. */
export function applyLspEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (line: number, character: number) =>
    lines.slice(0, line).reduce((sum, row) => sum + row.length + 1, 0) + character;
  const sorted = [...edits].sort(
    (a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character),
  );
  let result = text;
  for (const edit of sorted) {
    const start = offset(edit.range.start.line, edit.range.start.character);
    const end = offset(edit.range.end.line, edit.range.end.character);
    result = result.slice(0, start) + edit.newText + result.slice(end);
  }
  return result;
}

/** Position of the n-th (0-based) occurrence of `needle` in `text`, plus `delta` code units. */
export function positionOf(text: string, needle: string, delta = 0, occurrence = 0) {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" not found`);
  }
  const before = text.slice(0, index + delta).split("\n");
  return { line: before.length - 1, character: before[before.length - 1].length };
}
