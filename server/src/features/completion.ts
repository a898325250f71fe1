import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
} from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Tree } from "web-tree-sitter";
import { fillDefaults, indentUnit, indentWith, SNIPPETS } from "./snippets";

/** The common start of every snippet prefix. */
const PREFIX_START = "pym";

export interface CompletionOptions {
  /** The client expands `$1`/`${1:x}` (`completionItem.snippetSupport`); otherwise it gets plain code. */
  snippetSupport: boolean;
  /** The client renders Markdown documentation; otherwise it gets the code as plain text. */
  markdown: boolean;
}

/**
 * The snippets as completion items, for clients that do not read snippets/python.json themselves
 * (every client but our VS Code extension). Offered only where a statement can start: the line up
 * to the cursor is indentation plus the beginning of a prefix, outside brackets, strings and
 * backslash continuations. Null elsewhere, so the client keeps only other servers' items.
 */
export function snippetCompletions(document: TextDocument, tree: Tree, position: Position, options: CompletionOptions): CompletionList | null {
  const line = document.getText({ start: { line: position.line, character: 0 }, end: position });
  const match = /^([ \t]*)([A-Za-z0-9_-]*)$/.exec(line);
  if (!match) return null;
  const word = match[2];
  const wordStart = { line: position.line, character: match[1].length };
  if (!word.startsWith(PREFIX_START)) {
    // `p` or `py` may still become `pym`: ask the client to come back on the next keystroke
    // rather than filter an empty list.
    return PREFIX_START.startsWith(word) ? { isIncomplete: true, items: [] } : null;
  }
  const offset = document.offsetAt(wordStart);
  if (!startsStatement(document.getText(), statementScanStart(tree, offset), offset)) return null;
  const indent = indentUnit(tree, document);
  const items = SNIPPETS.filter((snippet) => snippet.prefix.startsWith(word)).map((snippet): CompletionItem => {
    const code = indentWith(fillDefaults(snippet.body), indent);
    return {
      label: snippet.prefix,
      kind: CompletionItemKind.Snippet,
      detail: snippet.description,
      documentation: options.markdown ? { kind: MarkupKind.Markdown, value: `\`\`\`python\n${code}\n\`\`\`` } : code,
      filterText: snippet.prefix,
      // The whole typed word, `-` included: clients whose word stops at `-` still replace `pym-dec`.
      textEdit: { range: { start: wordStart, end: position }, newText: options.snippetSupport ? indentWith(snippet.body, indent) : code },
      insertTextFormat: options.snippetSupport ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      // Lines after the first take the cursor line's indentation, so a snippet works inside a block.
      insertTextMode: InsertTextMode.adjustIndentation,
    };
  });
  return { isIncomplete: false, items };
}

/**
 * Where to start reading to know whether an offset is inside brackets or a string: the end of the
 * last top-level statement that parsed cleanly and ends before it (nothing is open there), else
 * the start of the file. Incomplete code after it, which tree-sitter may misread, is scanned.
 */
function statementScanStart(tree: Tree, offset: number): number {
  let start = 0;
  for (const statement of tree.rootNode.children) {
    if (!statement || statement.endIndex > offset) break;
    if (!statement.hasError) start = statement.endIndex;
  }
  return start;
}

/**
 * Whether `offset` (the first non-blank character of its line) starts a statement: reading from
 * `from`, a statement start, it is in no bracket, no string and not after a backslash continuation.
 * A lexical scan rather than the tree, because the code being typed is usually incomplete and
 * tree-sitter's error recovery does not say reliably whether `foo(\n    pym` is inside the call.
 */
export function startsStatement(text: string, from: number, offset: number): boolean {
  let depth = 0;
  let continued = false;
  let i = from;
  while (i < offset) {
    const ch = text[i];
    if (ch === "#") {
      while (i < offset && text[i] !== "\n") i++;
    } else if (ch === '"' || ch === "'") {
      const quote = text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      i += quote.length;
      // Backslash escapes the next character in every kind of string (raw ones included, for quotes).
      while (i < offset && !text.startsWith(quote, i) && !(quote.length === 1 && text[i] === "\n")) i += text[i] === "\\" ? 2 : 1;
      if (i >= offset) return false;
      if (text[i] !== "\n") i += quote.length;
    } else if (ch === "\\" && (text[i + 1] === "\n" || text.startsWith("\r\n", i + 1))) {
      continued = true;
      i += text[i + 1] === "\n" ? 2 : 3;
    } else {
      if ("([{".includes(ch)) depth++;
      else if (")]}".includes(ch)) depth = Math.max(0, depth - 1);
      else if (ch === "\n") continued = false;
      i++;
    }
  }
  return depth === 0 && !continued;
}
