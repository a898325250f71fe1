import type { Point } from "web-tree-sitter";
import type { Finding, Fix, TextEdit } from "./finding";
import type { PointRange } from "../parse/positions";

/**
 * Choosing fixes that can be applied together, and applying them to text. Shared by the editor's
 * fix-all (features/code-actions.ts) and `python-mentor check --fix` (cli/fix-files.ts), so both
 * pick the same fixes from the same findings.
 */

export interface FixSelection {
  /** The fixes to apply, each whole: no edit of one touches an edit of another. */
  fixes: Fix[];
  /**
   * The findings these fixes remove: a finding whose own fix was taken, or whose fix has exactly
   * the edits of a taken one (several findings may share a fix, and findings read back from the
   * cache no longer share the object).
   */
  fixed: Finding[];
}

/**
 * Walks the findings in order and takes every accepted fix that touches none of the fixes taken
 * before it; a fix that would is left for a later pass, on the text the taken ones produce.
 */
export function nonOverlappingFixes(findings: readonly Finding[], accept: (fix: Fix) => boolean): FixSelection {
  const fixes: Fix[] = [];
  const fixed: Finding[] = [];
  const taken: TextEdit[] = [];
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix || !accept(fix)) continue;
    if (fixes.some((other) => other === fix || sameEdits(other, fix))) {
      fixed.push(finding);
      continue;
    }
    if (fix.edits.some((edit) => taken.some((other) => editsOverlap(edit.range, other.range)))) continue;
    fixes.push(fix);
    fixed.push(finding);
    taken.push(...fix.edits);
  }
  return { fixes, fixed };
}

export function editsOverlap(a: PointRange, b: PointRange): boolean {
  // Two insertions at the same point also conflict: their order would be undefined.
  return comparePoints(a.start, b.end) <= 0 && comparePoints(b.start, a.end) <= 0;
}

/**
 * Applies non-overlapping edits to text. Points are tree-sitter's: rows end at \n only and
 * columns count UTF-16 code units, so a \r stays part of its row. A column past its row's end
 * (or a row past the last) is clamped, as editors clamp LSP positions.
 * `newline`, when "\r\n", is written for every bare \n in the inserted text: a fix that adds a
 * line to a CRLF file must not leave one LF line in it.
 */
export function applyEdits(text: string, edits: readonly TextEdit[], newline: "\n" | "\r\n" = "\n"): string {
  const rowStarts = [0];
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) rowStarts.push(at + 1);
  const offset = (point: Point): number => {
    if (point.row >= rowStarts.length) return text.length;
    const start = rowStarts[point.row];
    const rowEnd = point.row + 1 < rowStarts.length ? rowStarts[point.row + 1] - 1 : text.length;
    return start + Math.min(Math.max(point.column, 0), rowEnd - start);
  };
  const placed = edits
    .map((edit) => ({ start: offset(edit.range.start), end: offset(edit.range.end), text: newline === "\r\n" ? edit.newText.replace(/(?<!\r)\n/g, "\r\n") : edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of placed) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

/** The line end a file uses, judged as the rules judge it when they write new lines. */
export function newlineOf(text: string): "\n" | "\r\n" {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

function sameEdits(a: Fix, b: Fix): boolean {
  return (
    a.edits.length === b.edits.length &&
    a.edits.every((edit, i) => {
      const other = b.edits[i];
      return edit.newText === other.newText && comparePoints(edit.range.start, other.range.start) === 0 && comparePoints(edit.range.end, other.range.end) === 0;
    })
  );
}

function comparePoints(p: Point, q: Point): number {
  return p.row - q.row || p.column - q.column;
}
