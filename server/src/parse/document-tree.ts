import { Edit, type Parser, type Tree } from "web-tree-sitter";
import { TextDocument, type TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { pointAfter, pointAt } from "./positions";

/**
 * A document's text and its tree-sitter tree, kept in step under incremental edits.
 *
 * Each LSP change is applied to the text at once and to the last tree with `tree.edit`
 * (positions taken before the change); the text is reparsed with that tree, so tree-sitter reuses
 * every unchanged subtree, only when someone asks for the tree. A burst of changes thus costs
 * one parse, and a document nobody analyses (over the size limit) is never parsed.
 * Trees live in WebAssembly memory, which no garbage collector frees: the old tree is deleted as
 * soon as the new one exists, and `dispose` (or `release`) deletes the last one.
 */
export class DocumentTree {
  private document: TextDocument;
  /** The last parse, edited since by every change; undefined before the first parse and after a release. */
  private lastTree: Tree | undefined;
  /** Whether the text changed since `lastTree` was parsed. */
  private stale = true;
  private parses = 0;
  /**
   * Where `lastTree`'s first top-level statement with an error starts, moved along with the
   * edits (or moved earlier, when an edit reaches into it: earlier is always safe); undefined
   * when not known. Kept so that a keystroke need not scan every statement for it.
   */
  private firstError: number | undefined;
  /** The earliest index an edit touched since the last parse. */
  private editedFrom = Number.POSITIVE_INFINITY;

  constructor(
    private readonly parser: Parser,
    uri: string,
    version: number,
    text: string,
  ) {
    this.document = TextDocument.create(uri, "python", version, text);
  }

  get uri(): string {
    return this.document.uri;
  }

  get version(): number {
    return this.document.version;
  }

  get text(): string {
    return this.document.getText();
  }

  /** The tree of the current text, parsed now if the text changed since the last parse. */
  get tree(): Tree {
    if (this.stale || !this.lastTree) {
      const parsed = parseExactly(this.parser, this.document.getText(), this.lastTree, this.firstError, this.editedFrom);
      this.lastTree?.delete();
      this.lastTree = parsed.tree;
      this.firstError = parsed.firstError;
      this.editedFrom = Number.POSITIVE_INFINITY;
      this.stale = false;
      this.parses++;
    }
    return this.lastTree;
  }

  /** How many times this document was parsed (tests and statistics: edits in a burst share one). */
  get parseCount(): number {
    return this.parses;
  }

  get textDocument(): TextDocument {
    return this.document;
  }

  /** Applies LSP content changes in order (ranged ones incrementally, whole-text ones by reparsing). */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ("range" in change) {
        const before = this.document.getText();
        // Clamped through offsets, as TextDocument clamps them: clients may send positions past a
        // line's end or the document's. A reversed range is taken in order, as TextDocument does.
        const from = this.document.offsetAt(change.range.start);
        const to = this.document.offsetAt(change.range.end);
        const startIndex = Math.min(from, to);
        const oldEndIndex = Math.max(from, to);
        this.document = TextDocument.update(this.document, [change], version);
        if (this.lastTree) {
          const delta = change.text.length - (oldEndIndex - startIndex);
          if (this.firstError !== undefined) {
            if (oldEndIndex <= this.firstError) this.firstError += delta;
            else if (startIndex < this.firstError) this.firstError = startIndex;
          }
          this.editedFrom = Math.min(this.editedFrom, startIndex);
          // Points from the text, not from LSP positions: tree-sitter rows end at \n only.
          const startPosition = pointAt(before, startIndex);
          this.lastTree.edit(
            new Edit({
              startIndex,
              oldEndIndex,
              newEndIndex: startIndex + change.text.length,
              startPosition,
              oldEndPosition: pointAt(before, oldEndIndex, { index: startIndex, point: startPosition }),
              newEndPosition: pointAfter(startPosition, change.text),
            }),
          );
        }
      } else {
        this.document = TextDocument.update(this.document, [change], version);
        // A whole new text: nothing of the old tree is worth reusing.
        this.release();
      }
    }
    // The version moves even when the change list is empty.
    if (changes.length === 0) this.document = TextDocument.update(this.document, [], version);
    this.stale = true;
  }

  /** Whether a parsed tree is held (in WebAssembly memory). */
  get holdsTree(): boolean {
    return this.lastTree !== undefined;
  }

  /** Frees the tree (the next `tree` parses from scratch): for documents that will not be analysed for a while. */
  release(): void {
    this.lastTree?.delete();
    this.lastTree = undefined;
    this.firstError = undefined;
    this.editedFrom = Number.POSITIVE_INFINITY;
    this.stale = true;
  }

  dispose(): void {
    this.release();
  }
}

