import type { Node } from "web-tree-sitter";

/**
 * The units of reuse: a run of top-level statements, or, for a top-level class, the class's own
 * statements and each of its methods apart. Units never share a row, so a finding, its `# noqa`
 * comment and its fix edits stay inside one unit, and an unchanged unit's findings only move by
 * whole rows.
 */
export type UnitKind = "statements" | "class" | "method";

export interface Unit {
  kind: UnitKind;
  /** The rows the unit owns: [startRow, endRow). A class unit owns its rows minus its methods'. */
  startRow: number;
  endRow: number;
  /**
   * What the unit's findings and facts are reused under (with its kind). A statements unit's is
   * its rows' text. A class's is its skeleton: its rows with each method's body left out, which
   * fixes its header, its class-level statements and every method's signature. A method's is its
   * own rows, reused only within a class of the same skeleton (the engine keys it by both): what a
   * method's code sees of its class never changes without one of the two changing.
   */
  text: string;
  /** The top-level statements (statements), the class statement (class), or the method (method). */
  nodes: Node[];
  /** For a class: its methods' units. For a method: its class's unit. */
  methods?: Unit[];
  owner?: Unit;
  /** For a class unit: the byte ranges its methods own. */
  holes?: { start: number; end: number }[];
  /** The unit's index in the file's list of units (the fold order). */
  index: number;
  /**
   * False when the unit's own code has syntax errors: tree-sitter's recovery may parse the same
   * text differently next to other code, so nothing found in it is kept for the next analysis.
   */
  stable: boolean;
  /** The id of the class skeleton a class or method unit belongs to (set by the engine's cache). */
  classId?: number;
}

/**
 * How a class's run splits, relative to the run: what `fileUnits` finds once per run text and
 * reuses while the text is the same (a keystroke elsewhere asks the tree nothing about this class).
 */
export interface ClassShape {
  skeleton: string;
  /** Rows relative to the run's first row; offsets relative to the class statement's start. */
  methods: { startRow: number; endRow: number; start: number; end: number; stable: boolean }[];
  /** Whether the class's own statements (all but the split methods) are free of syntax errors. */
  stable: boolean;
}

/** Shapes by run text, from the last analysis; `null` for a run that is no class to split. */
export type ShapeCache = Map<string, ClassShape | null>;

export function fileUnits(root: Node, source: string, lineStarts: readonly number[], shapes: ShapeCache = new Map(), used: ShapeCache = new Map()): Unit[] {
  // Rows [from, to) of the text, without the newline that ends the last one.
  const rows = (from: number, to: number): string =>
    source.slice(lineStarts[from] ?? source.length, to < lineStarts.length ? lineStarts[to] - 1 : source.length);
  const runs = statementRuns(root, lineStarts.length);
  const anyError = root.hasError;
  const units: Unit[] = [];
  for (const run of runs) {
    const text = rows(run.startRow, run.endRow);
    const stable = !anyError || !run.nodes.some((node) => node.hasError);
    // A shape is kept only for a class without errors: recovery may split the same text otherwise.
    let shape = run.nodes.length === 1 && stable ? shapes.get(text) : undefined;
    if (shape === undefined) shape = classShape(run, rows);
    if (run.nodes.length === 1 && stable) used.set(text, shape);
    if (!shape) {
      units.push({ kind: "statements", startRow: run.startRow, endRow: run.endRow, text, nodes: run.nodes, index: units.length, stable });
      continue;
    }
    const statement = run.nodes[0];
    const base = statement.startIndex;
    let members: Map<number, Node> | undefined;
    const memberAt = (index: number): Node | undefined => {
      members ??= membersByStart(statement);
      return members.get(index);
    };
    const classUnit: Unit = {
      kind: "class",
      startRow: run.startRow,
      endRow: run.endRow,
      text: shape.skeleton,
      nodes: run.nodes,
      methods: [],
      holes: shape.methods.map((method) => ({ start: base + method.start, end: base + method.end })),
      index: units.length,
      stable: shape.stable,
    };
    units.push(classUnit);
    for (const method of shape.methods) {
      let node: Node | undefined;
      const unit: Unit = {
        kind: "method",
        startRow: run.startRow + method.startRow,
        endRow: run.startRow + method.endRow,
        text: rows(run.startRow + method.startRow, run.startRow + method.endRow),
        // Found when someone asks: most methods' units are reused without touching their nodes.
        get nodes(): Node[] {
          node ??= memberAt(base + method.start);
          return node ? [node] : [];
        },
        owner: classUnit,
        index: units.length,
        stable: method.stable,
      };
      classUnit.methods?.push(unit);
      units.push(unit);
    }
  }
  return units;
}

