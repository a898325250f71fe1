import type { Node } from "web-tree-sitter";
import type { TextEdit } from "../finding";
import type { RuleContext } from "../rule-context";
import type { SemanticModel } from "../model/semantic-model";
import { defineFact } from "../model/facts";

/**
 * Indentation questions for fixes that move statements into a new block or out of one: how deep
 * one level is, whether a statement has its lines to itself, and the edits that indent rows.
 */

const WHITESPACE = /^[ \t]*$/;

/** A block's first statement, comments aside. */
function firstStatement(block: Node): Node | undefined {
  return block.namedChildren.find((child): child is Node => child !== null && child.type !== "comment");
}

/** What `inner` adds to `outer`, when both are plain whitespace and `inner` is deeper. */
function levelBetween(outer: string, inner: string): string | undefined {
  if (!WHITESPACE.test(inner) || !inner.startsWith(outer) || inner.length === outer.length) return undefined;
  return inner.slice(outer.length);
}

/**
 * One level of indentation as a block uses it: its first statement's indentation minus its
 * header's. Undefined for a block on its header's line, or with odd indentation.
 */
export function blockIndentUnit(ctx: RuleContext, block: Node): string | undefined {
  const header = block.parent;
  const first = firstStatement(block);
  if (!header || !first || first.startPosition.row === header.startPosition.row) return undefined;
  const outer = /^[ \t]*/.exec(ctx.line(header.startPosition.row))?.[0] ?? "";
  return levelBetween(outer, ctx.line(first.startPosition.row).slice(0, first.startPosition.column));
}

/**
 * The first level of indentation a unit shows, from a block whose header starts at column 0 (a
 * top-level statement or one of its clauses): the header's own text then holds every row up to
 * the block's first statement, so no row of the file is read. Blocks are not searched inside:
 * what they hold is indented, so no header there starts at column 0.
 */
const FIRST_INDENT_UNIT = defineFact("indentation:first-unit", (nodes): string | null => {
  const search = (node: Node): string | undefined => {
    if (node.type === "block") return node.parent?.startPosition.column === 0 ? headerLevel(node.parent, node) : undefined;
    for (const child of node.namedChildren) {
      const found = child && search(child);
      if (found) return found;
    }
    return undefined;
  };
  for (const node of nodes) {
    const found = search(node);
    if (found) return found;
  }
  return null;
});

/** The level of a block whose header starts at column 0, read from the header's text. */
function headerLevel(header: Node, block: Node): string | undefined {
  const first = firstStatement(block);
  if (!first) return undefined;
  let start = 0;
  for (let row = header.startPosition.row; row < first.startPosition.row; row++) {
    const newline = header.text.indexOf("\n", start);
    if (newline === -1) return undefined;
    start = newline + 1;
  }
  if (start === 0) return undefined;
  return levelBetween("", header.text.slice(start, start + first.startPosition.column));
}

/** The file's level of indentation: the first indented block in the file decides; four spaces when there is none. */
export function fileIndentUnit(model: SemanticModel): string {
  return model.fileFact(FIRST_INDENT_UNIT).find((unit) => unit !== null) ?? "    ";
}

/** One level of indentation for a new block inside `block`: the block's own, or at module level the file's. */
export function indentUnit(ctx: RuleContext, block: Node): string | undefined {
  return block.type === "module" ? fileIndentUnit(ctx.model) : blockIndentUnit(ctx, block);
}

/** The nearest statement (comments aside) that `step` reaches from this one. */
function nearStatement(statement: Node, step: (node: Node) => Node | null): Node | undefined {
  for (let sibling = step(statement); sibling; sibling = step(sibling)) if (sibling.type !== "comment") return sibling;
  return undefined;
}

/** Nothing else shares the statement's lines, apart from a trailing comment. */
export function aloneOnItsLines(ctx: RuleContext, statement: Node): boolean {
  const before = nearStatement(statement, (node) => node.previousNamedSibling);
  const after = nearStatement(statement, (node) => node.nextNamedSibling);
  if (before && before.endPosition.row >= statement.startPosition.row) return false;
  if (after && after.startPosition.row <= statement.endPosition.row) return false;
  const prefix = ctx.line(statement.startPosition.row).slice(0, statement.startPosition.column);
  const rest = ctx.line(statement.endPosition.row).slice(statement.endPosition.column).trim();
  return WHITESPACE.test(prefix) && (rest === "" || rest.startsWith("#"));
}

/**
 * Edits that indent rows [fromRow, toRow) by one more `unit`. Blank rows stay as they are, and
 * so do rows that continue a multi-line string of `nodes`, whose text would change.
 */
export function indentRows(ctx: RuleContext, nodes: readonly Node[], fromRow: number, toRow: number, unit: string): TextEdit[] {
  const frozen = new Set<number>();
  for (const node of nodes) {
    for (const string of [node, ...node.descendantsOfType("string")]) {
      if (string?.type !== "string") continue;
      for (let row = string.startPosition.row + 1; row <= string.endPosition.row; row++) frozen.add(row);
    }
  }
  const edits: TextEdit[] = [];
  for (let row = fromRow; row < toRow; row++) {
    if (frozen.has(row) || ctx.line(row).trim() === "") continue;
    edits.push({ range: { start: { row, column: 0 }, end: { row, column: 0 } }, newText: unit });
  }
  return edits;
}
