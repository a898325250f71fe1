import type { Node, Tree } from "web-tree-sitter";

/**
 * `# noqa` handling, as in flake8 and Ruff: a bare `# noqa` silences every finding that starts on
 * its line, `# noqa: PYM001,PYM006` only those codes. Only real comments count (tree-sitter
 * comment nodes), so "# noqa" inside a string literal does nothing.
 */
const NOQA = /#\s*noqa(?::\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?/i;

/**
 * Where a `# noqa: CODES` list ends in a line (UTF-16 offset), so a code can be appended to it;
 * undefined when the line has no such list (a bare `# noqa` already silences everything).
 */
export function noqaListEnd(line: string): number | undefined {
  const match = NOQA.exec(line);
  return match?.[1] ? match.index + match[0].length : undefined;
}

export type LineSuppression = "all" | ReadonlySet<string>;

export function suppressionsByRow(comments: readonly Node[]): Map<number, LineSuppression> {
  const byRow = new Map<number, LineSuppression>();
  for (const comment of comments) {
    const match = NOQA.exec(comment.text);
    if (!match) continue;
    const codes = match[1];
    byRow.set(comment.startPosition.row, codes ? new Set(codes.toUpperCase().split(/[\s,]+/)) : "all");
  }
  return byRow;
}

/**
 * What a `# noqa` comment on this row silences, if the row has one: a real comment, found through
 * the tree, so "# noqa" inside a string does nothing. Undefined when the row has none.
 */
export function rowSuppression(tree: Tree, row: number, line: string): LineSuppression | undefined {
  if (!/noqa/i.test(line)) return undefined;
  for (let column = line.indexOf("#"); column !== -1; column = line.indexOf("#", column + 1)) {
    const node = tree.rootNode.descendantForPosition({ row, column });
    if (node?.type === "comment" && node.startPosition.row === row && node.startPosition.column === column) {
      return suppressionsByRow([node]).get(row);
    }
  }
  return undefined;
}

/** Whether `# noqa` on this row silences a finding with any of these codes (its own and equivalents). */
export function isSuppressed(byRow: ReadonlyMap<number, LineSuppression>, row: number, codes: readonly string[]): boolean {
  const rule = byRow.get(row);
  return rule === "all" || (rule !== undefined && codes.some((code) => rule.has(code)));
}

/**
 * Whether a `# noqa` comment can be appended to this row without changing the program: not when
 * the row ends inside a multi-line string, nor after a backslash continuation.
 */
export function rowAcceptsComment(tree: Tree, row: number, line: string): boolean {
  if (/\\\s*$/.test(line)) return false;
  for (let node: Node | null = tree.rootNode.descendantForPosition({ row, column: line.length }); node; node = node.parent) {
    if ((node.type === "string" || node.type === "concatenated_string") && node.endPosition.row > row) return false;
  }
  return true;
}

/**
 * `# python-mentor: disable=PYM001,PYM006` and `# python-mentor: disable-file`, each on a comment
 * line of its own in the file's header: the comments and blank lines before the first statement
 * (a module docstring may come first). Elsewhere they mean nothing, so a stray copy deep in a file
 * cannot silently turn a rule off for all of it.
 */
const FILE_DIRECTIVE = /^#\s*python-mentor:\s*(disable-file|disable\s*=\s*([A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*))\s*$/;

export type FileSuppression = "all" | ReadonlySet<string>;

/** The file-wide suppression its header declares, or undefined when it declares none. */
export function fileSuppression(root: Node): FileSuppression | undefined {
  const codes = new Set<string>();
  for (const comment of headerComments(root)) {
    const match = FILE_DIRECTIVE.exec(comment.text.trim());
    if (!match) continue;
    if (match[1] === "disable-file") return "all";
    for (const code of match[2].split(",")) codes.add(code.trim().toUpperCase());
  }
  return codes.size > 0 ? codes : undefined;
}

/** Comment nodes of the header: before the first statement other than a module docstring. */
export function headerComments(root: Node): Node[] {
  const comments: Node[] = [];
  let docstringSeen = false;
  // Child by child: the header is a few nodes at the top, and `children` would build them all.
  for (let i = 0; i < root.childCount; i++) {
    const child = root.child(i);
    if (!child) continue;
    if (child.type === "comment") {
      // A comment after code on the same line is not "on a line of its own".
      const previous = child.previousSibling;
      if (previous && previous.endPosition.row === child.startPosition.row) continue;
      comments.push(child);
    } else if (!docstringSeen && child.type === "expression_statement" && child.namedChild(0)?.type === "string") {
      docstringSeen = true;
    } else {
      break;
    }
  }
  return comments;
}

export function isFileSuppressed(suppression: FileSuppression | undefined, codes: readonly string[]): boolean {
  return suppression === "all" || (suppression !== undefined && codes.some((code) => suppression.has(code)));
}