/** The split of a run that is one class statement, or null when it is no class or has no method to split off. */
function classShape(run: Run, rows: (from: number, to: number) => string): ClassShape | null {
  const classNode = run.nodes.length === 1 ? classOf(run.nodes[0]) : undefined;
  const methods = classNode ? splitMethods(classNode, run) : [];
  if (!classNode || methods.length === 0) return null;
  // The skeleton: the class's rows with each method's body replaced by nothing.
  const parts: string[] = [];
  let row = run.startRow;
  for (const method of methods) {
    parts.push(rows(row, method.startRow));
    parts.push(headerText(method.node));
    row = method.endRow;
  }
  parts.push(rows(row, run.endRow));
  const statement = run.nodes[0];
  const base = statement.startIndex;
  const broken = statement.hasError;
  const split = new Set(methods.map((method) => method.node.id));
  return {
    skeleton: parts.join("\n\u0001"),
    methods: methods.map((method) => ({
      startRow: method.startRow - run.startRow,
      endRow: method.endRow - run.startRow,
      start: method.node.startIndex - base,
      end: method.node.endIndex - base,
      stable: !broken || !method.node.hasError,
    })),
    stable: !broken || !errorOutside(statement, split),
  };
}

/** Whether a syntax error lies in the node but outside the given subtrees (a class's split methods). */
function errorOutside(node: Node, excluded: ReadonlySet<number>): boolean {
  if (excluded.has(node.id)) return false;
  if (node.type === "ERROR" || node.isMissing) return true;
  if (!node.hasError) return false;
  return node.children.some((child) => child !== null && errorOutside(child, excluded));
}

/** The members of a class statement's body by where they start. */
function membersByStart(statement: Node): Map<number, Node> {
  const members = new Map<number, Node>();
  for (const member of classOf(statement)?.childForFieldName("body")?.namedChildren ?? []) if (member) members.set(member.startIndex, member);
  return members;
}

/** Where each row starts in the text. */
export function lineOffsets(source: string): number[] {
  const starts = [0];
  for (let at = source.indexOf("\n"); at !== -1; at = source.indexOf("\n", at + 1)) starts.push(at + 1);
  return starts;
}

interface Run {
  startRow: number;
  endRow: number;
  nodes: Node[];
}

/** Top-level statements grouped so that no two groups share a row; the rows between go to the group before. */
function statementRuns(root: Node, lineCount: number): Run[] {
  const runs: Run[] = [];
  let lastEndRow = -1;
  for (const node of root.children) {
    if (!node) continue;
    const start = node.startPosition.row;
    const current = runs[runs.length - 1];
    if (current && start <= lastEndRow) current.nodes.push(node);
    else runs.push({ startRow: start, endRow: start, nodes: [node] });
    lastEndRow = Math.max(lastEndRow, node.endPosition.row);
  }
  if (runs.length === 0) return [{ startRow: 0, endRow: lineCount, nodes: [] }];
  runs[0].startRow = 0;
  for (let i = 0; i < runs.length; i++) runs[i].endRow = i + 1 < runs.length ? runs[i + 1].startRow : lineCount;
  return runs;
}

/**
 * The class a top-level statement defines, when it is one (possibly decorated). Syntax errors
 * inside leave it one: tree-sitter keeps the class and its methods around a broken line, so a
 * typo in one method costs that method alone.
 */
function classOf(node: Node): Node | undefined {
  const definition = node.type === "decorated_definition" ? node.childForFieldName("definition") : node;
  return definition?.type === "class_definition" ? definition : undefined;
}

interface MethodSpan {
  node: Node;
  startRow: number;
  endRow: number;
}

/**
 * The methods that can stand as units of their own: those alone on their rows. The rows after a
 * method up to the next class-level statement (blank lines, comments) stay the class's.
 */
function splitMethods(classNode: Node, run: Run): MethodSpan[] {
  const body = classNode.childForFieldName("body");
  if (!body) return [];
  const members = body.namedChildren.filter((member): member is Node => member !== null);
  const spans: MethodSpan[] = [];
  const headerRow = classNode.startPosition.row;
  for (const [i, member] of members.entries()) {
    const definition = member.type === "decorated_definition" ? member.childForFieldName("definition") : member;
    if (definition?.type !== "function_definition") continue;
    const startRow = member.startPosition.row;
    const endRow = member.endPosition.row + 1;
    const before = members[i - 1];
    const after = members[i + 1];
    if (startRow <= headerRow) continue;
    if (before && before.endPosition.row >= startRow) continue;
    if (after && after.startPosition.row < endRow) continue;
    if (endRow > run.endRow) continue;
    spans.push({ node: member, startRow, endRow });
  }
  return spans;
}

/** A definition up to its body: decorators and `def name(params) -> T:`. */
function headerText(node: Node): string {
  const definition = node.type === "decorated_definition" ? node.childForFieldName("definition") : node;
  const body = definition?.childForFieldName("body");
  return body ? node.text.slice(0, body.startIndex - node.startIndex) : node.text;
}

/** The unit that owns a row (units are sorted; a class unit gives way to the method on that row). */
export function unitAtRow(units: readonly Unit[], row: number): Unit | undefined {
  let low = 0;
  let high = units.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (units[middle].startRow <= row) low = middle;
    else high = middle - 1;
  }
  let unit = units[low];
  if (!unit) return undefined;
  if (unit.kind === "method" && row >= unit.endRow && unit.owner) unit = unit.owner;
  return unit;
}

/** True when the row belongs to this unit (a class unit does not own its methods' rows). */
export function ownsRow(unit: Unit, row: number): boolean {
  if (row < unit.startRow || row >= unit.endRow) return false;
  return !(unit.methods ?? []).some((method) => row >= method.startRow && row < method.endRow);
}
