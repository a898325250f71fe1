import type { Node } from "web-tree-sitter";
import type { SemanticModel } from "../model/semantic-model";
import { boundValues } from "./bound-values";
import { containsYield } from "./syntax";

/** Calls whose result is not an instance of the callee, by qualified name. */
const RETURNS: ReadonlyMap<string, string> = new Map([
  ["asyncio.get_running_loop", "asyncio.AbstractEventLoop"],
  ["asyncio.get_event_loop", "asyncio.AbstractEventLoop"],
  ["asyncio.new_event_loop", "asyncio.AbstractEventLoop"],
  ["multiprocessing.get_context", "multiprocessing.context.BaseContext"],
]);

/** Classes spelled in lower case, so the capitalised-name convention does not find them. */
const LOWER_CASE_CLASSES = new Set([
  "builtins.list",
  "builtins.dict",
  "builtins.set",
  "builtins.frozenset",
  "builtins.tuple",
  "builtins.str",
  "builtins.bytes",
  "builtins.bytearray",
  "collections.deque",
  "collections.defaultdict",
]);

const DISPLAY_TYPES: Readonly<Record<string, string>> = {
  list: "builtins.list",
  list_comprehension: "builtins.list",
  dictionary: "builtins.dict",
  dictionary_comprehension: "builtins.dict",
  set: "builtins.set",
  set_comprehension: "builtins.set",
  string: "builtins.str",
  concatenated_string: "builtins.str",
};

/**
 * The class of the object an expression evaluates to, when the file shows it plainly: a display
 * (`[]` is a list), a call of an imported or builtin class (`ThreadPoolExecutor()`), a few known
 * factories (`asyncio.get_running_loop()`), a call of a generator function defined in the file,
 * or a name whose every binding in its scope is one of those. Undefined whenever it is a guess.
 */
export function instanceType(model: SemanticModel, expression: Node, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const display = DISPLAY_TYPES[expression.type];
  if (display) return display;
  if (expression.type === "parenthesized_expression" && expression.namedChildCount === 1) {
    const inner = expression.namedChild(0);
    return inner ? instanceType(model, inner, depth + 1) : undefined;
  }
  if (expression.type === "call") return callResultType(model, expression);
  if (expression.type === "identifier") return nameType(model, expression, depth);
  return undefined;
}

function callResultType(model: SemanticModel, call: Node): string | undefined {
  const callee = call.childForFieldName("function");
  if (!callee) return undefined;
  const qualified = model.qualifiedName(callee);
  if (qualified) {
    const known = RETURNS.get(qualified);
    if (known) return known;
    const last = qualified.slice(qualified.lastIndexOf(".") + 1);
    return LOWER_CASE_CLASSES.has(qualified) || /^[A-Z]/.test(last) ? qualified : undefined;
  }
  if (callee.type !== "identifier") return undefined;
  const binding = model.binding(callee);
  if (binding?.kind !== "function" || !binding.definition) return undefined;
  if (!containsYield(binding.definition)) return undefined;
  return binding.definition.firstChild?.type === "async" ? "types.AsyncGeneratorType" : "types.GeneratorType";
}

function nameType(model: SemanticModel, identifier: Node, depth: number): string | undefined {
  const values = boundValues(model, identifier, { namedExpressions: true });
  if (!values) return undefined;
  const types = values.map((value) => instanceType(model, value, depth + 1));
  return types.every((type) => type !== undefined && type === types[0]) ? types[0] : undefined;
}
