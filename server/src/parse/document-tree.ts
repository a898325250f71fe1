import { Edit, type Parser, type Tree } from "web-tree-sitter";
import { TextDocument, type TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { lspToPoint, pointAfter } from "./positions";

/**
 * A document's text and its tree-sitter tree, kept in step under incremental edits.
 *
 * Each LSP change is applied to the old tree with `tree.edit` (positions taken before the change)
 * and the text is reparsed with the old tree, so tree-sitter reuses every unchanged subtree.
 * Trees live in WebAssembly memory, which no garbage collector frees: the old tree is deleted as
 * soon as the new one exists, and `dispose` deletes the last one.
 */
export class DocumentTree {
  private document: TextDocument;
  private currentTree: Tree;

  constructor(
    private readonly parser: Parser,
    uri: string,
    version: number,
    text: string,
  ) {
    this.document = TextDocument.create(uri, "python", version, text);
    this.currentTree = parseOrThrow(parser, text, null);
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

  get tree(): Tree {
    return this.currentTree;
  }

  get textDocument(): TextDocument {
    return this.document;
  }

  /** Applies LSP content changes in order (ranged ones incrementally, whole-text ones by reparsing). */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    let fullReparse = false;
    for (const change of changes) {
      if ("range" in change) {
        // Clamp through offsets: clients may send positions past a line's end.
        const startIndex = this.document.offsetAt(change.range.start);
        const oldEndIndex = Math.max(startIndex, this.document.offsetAt(change.range.end));
        const startPosition = lspToPoint(this.document.positionAt(startIndex));
        const oldEndPosition = lspToPoint(this.document.positionAt(oldEndIndex));
        this.document = TextDocument.update(this.document, [change], version);
        if (!fullReparse) {
          this.currentTree.edit(
            new Edit({
              startIndex,
              oldEndIndex,
              newEndIndex: startIndex + change.text.length,
              startPosition,
              oldEndPosition,
              newEndPosition: pointAfter(startPosition, change.text),
            }),
          );
        }
      } else {
        this.document = TextDocument.update(this.document, [change], version);
        fullReparse = true;
      }
    }
    const newTree = parseOrThrow(this.parser, this.document.getText(), fullReparse ? null : this.currentTree);
    this.currentTree.delete();
    this.currentTree = newTree;
  }

  dispose(): void {
    this.currentTree.delete();
  }
}

/** Parses standalone text (CLI, tests). The caller owns the tree and must delete it. */
export function parseText(parser: Parser, text: string): Tree {
  return parseOrThrow(parser, text, null);
}

function parseOrThrow(parser: Parser, text: string, oldTree: Tree | null): Tree {
  const tree = parser.parse(text, oldTree);
  // parse() returns null only when cancelled or without a language; neither happens here.
  if (!tree) throw new Error("tree-sitter returned no tree");
  return tree;
}