/** Parses standalone text (CLI, tests). The caller owns the tree and must delete it. */
export function parseText(parser: Parser, text: string): Tree {
  return parseOrThrow(parser, text, null);
}

/**
 * Parses `text` reusing `oldTree` (edited to match it), with the same result as a parse from
 * scratch. tree-sitter guarantees that only for text without syntax errors: around an error it
 * may recover differently when it reuses old subtrees (a reused list after an unterminated
 * """ where a fresh parse sees string content), and the findings would then depend on the
 * editing history. So nothing is reused from the first top-level statement that holds an error
 * to the end of the text: when the old tree has one, that part is marked changed before the
 * parse; when the new tree has one earlier, it is parsed again from there. The error-free
 * statements before it are still reused.
 */
function parseExactly(
  parser: Parser,
  text: string,
  oldTree: Tree | undefined,
  oldFirstError: number | undefined,
  editedFrom: number,
): { tree: Tree; firstError: number } {
  if (!oldTree) {
    const tree = parseOrThrow(parser, text, null);
    return { tree, firstError: tree.rootNode.hasError ? firstErrorStatementStart(tree, 0) : text.length };
  }
  const from = oldTree.rootNode.hasError ? Math.min(oldFirstError ?? firstErrorStatementStart(oldTree, 0), text.length) : text.length;
  if (from < text.length) markChangedFrom(oldTree, text, from);
  const tree = parseOrThrow(parser, text, oldTree);
  if (!tree.rootNode.hasError) return { tree, firstError: text.length };
  // Before the earliest edit and the old first error, the text and its statements are unchanged
  // and free of errors: the scan for the new first error starts there.
  const first = firstErrorStatementStart(tree, Math.min(from, editedFrom));
  if (first >= from) return { tree, firstError: first };
  markChangedFrom(tree, text, first);
  try {
    const again = parseOrThrow(parser, text, tree);
    return { tree: again, firstError: again.rootNode.hasError ? firstErrorStatementStart(again, first) : text.length };
  } finally {
    tree.delete();
  }
}

/** Tells `tree` that everything from `from` to the end changed (the text is the same): none of it will be reused. */
function markChangedFrom(tree: Tree, text: string, from: number): void {
  const startPosition = pointAt(text, from);
  const endPosition = pointAt(text, text.length, { index: from, point: startPosition });
  tree.edit(new Edit({ startIndex: from, oldEndIndex: text.length, newEndIndex: text.length, startPosition, oldEndPosition: endPosition, newEndPosition: endPosition }));
}

/**
 * Where the first top-level node with a syntax error (or a missing token) starts; 0 when the root
 * itself is one. `from` says where to look: no statement before it holds an error (the one just
 * before it is looked at too, since an edit at a statement's start can change the one before).
 * If none turns up from there, the whole file is scanned after all.
 */
function firstErrorStatementStart(tree: Tree, from: number): number {
  const root = tree.rootNode;
  if (root.type === "ERROR") return 0;
  let node = from > 0 ? root.firstChildForIndex(from) : root.firstChild;
  if (node?.previousSibling) node = node.previousSibling;
  for (; node; node = node.nextSibling) if (node.hasError) return node.startIndex;
  if (from === 0) return 0;
  return firstErrorStatementStart(tree, 0);
}

function parseOrThrow(parser: Parser, text: string, oldTree: Tree | null): Tree {
  const tree = parser.parse(text, oldTree);
  // parse() returns null only when cancelled or without a language; neither happens here.
  if (!tree) throw new Error("tree-sitter returned no tree");
  return tree;
}
