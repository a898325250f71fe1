import type { Node } from "web-tree-sitter";
import type { Unit } from "../engine/units";

/**
 * A fact that a unit gives about itself, read from its own nodes alone (no names resolved, no
 * rows): the attributes a method closes, the names a unit uses as decorators. Computed once per
 * unit text and kept with it, so folding a fact over the file costs one lookup per unit.
 * The value must be plain data that `JSON.stringify` describes fully.
 */
export interface UnitFact<T> {
  name: string;
  extract(nodes: readonly Node[], unit: UnitShape): T;
}

/** What an extractor may know of the unit besides its nodes: nothing that moves with the file. */
export interface UnitShape {
  kind: Unit["kind"];
  /** Byte ranges inside the unit that belong to other units (a class's methods). */
  holes: readonly { start: number; end: number }[];
}

const FACTS = new Map<string, UnitFact<unknown>>();

/** Defines a fact; its name must be unique, since the engine finds it again by name to fold it. */
export function defineFact<T>(name: string, extract: (nodes: readonly Node[], unit: UnitShape) => T): UnitFact<T> {
  if (FACTS.has(name)) throw new Error(`two facts are named ${name}`);
  const fact = { name, extract };
  FACTS.set(name, fact as UnitFact<unknown>);
  return fact;
}

export function factNamed(name: string): UnitFact<unknown> | undefined {
  return FACTS.get(name);
}

/**
 * Calls `visit` on the unit's nodes of these types, in the order `forEachUnitNode` would. Without
 * holes the search runs inside the WebAssembly and hands back only those nodes, several times
 * cheaper than a walk of every node from JavaScript; a class unit's holes need the walk.
 */
export function forEachUnitNodeOfType(nodes: readonly Node[], unit: UnitShape, types: readonly string[], visit: (node: Node) => void): void {
  if (unit.holes.length > 0) {
    forEachUnitNode(nodes, unit, (node) => {
      if (types.includes(node.type)) visit(node);
    });
    return;
  }
  for (const top of nodes) for (const node of top.descendantsOfType(types as string[])) if (node) visit(node);
}

/** Calls `visit` on every node of the unit, in document order, except those inside its holes. */
export function forEachUnitNode(nodes: readonly Node[], unit: UnitShape, visit: (node: Node) => void): void {
  for (const top of nodes) {
    const cursor = top.walk();
    try {
      let descend = true;
      for (;;) {
        const start = cursor.startIndex;
        const inHole = unit.holes.some((hole) => start >= hole.start && start < hole.end);
        if (descend && !inHole) {
          visit(cursor.currentNode);
          if (cursor.gotoFirstChild()) continue;
        }
        if (cursor.gotoNextSibling()) {
          descend = true;
          continue;
        }
        let climbed = false;
        while (cursor.gotoParent()) {
          if (cursor.currentNode.id === top.id) break;
          if (cursor.gotoNextSibling()) {
            climbed = true;
            break;
          }
        }
        if (!climbed) break;
        descend = true;
      }
    } finally {
      cursor.delete();
    }
  }
}
