import type { Node } from "web-tree-sitter";

/**
 * A run of whole rows that holds one or more top-level statements (with the comments after
 * them). Chunks never share a row, so a finding, its `# noqa` comment and its fix edits all stay
 * inside one chunk, and an unchanged chunk's findings only move by whole rows.
 */
export interface Chunk {
  startRow: number;
  /** Exclusive. */
  endRow: number;
  text: string;
  /** The top-level nodes that start in it. */
  nodes: Node[];
}

export function topLevelChunks(root: Node, lines: readonly string[]): Chunk[] {
  const chunks: Chunk[] = [];
  let lastEndRow = -1;
  for (const node of root.children) {
    if (!node) continue;
    const start = node.startPosition.row;
    const current = chunks[chunks.length - 1];
    // A statement that starts on the row where the previous one ended shares its chunk.
    if (current && start <= lastEndRow) current.nodes.push(node);
    else chunks.push({ startRow: start, endRow: start, text: "", nodes: [node] });
    lastEndRow = Math.max(lastEndRow, node.endPosition.row);
  }
  if (chunks.length === 0) return [{ startRow: 0, endRow: lines.length, text: lines.join("\n"), nodes: [] }];
  chunks[0].startRow = 0;
  for (let i = 0; i < chunks.length; i++) {
    chunks[i].endRow = i + 1 < chunks.length ? chunks[i + 1].startRow : lines.length;
    chunks[i].text = lines.slice(chunks[i].startRow, chunks[i].endRow).join("\n");
  }
  return chunks;
}

/**
 * What other chunks may learn from this one through the engine: the names it binds at module
 * level and how (def, class, assignment), the headers of its functions and classes (decorators,
 * `async`, parameters, bases), the method headers and class-level assignments inside classes,
 * and the full text of every other module-level statement (assignments, `if __name__` blocks).
 * Function bodies are left out: a keystroke inside one leaves the summary unchanged, so the other
 * chunks' findings are reused. Rules that read another chunk's function body add their own
 * summary (`Rule.summarize`).
 */
export function chunkSummary(chunk: Chunk): string {
  return chunk.nodes.map(statementSummary).join("\n");
}

function statementSummary(node: Node): string {
  const definition = node.type === "decorated_definition" ? node.childForFieldName("definition") : node;
  if (definition?.type === "function_definition") return header(node, definition);
  if (definition?.type === "class_definition") {
    const body = definition.childForFieldName("body");
    const members = (body?.namedChildren ?? []).map((member) => (member ? statementSummary(member) : "")).join("\n  ");
    return `${header(node, definition)}\n  ${members}`;
  }
  return node.text;
}

/** Everything before a definition's body: decorators, `async def name(params) -> T:` or `class C(B):`. */
function header(outer: Node, definition: Node): string {
  const body = definition.childForFieldName("body");
  const end = body ? body.startIndex : definition.endIndex;
  return outer.text.slice(0, end - outer.startIndex);
}
