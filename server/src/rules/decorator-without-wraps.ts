import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import type { Fix, TextEdit } from "../analysis/finding";
import { localBindings, type Binding } from "../analysis/scopes";

const NESTED_SCOPES = new Set(["function_definition", "lambda", "class_definition"]);
const RECEIVERS = new Set(["self", "cls", "mcs", "mcls", "metacls", "klass"]);

/**
 * A decorator whose wrapper does not copy the wrapped function's metadata: a def with a plain
 * parameter, an inner def (the wrapper) that calls that parameter, and `return wrapper`, with
 * no decorator on the wrapper. The decorator-factory shape is the same test one level down.
 * To leave ordinary closures alone, the wrapper must forward its own `*args`/`**kwargs` to the
 * call, or the file must apply the decorator (or its factory) with `@`. Quiet when the wrapper
 * has any decorator or a docstring of its own, when it is handed to a helper
 * (`update_wrapper(wrapper, func)`) or a dunder attribute of it is assigned, when it never
 * calls the parameter, and when something else is returned.
 */
export const decoratorWithoutWrapsRule: Rule = {
  code: "PYM013",
  name: "decorator-without-wraps",
  knowledge: "decorator-without-wraps",
  severity: "warning",
  nodeTypes: ["function_definition", "decorator"],
  messages: {
    message: {
      en: "`{wrapper}` replaces `{param}` without `@functools.wraps({param})`, so the decorated function reports the name `{wrapper}` and loses its docstring, `__qualname__` and `__wrapped__`.",
      ko: "`{wrapper}`가 `@functools.wraps({param})` 없이 `{param}`을 대신하므로, 데코레이트된 함수의 이름이 `{wrapper}`로 바뀌고 독스트링, `__qualname__`, `__wrapped__`도 사라집니다.",
      "zh-cn": "`{wrapper}` 在没有 `@functools.wraps({param})` 的情况下替换了 `{param}`，因此被装饰的函数名字会变成 `{wrapper}`，文档字符串、`__qualname__` 和 `__wrapped__` 也都丢失了。",
    },
    fix: { en: "Add @{decorator}({param})", ko: "@{decorator}({param}) 추가", "zh-cn": "添加 @{decorator}({param})" },
  },
  // Whether a wrapper's decorator is applied anywhere in the file: every chunk tells its `@` names.
  summarize(ctx) {
    return [...decoratorNames(ctx)].sort().join(" ");
  },
  check(ctx) {
    const findings = [];
    const bindingsOf = localBindings;
    let used: Set<string> | undefined;
    for (const outer of ctx.nodes("function_definition")) {
      const body = outer.childForFieldName("body");
      // A wrapper is a def inside: most functions have none, and their text says so at once.
      if (!body || !/\bdef\s/.test(body.text)) continue;
      const returned = returnedNames(body);
      if (returned.size === 0) continue;
      const outerBindings = bindingsOf(outer);
      for (const wrapper of innerDefinitions(body)) {
        const name = wrapper.childForFieldName("name");
        if (!name || !returned.has(name.text)) continue;
        // Decorated wrappers may copy the metadata themselves (a custom wraps, a caching decorator...).
        if (wrapper.parent?.type === "decorated_definition") continue;
        // The name must mean this def alone: `wrapper = wraps(f)(wrapper)` rebinds it.
        const binding = outerBindings.get(name.text);
        if (binding?.kind !== "function" || !binding.node?.equals(wrapper)) continue;
        const called = calledParameter(wrapper, outer, bindingsOf);
        if (!called) continue;
        const { param } = called;
        // Only decorators: a generic `*args, **kwargs` wrapper, or a function this file applies with `@`.
        used ??= new Set(ctx.summaries().flatMap((names) => names.split(" ").filter(Boolean)));
        if (!forwardsArguments(wrapper, called.calls, bindingsOf) && !usedAsDecorator(outer, used)) continue;
        // A wrapper with its own docstring presents itself as a new function; wraps would overwrite that.
        if (hasDocstring(wrapper)) continue;
        if (copiesMetadata(body, name.text)) continue;
        findings.push(
          ctx.finding(
            { start: wrapper.startPosition, end: name.endPosition },
            ctx.t("message", { wrapper: name.text, param }),
            addWraps(ctx, wrapper, param, bindingsOf),
          ),
        );
      }
    }
    return findings;
  },
};

