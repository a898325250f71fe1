import type { TextEdit as LspTextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Node, Tree } from "web-tree-sitter";
import type { Finding } from "../analysis/finding";
import { fillTemplate, type Locale, type LocalizedText } from "../i18n/locale";
// Imported, not read from disk: esbuild bundles the JSON into dist/python-mentor.js, and the
// engine reads no files (it must also run in a web worker).
import snippetFile from "../../../snippets/python.json";

/** One entry of snippets/python.json, which VS Code reads directly and other clients get as completions. */
export interface Snippet {
  /** The entry's key: a short English name ("Breadth-first search with collections.deque"). */
  name: string;
  /** What the user types: `pym-...`. */
  prefix: string;
  description: string;
  /** The body in VS Code snippet syntax, lines joined with `\n`, indented with tabs. */
  body: string;
}

/** The file's shape as VS Code accepts it: a prefix may be a list, a body a single string. */
type SnippetFile = Record<string, { prefix: string | string[]; description?: string; body: string | string[] }>;

export const SNIPPETS: readonly Snippet[] = Object.entries(snippetFile as SnippetFile).map(([name, entry]) => ({
  name,
  prefix: Array.isArray(entry.prefix) ? entry.prefix[0] : entry.prefix,
  description: entry.description ?? name,
  body: Array.isArray(entry.body) ? entry.body.join("\n") : entry.body,
}));

export function snippetByPrefix(prefix: string): Snippet | undefined {
  return SNIPPETS.find((snippet) => snippet.prefix === prefix);
}

// ---- VS Code snippet syntax ------------------------------------------------------------------

type Part =
  | { kind: "text"; value: string }
  | { kind: "tabstop"; index: number; children?: Part[]; choices?: string[] }
  | { kind: "variable"; children?: Part[] };

/**
 * Parses the subset of the snippet grammar (https://code.visualstudio.com/docs/editing/userdefinedsnippets#_grammar)
 * a template can use: `$1`, `${1}`, `${1:default}` (nested), `${1|a,b|}`, `$NAME`, `${NAME:default}`
 * and the escapes `\$`, `\}`, `\\`. A transform (`${1/re/fmt/}`) counts as a plain mirror of its tab stop.
 */
function parseSnippet(body: string): Part[] {
  let i = 0;
  const parse = (inside: boolean): Part[] => {
    const parts: Part[] = [];
    let text = "";
    const flush = () => {
      if (text) parts.push({ kind: "text", value: text });
      text = "";
    };
    while (i < body.length) {
      const ch = body[i];
      if (ch === "\\" && i + 1 < body.length && "$}\\".includes(body[i + 1])) {
        text += body[i + 1];
        i += 2;
      } else if (inside && ch === "}") {
        break;
      } else if (ch === "$") {
        const part = parseDollar();
        if (part) {
          flush();
          parts.push(part);
        } else {
          text += ch;
          i++;
        }
      } else {
        text += ch;
        i++;
      }
    }
    flush();
    return parts;
  };
  // At a `$`: a tab stop or variable, consumed; or undefined (a literal `$`, nothing consumed).
  const parseDollar = (): Part | undefined => {
    const simple = /^\$(?:(\d+)|([A-Za-z_]\w*))/.exec(body.slice(i));
    if (simple) {
      i += simple[0].length;
      return simple[1] !== undefined ? { kind: "tabstop", index: Number(simple[1]) } : { kind: "variable" };
    }
    const open = /^\$\{(?:(\d+)|([A-Za-z_]\w*))([:|/}])/.exec(body.slice(i));
    if (!open) return undefined;
    const start = i;
    i += open[0].length;
    const index = open[1] !== undefined ? Number(open[1]) : undefined;
    const mark = open[3];
    if (mark === "}") return index !== undefined ? { kind: "tabstop", index } : { kind: "variable" };
    if (mark === ":") {
      const children = parse(true);
      if (body[i] !== "}") return backtrack(start);
      i++;
      return index !== undefined ? { kind: "tabstop", index, children } : { kind: "variable", children };
    }
    if (mark === "|" && index !== undefined) {
      const choices: string[] = [];
      let choice = "";
      while (i < body.length && !(body[i] === "|" && body[i + 1] === "}")) {
        if (body[i] === "\\" && i + 1 < body.length && ",|\\".includes(body[i + 1])) {
          choice += body[i + 1];
          i += 2;
        } else if (body[i] === ",") {
          choices.push(choice);
          choice = "";
          i++;
        } else {
          choice += body[i++];
        }
      }
      if (i >= body.length) return backtrack(start);
      choices.push(choice);
      i += 2;
      return { kind: "tabstop", index, choices };
    }
    if (mark === "/" && index !== undefined) {
      // Skip regex, format and options: three `/`-separated fields, then `}`.
      let slashes = 1;
      while (i < body.length && !(slashes >= 3 && body[i] === "}")) {
        if (body[i] === "\\") i++;
        else if (body[i] === "/") slashes++;
        i++;
      }
      if (i >= body.length) return backtrack(start);
      i++;
      return { kind: "tabstop", index };
    }
    return backtrack(start);
  };
  // Unbalanced syntax is text, as in VS Code: rewind and take the `$` literally.
  const backtrack = (start: number): undefined => {
    i = start;
    return undefined;
  };
  return parse(false);
}

