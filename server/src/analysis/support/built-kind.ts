import type { Node } from "web-tree-sitter";
import type { SemanticModel } from "../model/semantic-model";
import { unparenthesize } from "./syntax";

/**
 * What an expression certainly builds, by table: a display or comprehension by node type, or a
 * call of a known constructor by qualified name (`builtins.list`, `collections.deque`).
 */
export function builtKind(
  model: SemanticModel,
  expression: Node,
  displays: Readonly<Record<string, string>>,
  constructors: Readonly<Record<string, string>>,
): string | undefined {
  const node = unparenthesize(expression);
  const display = displays[node.type];
  if (display) return display;
  if (node.type !== "call") return undefined;
  const callee = node.childForFieldName("function");
  const qualified = callee ? model.qualifiedName(callee) : undefined;
  return qualified ? constructors[qualified] : undefined;
}

/** Displays and comprehensions that build a new mutable container each time they run. */
export const MUTABLE_DISPLAYS: Readonly<Record<string, string>> = {
  list: "list",
  list_comprehension: "list",
  dictionary: "dict",
  dictionary_comprehension: "dict",
  set: "set",
  set_comprehension: "set",
};

/** Constructors (as qualified names) whose result is a mutable container. */
const MUTABLE_CONSTRUCTORS: Readonly<Record<string, string>> = {
  "builtins.list": "list",
  "builtins.dict": "dict",
  "builtins.set": "set",
  "builtins.bytearray": "bytearray",
  "collections.defaultdict": "defaultdict",
  "collections.deque": "deque",
  "collections.OrderedDict": "OrderedDict",
  "collections.Counter": "Counter",
};

/**
 * The type name of the mutable object an expression creates (`list`, `dict`, `deque`...), or
 * undefined when it is not a display, comprehension or call of a known mutable constructor.
 * Names go through the file's imports, so `from collections import deque as dq; dq()` counts and a
 * local function called `list` does not.
 */
export function mutableKind(model: SemanticModel, expression: Node): string | undefined {
  return builtKind(model, expression, MUTABLE_DISPLAYS, MUTABLE_CONSTRUCTORS);
}

/** True when the expression certainly builds a list: `[...]`, a list comprehension, or `list(...)`. */
export function buildsList(model: SemanticModel, expression: Node): boolean {
  return builtKind(model, expression, { list: "list", list_comprehension: "list" }, { "builtins.list": "list" }) === "list";
}