function hasDocstring(definition: Node): boolean {
  const first = definition.childForFieldName("body")?.namedChildren.find((child) => child?.type !== "comment");
  const value = first?.type === "expression_statement" && first.namedChildCount === 1 ? first.namedChild(0) : null;
  return value?.type === "string" || value?.type === "concatenated_string";
}

/** Names that the function returns bare: `return wrapper`. */
function returnedNames(body: Node): Set<string> {
  const names = new Set<string>();
  // The search runs inside the WebAssembly; only the function's own returns count, not those of nested scopes.
  for (const statement of body.descendantsOfType("return_statement")) {
    if (!statement) continue;
    let owner = statement.parent;
    while (owner && owner.id !== body.id && !NESTED_SCOPES.has(owner.type)) owner = owner.parent;
    if (owner?.id !== body.id) continue;
    const value = statement.namedChildren.find((candidate) => candidate?.type !== "comment");
    if (value?.type === "identifier") names.add(value.text);
  }
  return names;
}

/** The defs a function body holds in its own scope (inside `if`/`try` too, not inside nested scopes). */
function innerDefinitions(body: Node): Node[] {
  const found: Node[] = [];
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "function_definition") {
        found.push(child);
        continue;
      }
      if (child.type === "class_definition" || child.type === "lambda") continue;
      visit(child);
    }
  };
  visit(body);
  return found;
}

/**
 * The outer function's parameter that the wrapper calls itself (`func(*args, **kwargs)`, not
 * in a nested function), where the name still means that parameter. Only a plain
 * parameter counts: one with a default, `*args`, or a method's `self`/`cls` is not the function
 * being decorated. Returns the calls too.
 */
function calledParameter(
  wrapper: Node,
  outer: Node,
  bindingsOf: (scope: Node) => ReadonlyMap<string, Binding>,
): { param: string; calls: Node[] } | undefined {
  const candidates = plainParameters(outer);
  let param: string | undefined;
  const calls: Node[] = [];
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      // Calls in nested functions run later or elsewhere (a factory's inner decorator).
      if (!child || NESTED_SCOPES.has(child.type)) continue;
      if (child.type === "call") {
        const callee = child.childForFieldName("function");
        if (
          callee?.type === "identifier" &&
          candidates.has(callee.text) &&
          (param === undefined || param === callee.text) &&
          meansOuter(callee, outer, bindingsOf)
        ) {
          param = callee.text;
          calls.push(child);
        }
      }
      visit(child);
    }
  };
  const body = wrapper.childForFieldName("body");
  if (body) visit(body);
  return param ? { param, calls } : undefined;
}

/** Parameters without defaults or stars, minus the receiver of a method. */
function plainParameters(outer: Node): Set<string> {
  const names = new Set<string>();
  const parameters = outer.childForFieldName("parameters")?.namedChildren ?? [];
  let owner: Node | null = outer.parent;
  if (owner?.type === "decorated_definition") owner = owner.parent;
  const isMethod = owner?.type === "block" && owner.parent?.type === "class_definition";
  let first = true;
  for (const parameter of parameters) {
    if (!parameter || parameter.type === "comment") continue;
    const name =
      parameter.type === "identifier" ? parameter.text : parameter.type === "typed_parameter" ? parameter.namedChild(0)?.text : undefined;
    // A method's receiver is not the decorated function; a plain helper in a class body
    // (`def _deprecate(func)` used while the class is built) keeps its first parameter.
    const skip = first && isMethod && !isStaticMethod(outer) && RECEIVERS.has(name ?? "");
    first = false;
    if (name && parameter.namedChild(0)?.type !== "list_splat_pattern" && parameter.namedChild(0)?.type !== "dictionary_splat_pattern" && !skip) {
      names.add(name);
    }
  }
  return names;
}

function isStaticMethod(method: Node): boolean {
  const decorated = method.parent;
  if (decorated?.type !== "decorated_definition") return false;
  return decorated.namedChildren.some((child) => child?.type === "decorator" && child.text.replace(/\s/g, "") === "@staticmethod");
}