/**
 * The code a snippet inserts when every placeholder keeps its default: `${1:name}` and its
 * mirrors `$1` become `name`, a choice its first option, a variable its default or nothing. An
 * empty tab stop (`$1`, `$0`) alone on its line becomes `pass`, since it stands for a block's body;
 * elsewhere it becomes nothing.
 */
export function fillDefaults(body: string): string {
  const parts = parseSnippet(body);
  const defaults = new Map<number, string>();
  const collect = (list: readonly Part[]) => {
    for (const part of list) {
      if (part.kind === "text") continue;
      if (part.kind === "tabstop" && !defaults.has(part.index)) {
        if (part.choices) defaults.set(part.index, part.choices[0] ?? "");
        else if (part.children) defaults.set(part.index, render(part.children));
      }
      if (part.children) collect(part.children);
    }
  };
  const render = (list: readonly Part[]): string =>
    list
      .map((part) => {
        if (part.kind === "text") return part.value;
        if (part.kind === "variable") return part.children ? render(part.children) : "";
        if (part.choices) return part.choices[0] ?? "";
        if (part.children) return render(part.children);
        return defaults.get(part.index) ?? "";
      })
      .join("");
  collect(parts);
  // Decided on the raw lines, before rendering: only there is "alone on its line" visible.
  const lone = /^([ \t]*)(?:\$(\d+)|\$\{(\d+)\})[ \t]*$/gm;
  const withPass = body.replace(lone, (whole, indent: string, simple?: string, braced?: string) =>
    defaults.has(Number(simple ?? braced)) ? whole : `${indent}pass`,
  );
  return render(parseSnippet(withPass));
}

/** Leading tabs (VS Code's indentation marks in a snippet body) replaced by `unit`. */
export function indentWith(text: string, unit: string): string {
  return text.replace(/^\t+/gm, (tabs) => unit.repeat(tabs.length));
}

// ---- "Insert example" ------------------------------------------------------------------------

/** Rules whose better pattern is a snippet: the quick fix list offers to insert it as an example. */
const EXAMPLE_FOR_RULE: Readonly<Record<string, string>> = {
  PYM003: "pym-process-pool",
  PYM006: "pym-bfs-deque",
};

const INSERT_EXAMPLE: LocalizedText = {
  en: "Insert example: {name}",
  ko: "예제 삽입: {name}",
  "zh-cn": "插入示例：{name}",
};

/**
 * For a finding whose rule points to a better pattern, the edit that inserts that pattern's
 * snippet (placeholders at their defaults) as a new top-level block right after the top-level
 * statement that holds the finding: next to the code it is meant to replace, never inside it,
 * so it cannot change the indentation or meaning of what is there. Undefined when no example fits
 * or when the statement does not parse (the result might not either).
 */
export function exampleInsertion(document: TextDocument, tree: Tree, finding: Finding, locale: Locale): { title: string; edit: LspTextEdit } | undefined {
  const prefix = EXAMPLE_FOR_RULE[finding.code];
  const snippet = prefix ? snippetByPrefix(prefix) : undefined;
  if (!snippet) return undefined;
  const statement = topLevelStatement(tree, finding);
  if (!statement || statement.hasError) return undefined;
  const text = document.getText();
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const end = statement.endPosition;
  const lastRow = end.column === 0 && end.row > statement.startPosition.row ? end.row - 1 : end.row;
  const lineText = (row: number) => document.getText({ start: { line: row, character: 0 }, end: { line: row + 1, character: 0 } }).replace(/\r?\n$/, "");
  // PEP 8: two blank lines around top-level definitions. Count those already below the statement.
  let blanks = 0;
  let following = false;
  for (let row = lastRow + 1; row < document.lineCount; row++) {
    if (lineText(row).trim() === "") {
      blanks++;
      continue;
    }
    following = true;
    break;
  }
  const code = indentWith(fillDefaults(snippet.body), indentUnit(tree, document)).split("\n").join(eol);
  const after = following ? eol.repeat(Math.max(0, 2 - blanks)) : "";
  const at = { line: lastRow, character: lineText(lastRow).length };
  return {
    title: fillTemplate(INSERT_EXAMPLE[locale] || INSERT_EXAMPLE.en, { name: snippet.name }),
    edit: { range: { start: at, end: at }, newText: `${eol}${eol}${eol}${code}${after}` },
  };
}

function topLevelStatement(tree: Tree, finding: Finding): Node | undefined {
  let node: Node | null = tree.rootNode.descendantForPosition(finding.range.start);
  while (node?.parent && node.parent.type !== "module") node = node.parent;
  return node && node.type !== "module" ? node : undefined;
}

/** The file's indentation unit (its first indented block's), so inserted code matches it; else four spaces. */
export function indentUnit(tree: Tree, document: TextDocument): string {
  for (const statement of tree.rootNode.namedChildren) {
    const block = statement.descendantsOfType("block")[0];
    // A block on its header's line (`if x: pass`) shows no indentation: look further.
    if (!block || block.startPosition.column === 0) continue;
    const row = block.startPosition.row;
    const indent = document.getText({ start: { line: row, character: 0 }, end: { line: row, character: block.startPosition.column } });
    if (/^[ \t]+$/.test(indent)) return indent;
  }
  return "    ";
}
