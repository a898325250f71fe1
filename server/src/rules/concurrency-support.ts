import type { Node } from "web-tree-sitter";
import type { TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { localBindings } from "../analysis/scopes";

/**
 * Scope and import helpers shared by the concurrency rules (PYM003, PYM007, PYM014, PYM016):
 * where a call runs (module level, an `async def`, a nested `def`), what a local name was bound
 * to, and how a fix can name a module the file may or may not import yet.
 */

const SCOPE_TYPES = new Set(["function_definition", "lambda", "class_definition"]);

/** The innermost `def`, `lambda` or `class` around a node, or null when it runs at module level. */
export function enclosingScope(node: Node): Node | null {
  for (let parent = node.parent; parent; parent = parent.parent) if (SCOPE_TYPES.has(parent.type)) return parent;
  return null;
}

export function isAsyncDef(node: Node | null): boolean {
  return node?.type === "function_definition" && node.child(0)?.type === "async";
}

/** True for the `if` of `if __name__ == "__main__":` (any condition that reads `__name__`). */
export function isMainGuard(statement: Node): boolean {
  if (statement.type !== "if_statement") return false;
  const condition = statement.childForFieldName("condition");
  return condition !== null && /\b__name__\b/.test(condition.text);
}

/** Module-level code that every import of the file runs: outside functions, classes and `if __name__ ...`. */
export function runsOnImport(node: Node): boolean {
  if (enclosingScope(node)) return false;
  for (let parent = node.parent; parent; parent = parent.parent) if (isMainGuard(parent)) return false;
  return true;
}

/** The statement directly under the module that contains a node. */
export function topStatement(node: Node): Node {
  let current = node;
  while (current.parent && current.parent.type !== "module") current = current.parent;
  return current;
}

/** Arguments of a call without keywords: `f(a, b, key=c)` gives a, b (null for `f(*args)` or a generator argument). */
export function positionalArguments(call: Node): Node[] | null {
  const args = call.childForFieldName("arguments");
  if (!args || args.type !== "argument_list") return null;
  const positional: Node[] = [];
  for (const arg of args.namedChildren) {
    if (!arg || arg.type === "comment") continue;
    if (arg.type === "keyword_argument") continue;
    if (arg.type === "list_splat" || arg.type === "dictionary_splat") return null;
    positional.push(arg);
  }
  return positional;
}

export function keywordArgument(call: Node, name: string): Node | null {
  const args = call.childForFieldName("arguments");
  if (!args || args.type !== "argument_list") return null;
  for (const arg of args.namedChildren) {
    if (arg?.type === "keyword_argument" && arg.childForFieldName("name")?.text === name) return arg.childForFieldName("value");
  }
  return null;
}

export function hasKeywordArguments(call: Node): boolean {
  const args = call.childForFieldName("arguments");
  return args?.type === "argument_list" && args.namedChildren.some((arg) => arg?.type === "keyword_argument" || arg?.type === "dictionary_splat");
}

/** The function or module whose own scope binds this identifier (Python's rules, imports aside). */
function bindingScope(ctx: RuleContext, identifier: Node): Node | undefined {
  const name = identifier.text;
  for (let scope = identifier.parent; scope; scope = scope.parent) {
    if (scope.type !== "function_definition" && scope.type !== "lambda") continue;
    if (localBindings(scope).has(name)) return scope;
  }
  if (ctx.file.imports.has(name)) return undefined;
  return localBindings(ctx.tree.rootNode).has(name) ? ctx.tree.rootNode : undefined;
}

/**
 * What a local name holds, when every binding of it in its scope is `name = value` or
 * `with value as name`: those values. Undefined when the name is a parameter, imported, bound
 * any other way (loop target, tuple unpacking, `+=`, `global` elsewhere), or not bound at all.
 */
export function boundValues(ctx: RuleContext, identifier: Node): Node[] | undefined {
  if (identifier.type !== "identifier") return undefined;
  const scope = bindingScope(ctx, identifier);
  if (!scope) return undefined;
  const name = identifier.text;
  if (scope.type !== "module" && localBindings(scope).get(name)?.kind === "parameter") return undefined;
  const values: Node[] = [];
  let unknown = false;
  const mentions = (target: Node | null): boolean =>
    target !== null && (target.type === "identifier" ? target.text === name : target.descendantsOfType("identifier").some((id) => id?.text === name));
  const visit = (node: Node, nested: boolean): void => {
    for (const child of node.namedChildren) {
      if (!child || unknown) continue;
      switch (child.type) {
        case "function_definition":
        case "class_definition":
          if (!nested && child.childForFieldName("name")?.text === name) unknown = true;
          visit(child, true);
          continue;
        case "lambda":
          visit(child, true);
          continue;
        case "global_statement":
        case "nonlocal_statement":
          if (child.namedChildren.some((id) => id?.text === name)) unknown = true;
          continue;
      }
      if (!nested) {
        if (child.type === "assignment") {
          const left = child.childForFieldName("left");
          const right = child.childForFieldName("right");
          if (left?.type === "identifier" && left.text === name) {
            if (!right || right.type === "assignment" || right.type === "augmented_assignment") unknown = true;
            else values.push(right);
          } else if (mentions(left) && left?.type !== "attribute" && left?.type !== "subscript") {
            unknown = true;
          }
        } else if (child.type === "augmented_assignment" || child.type === "for_statement" || child.type === "for_in_clause") {
          const left = child.childForFieldName("left");
          if (left?.type === "identifier" ? left.text === name : left?.type !== "attribute" && left?.type !== "subscript" && mentions(left)) unknown = true;
        } else if (child.type === "named_expression") {
          if (child.childForFieldName("name")?.text === name) unknown = true;
        } else if (child.type === "as_pattern_target" && mentions(child)) {
          const pattern = child.parent;
          const value = pattern?.namedChild(0);
          const target = child.namedChild(0);
          if (pattern?.parent?.type === "with_item" && target?.type === "identifier" && value) values.push(value);
          else unknown = true;
        }
      }
      visit(child, nested);
    }
  };
  const body = scope.type === "module" ? scope : scope.childForFieldName("body");
  if (body) visit(body, false);
  return unknown || values.length === 0 ? undefined : values;
}

/**
 * True when the file imports one of these modules (or something from them). A cheap first test:
 * names only resolve to, say, `requests.get` through an import, so without one a rule can stop.
 */
export function importsAny(ctx: RuleContext, modules: readonly string[]): boolean {
  for (const qualified of ctx.file.imports.values()) {
    if (modules.some((module) => qualified === module || qualified.startsWith(`${module}.`))) return true;
  }
  return false;
}

/** Is this import statement's binding visible at `at` (it runs at module level or in a function around `at`)? */
function importVisibleAt(statement: Node, at: Node): boolean {
  const scope = enclosingScope(statement);
  if (!scope) return true;
  if (scope.type === "class_definition") return false;
  for (let parent = at.parent; parent; parent = parent.parent) if (parent.id === scope.id) return true;
  return false;
}

/** Names an import statement binds, each with the module or object it stands for. */
function importedNames(statement: Node): { name: string; target: string }[] {
  const names: { name: string; target: string }[] = [];
  if (statement.type === "import_statement") {
    for (const item of statement.childrenForFieldName("name")) {
      if (item?.type === "dotted_name") {
        const first = item.namedChild(0)?.text;
        if (first) names.push({ name: first, target: first });
      } else if (item?.type === "aliased_import") {
        const module = item.childForFieldName("name")?.text;
        const alias = item.childForFieldName("alias")?.text;
        if (module && alias) names.push({ name: alias, target: module });
      }
    }
  } else if (statement.type === "import_from_statement") {
    const module = statement.childForFieldName("module_name")?.text ?? "?";
    for (const item of statement.childrenForFieldName("name")) {
      if (item?.type === "dotted_name") names.push({ name: item.text, target: `${module}.${item.text}` });
      else if (item?.type === "aliased_import") {
        const name = item.childForFieldName("name")?.text;
        const alias = item.childForFieldName("alias")?.text;
        if (name && alias) names.push({ name: alias, target: `${module}.${name}` });
      }
    }
    if (statement.namedChildren.some((child) => child?.type === "wildcard_import")) names.push({ name: "*", target: module });
  }
  return names;
}

/** True when `name` is bound by a function around `at` or at module level (imports aside). */
function locallyBound(ctx: RuleContext, name: string, at: Node): boolean {
  for (let scope = at.parent; scope; scope = scope.parent) {
    if ((scope.type === "function_definition" || scope.type === "lambda") && localBindings(scope).has(name)) return true;
  }
  return localBindings(ctx.tree.rootNode).has(name);
}

export interface NameReference {
  /** The text that names the module or object at `at`: `asyncio`, `aio`, `ProcessPoolExecutor`. */
  text: string;
  /** An edit that adds the import when the file does not have one yet. */
  importEdit?: TextEdit;
}

/**
 * How code at `at` can refer to `target` (a module such as `asyncio`, or an object such as
 * `concurrent.futures.ProcessPoolExecutor`): through a name the file already imports and does not
 * shadow there, or else through `preferred`, adding `importLine` at the top of the module when
 * that name is free. Undefined when `preferred` already means something else.
 */
export function referenceTo(ctx: RuleContext, target: string, preferred: string, importLine: string, at: Node): NameReference | undefined {
  // Module-level imports (from the tree: they may sit in another top-level statement than `at`)
  // and the imports of the functions around `at` (always in the same one).
  const isImport = (node: Node | null): node is Node => node?.type === "import_statement" || node?.type === "import_from_statement";
  const moduleLevel = ctx.tree.rootNode.namedChildren.filter(isImport);
  const nested = [...ctx.nodes("import_statement"), ...ctx.nodes("import_from_statement")].filter(
    (statement) => statement.parent?.type !== "module" && importVisibleAt(statement, at),
  );
  const statements = [...moduleLevel, ...nested];
  if (statements.some((statement) => importedNames(statement).some((item) => item.name === "*"))) return undefined;
  for (const statement of statements) {
    if (!importVisibleAt(statement, at)) continue;
    for (const item of importedNames(statement)) {
      if (item.target === target && !locallyBound(ctx, item.name, at)) return { text: item.name };
    }
  }
  const clash = statements.some((statement) => importedNames(statement).some((item) => item.name === preferred && item.target !== target));
  if (clash || locallyBound(ctx, preferred, at)) return undefined;
  const importEdit = importInsertion(ctx, importLine);
  return importEdit ? { text: preferred, importEdit } : undefined;
}

/** Inserts an import line at the top of the module: after the docstring and `from __future__` imports. */
export function importInsertion(ctx: RuleContext, line: string): TextEdit | undefined {
  let previous: Node | null = null;
  const newline = ctx.text.includes("\r\n") ? "\r\n" : "\n";
  for (const statement of ctx.tree.rootNode.namedChildren) {
    if (!statement || statement.type === "comment") continue;
    const docstring = previous === null && statement.type === "expression_statement" && statement.namedChildCount === 1 && statement.namedChild(0)?.type === "string";
    const future =
      statement.type === "future_import_statement" ||
      (statement.type === "import_from_statement" && statement.childForFieldName("module_name")?.text === "__future__");
    if (docstring || future) {
      previous = statement;
      continue;
    }
    if (statement.startPosition.column !== 0) return undefined;
    if (previous && previous.endPosition.row >= statement.startPosition.row) return undefined;
    const at = { row: statement.startPosition.row, column: 0 };
    return { range: { start: at, end: at }, newText: line + newline };
  }
  return undefined;
}