/** The wrapper hands its own `*args` / `**kwargs`, unchanged, to the wrapped call: a generic wrapper. */
function forwardsArguments(wrapper: Node, calls: readonly Node[], bindingsOf: (scope: Node) => ReadonlyMap<string, Binding>): boolean {
  const stars = new Set<string>();
  const own = bindingsOf(wrapper);
  for (const parameter of wrapper.childForFieldName("parameters")?.namedChildren ?? []) {
    if (parameter?.type === "list_splat_pattern" || parameter?.type === "dictionary_splat_pattern") {
      const name = parameter.namedChild(0)?.text;
      // `args = list(args)` makes them new values: the call no longer forwards what came in.
      if (name && own.get(name)?.kind === "parameter") stars.add(name);
    }
  }
  if (stars.size === 0) return false;
  return calls.some((call) =>
    (call.childForFieldName("arguments")?.namedChildren ?? []).some(
      (argument) =>
        (argument?.type === "list_splat" || argument?.type === "dictionary_splat") && stars.has(argument.namedChild(0)?.text ?? ""),
    ),
  );
}

/** Names used as `@name` or `@name(...)` in this part of the file. */
function decoratorNames(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const decorator of ctx.nodes("decorator")) {
    let target = decorator.namedChildren.find((child) => child?.type !== "comment") ?? null;
    if (target?.type === "call") target = target.childForFieldName("function");
    if (target?.type === "identifier") names.add(target.text);
    else if (target?.type === "attribute") {
      const attribute = target.childForFieldName("attribute")?.text;
      if (attribute) names.add(attribute);
    }
  }
  return names;
}

/** The decorator, or the factory that returns it, is applied with `@` in this file. */
function usedAsDecorator(outer: Node, used: ReadonlySet<string>): boolean {
  const name = outer.childForFieldName("name")?.text;
  if (name && used.has(name)) return true;
  for (let scope = outer.parent; scope; scope = scope.parent) {
    if (scope.type !== "function_definition") continue;
    const factory = scope.childForFieldName("name")?.text;
    const body = scope.childForFieldName("body");
    return factory !== undefined && used.has(factory) && body !== null && name !== undefined && returnedNames(body).has(name);
  }
  return false;
}

function meansOuter(identifier: Node, outer: Node, bindingsOf: (scope: Node) => ReadonlyMap<string, Binding>): boolean {
  for (let scope = identifier.parent; scope && !scope.equals(outer); scope = scope.parent) {
    if ((scope.type === "function_definition" || scope.type === "lambda") && bindingsOf(scope).has(identifier.text)) return false;
  }
  return true;
}

/**
 * `update_wrapper(...)` anywhere in the decorator, the wrapper handed to any call (a helper may
 * copy the metadata), or `wrapper.__name__ = ...` / `wrapper.__wrapped__ = ...`.
 */
function copiesMetadata(body: Node, wrapper: string): boolean {
  let copies = false;
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child || copies) continue;
      if (child.type === "call") {
        const callee = child.childForFieldName("function");
        const calleeName = callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : callee?.text;
        if (calleeName === "update_wrapper") copies = true;
        // `_wrap(wrapper, func)`, `copy_metadata(wrapper)`: some helper may copy the metadata.
        const argumentsNode = child.childForFieldName("arguments");
        if (argumentsNode?.namedChildren.some((argument) => argument?.type === "identifier" && argument.text === wrapper)) copies = true;
      } else if (child.type === "assignment") {
        const left = child.childForFieldName("left");
        if (
          left?.type === "attribute" &&
          left.childForFieldName("object")?.text === wrapper &&
          /^__\w+__$/.test(left.childForFieldName("attribute")?.text ?? "")
        ) {
          copies = true;
        }
      }
      visit(child);
    }
  };
  visit(body);
  return copies;
}

/**
 * `@functools.wraps(param)` above the wrapper, spelled the way the file already imports it
 * (`@wraps`, `@ft.wraps`), or with `import functools` added after the module docstring,
 * `__future__` imports and leading comments. No fix when the name it needs is taken.
 */
