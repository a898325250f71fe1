import type { Node } from "web-tree-sitter";
import type { FileContext } from "./file-context";

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
export function instanceType(file: FileContext, expression: Node, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const display = DISPLAY_TYPES[expression.type];
  if (display) return display;
  if (expression.type === "parenthesized_expression" && expression.namedChildCount === 1) {
    const inner = expression.namedChild(0);
    return inner ? instanceType(file, inner, depth + 1) : undefined;
  }
  if (expression.type === "call") return callResultType(file, expression);
  if (expression.type === "identifier") return nameType(file, expression, depth);
  return undefined;
}

function callResultType(file: FileContext, call: Node): string | undefined {
  const callee = call.childForFieldName("function");
  if (!callee) return undefined;
  const qualified = file.qualifiedName(callee);
  if (qualified) {
    const known = RETURNS.get(qualified);
    if (known) return known;
    const last = qualified.slice(qualified.lastIndexOf(".") + 1);
    return LOWER_CASE_CLASSES.has(qualified) || /^[A-Z]/.test(last) ? qualified : undefined;
  }
  if (callee.type !== "identifier") return undefined;
  const binding = file.binding(callee);
  if (binding?.kind !== "function" || !binding.node) return undefined;
  if (!containsYield(binding.node)) return undefined;
  return binding.node.firstChild?.type === "async" ? "types.AsyncGeneratorType" : "types.GeneratorType";
}

function nameType(file: FileContext, identifier: Node, depth: number): string | undefined {
  const binding = file.binding(identifier);
  if (binding?.kind !== "assignment") return undefined;
  const scope = file.bindingScope(identifier);
  const body = scope?.type === "module" ? scope : scope?.childForFieldName("body");
  if (!body) return undefined;
  const values = bindingValues(body, identifier.text);
  if (!values || values.length === 0) return undefined;
  const types = values.map((value) => instanceType(file, value, depth + 1));
  return types.every((type) => type !== undefined && type === types[0]) ? types[0] : undefined;
}

/**
 * The values assigned to `name` in one scope: `name = value`, `with value as name`, `name := value`.
 * Null when some binding's value is not a single expression (a loop target, unpacking, `+=`).
 */
function bindingValues(body: Node, name: string): Node[] | null {
  const values: Node[] = [];
  let opaque = false;
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child || opaque) continue;
      if (child.type === "function_definition" || child.type === "class_definition" || child.type === "lambda") continue;
      if (child.type === "assignment") {
        const left = child.childForFieldName("left");
        let right = child.childForFieldName("right");
        while (right?.type === "assignment") right = right.childForFieldName("right"); // a = b = X()
        if (left?.type === "identifier" && left.text === name) {
          if (right) values.push(right);
          else opaque = true; // an annotation alone binds nothing we can see
        } else if (left && bindsName(left, name)) opaque = true;
      } else if (child.type === "augmented_assignment" || child.type === "for_statement" || child.type === "for_in_clause") {
        const left = child.childForFieldName("left");
        if (left && bindsName(left, name)) opaque = true;
      } else if (child.type === "as_pattern") {
        const target = child.childForFieldName("alias") ?? child.namedChild(1);
        const value = child.namedChild(0);
        if (target && bindsName(target, name)) {
          if (target.type === "as_pattern_target" && target.namedChild(0)?.type === "identifier" && value) values.push(value);
          else opaque = true;
        }
      } else if (child.type === "named_expression") {
        const target = child.childForFieldName("name");
        const value = child.childForFieldName("value");
        if (target?.text === name && value) values.push(value);
      }
      visit(child);
    }
  };
  visit(body);
  return opaque ? null : values;
}

function bindsName(target: Node, name: string): boolean {
  if (target.type === "identifier") return target.text === name;
  if (target.type === "attribute" || target.type === "subscript") return false;
  return target.namedChildren.some((child) => child !== null && bindsName(child, name));
}

/** True when the function's own body (not nested functions or lambdas) contains `yield`. */
function containsYield(definition: Node): boolean {
  const body = definition.childForFieldName("body");
  const search = (node: Node): boolean =>
    node.namedChildren.some((child) => {
      if (!child) return false;
      if (child.type === "yield") return true;
      if (child.type === "function_definition" || child.type === "class_definition" || child.type === "lambda") return false;
      return search(child);
    });
  return body ? search(body) : false;
}