function addWraps(ctx: RuleContext, wrapper: Node, param: string, bindingsOf: (scope: Node) => ReadonlyMap<string, Binding>): Fix | undefined {
  const line = ctx.text.split("\n")[wrapper.startPosition.row] ?? "";
  const indent = line.slice(0, wrapper.startPosition.column);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const free = (name: string) => !boundAround(wrapper, name, bindingsOf);
  const imported = moduleImports(ctx);
  let decorator: string | undefined;
  const edits: TextEdit[] = [];
  const moduleAlias = [...imported.entries()].find(([local, target]) => target === "functools" && free(local));
  const wrapsName = [...imported.entries()].find(([local, target]) => target === "functools.wraps" && free(local));
  if (wrapsName) decorator = wrapsName[0];
  else if (moduleAlias) decorator = `${moduleAlias[0]}.wraps`;
  else {
    if (ctx.file.imports.has("functools") || !free("functools")) return undefined;
    const insert = importInsertion(ctx);
    if (!insert) return undefined;
    edits.push(insert);
    decorator = "functools.wraps";
  }
  edits.push({ range: { start: wrapper.startPosition, end: wrapper.startPosition }, newText: `@${decorator}(${param})\n${indent}` });
  return { title: ctx.t("fix", { decorator, param }), edits, safe: true };
}

/** Local name -> imported target, for imports at module level only (a function's imports are its own). */
function moduleImports(ctx: RuleContext): Map<string, string> {
  const imports = new Map<string, string>();
  // Module-level statements only, read from the tree: they may lie in another chunk than this one.
  const topLevel = ctx.tree.rootNode.namedChildren.filter((node): node is Node => node !== null);
  for (const node of topLevel) {
    if (node.type !== "import_statement") continue;
    for (const item of node.childrenForFieldName("name")) {
      if (item.type === "dotted_name" && item.text === "functools") imports.set("functools", "functools");
      else if (item.type === "aliased_import" && item.childForFieldName("name")?.text === "functools") {
        const alias = item.childForFieldName("alias")?.text;
        if (alias) imports.set(alias, "functools");
      }
    }
  }
  for (const node of topLevel) {
    if (node.type !== "import_from_statement" || node.childForFieldName("module_name")?.text !== "functools") continue;
    for (const item of node.childrenForFieldName("name")) {
      if (item.type === "dotted_name" && item.text === "wraps") imports.set("wraps", "functools.wraps");
      else if (item.type === "aliased_import" && item.childForFieldName("name")?.text === "wraps") {
        const alias = item.childForFieldName("alias")?.text;
        if (alias) imports.set(alias, "functools.wraps");
      }
    }
  }
  // A module-level name imported twice (say `wraps` from two modules) is ambiguous: drop it.
  for (const [local] of imports) if (ctx.file.imports.get(local) !== imports.get(local)) imports.delete(local);
  return imports;
}

/** Whether a function around `node`, or the module, binds `name` itself (not by import). */
function boundAround(node: Node, name: string, bindingsOf: (scope: Node) => ReadonlyMap<string, Binding>): boolean {
  for (let scope: Node | null = node.parent; scope; scope = scope.parent) {
    if ((scope.type === "function_definition" || scope.type === "lambda" || scope.type === "module") && bindingsOf(scope).has(name)) return true;
  }
  return false;
}

/** Where `import functools` goes: after the docstring, `__future__` imports and comments that open the file. */
function importInsertion(ctx: RuleContext): TextEdit | undefined {
  const root = ctx.tree.rootNode;
  let after: Node | undefined;
  let index = 0;
  for (const child of root.namedChildren) {
    if (!child) continue;
    const isDocstring =
      index === 0 &&
      child.type === "expression_statement" &&
      child.namedChildCount === 1 &&
      (child.namedChild(0)?.type === "string" || child.namedChild(0)?.type === "concatenated_string");
    if (child.type === "comment" || isDocstring || child.type === "future_import_statement") {
      if (child.type !== "comment") index++;
      after = child;
      continue;
    }
    // Something shares a line with what we skip (`"""doc"""; import os`): do not guess.
    if (after && child.startPosition.row === after.endPosition.row) return undefined;
    break;
  }
  if (!after) return { range: { start: { row: 0, column: 0 }, end: { row: 0, column: 0 } }, newText: "import functools\n" };
  const lines = ctx.text.split("\n");
  const row = after.endPosition.row;
  if (/\\\s*$/.test(lines[row] ?? "")) return undefined;
  if (row + 1 < lines.length) return { range: { start: { row: row + 1, column: 0 }, end: { row: row + 1, column: 0 } }, newText: "import functools\n" };
  const end = { row, column: (lines[row] ?? "").length };
  return { range: { start: end, end }, newText: "\nimport functools" };
}
