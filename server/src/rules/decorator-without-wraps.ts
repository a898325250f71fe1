import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import type { Fix, TextEdit } from "../analysis/finding";
import type { SemanticModel } from "../analysis/model/semantic-model";
import { defineFact } from "../analysis/model/facts";
import { referenceTo } from "../analysis/support/import-fix";
import { decoratorsOf } from "../analysis/model/class-members";

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
 * calls the parameter, and when something else is returned. Quiet too for what is no decorator
 * at all: an adapter (the file mostly calls it on callables that are not its own defs, for a
 * library to call, rather than applying it with `@`), a function registered with a decorator
 * of its own (a fixture), and a decorator whose comments or docstring show the author
 * weighed `wraps` or the name (`# not using @wraps for speed`).
 */
export const decoratorWithoutWrapsRule: Rule = {
  code: "PYM013",
  name: "decorator-without-wraps",
  knowledge: "decorator-without-wraps",
  severity: "warning",
  nodeTypes: ["function_definition"],
  messages: {
    message: {
      en: "`{wrapper}` replaces `{param}` without `@functools.wraps({param})`, so the decorated function reports the name `{wrapper}` and loses its docstring, `__qualname__` and `__wrapped__`.",
      ko: "`{wrapper}`가 `@functools.wraps({param})` 없이 `{param}`을 대신하므로, 데코레이트된 함수의 이름이 `{wrapper}`로 바뀌고 독스트링, `__qualname__`, `__wrapped__`도 사라집니다.",
      "zh-cn": "`{wrapper}` 在没有 `@functools.wraps({param})` 的情况下替换了 `{param}`，因此被装饰的函数名字会变成 `{wrapper}`，文档字符串、`__qualname__` 和 `__wrapped__` 也都丢失了。",
    },
    fix: { en: "Add @{decorator}({param})", ko: "@{decorator}({param}) 추가", "zh-cn": "添加 @{decorator}({param})" },
  },
  check(ctx) {
    const findings = [];
    // How the file uses each name (applied with `@`, called on what): every unit tells its own uses.
    let calls: FileCalls | undefined;
    const fileCalls = () => (calls ??= foldCalls(ctx.model.fileFact(CALL_SITES)));
    const decoratorNames = () => fileCalls().applied;
    for (const outer of ctx.nodes("function_definition")) {
      const body = outer.childForFieldName("body");
      // A wrapper is a def inside: most functions have none, and their text says so at once.
      if (!body || !/\bdef\s/.test(body.text)) continue;
      const returned = returnedNames(body);
      if (returned.size === 0) continue;
      for (const wrapper of innerDefinitions(body)) {
        const name = wrapper.childForFieldName("name");
        if (!name || !returned.has(name.text)) continue;
        // Decorated wrappers may copy the metadata themselves (a custom wraps, a caching decorator...).
        if (wrapper.parent?.type === "decorated_definition") continue;
        // The name must mean this def alone: `wrapper = wraps(f)(wrapper)` rebinds it.
        const binding = ctx.model.binding(name);
        if (binding?.kind !== "function" || !binding.definition?.equals(wrapper)) continue;
        const called = calledParameter(ctx.model, wrapper, outer);
        if (!called) continue;
        const { param } = called;
        // Only decorators: a generic `*args, **kwargs` wrapper, or a function this file applies with `@`.
        if (!forwardsArguments(ctx.model, wrapper, called.calls) && !usedAsDecorator(ctx.model, outer, decoratorNames())) continue;
        // A wrapper with its own docstring presents itself as a new function; wraps would overwrite that.
        if (hasDocstring(wrapper)) continue;
        if (copiesMetadata(body, name.text)) continue;
        if (notADecorator(ctx.model, outer, fileCalls(), usedAsDecorator(ctx.model, outer, decoratorNames()))) continue;
        if (weighsMetadata(outer)) continue;
        findings.push(
          ctx.finding(
            { start: wrapper.startPosition, end: name.endPosition },
            ctx.t("message", { wrapper: name.text, param }),
            addWraps(ctx, wrapper, param),
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
function calledParameter(model: SemanticModel, wrapper: Node, outer: Node): { param: string; calls: Node[] } | undefined {
  const candidates = plainParameters(model, outer);
  const outerScope = model.scopeFor(outer);
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
          model.resolve(callee)?.scope === outerScope
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
function plainParameters(model: SemanticModel, outer: Node): Set<string> {
  const names = new Set<string>();
  const parameters = outer.childForFieldName("parameters");
  // `__new__` is static, yet Python hands it the class first all the same.
  const method = parameters ? model.owner(parameters).method : undefined;
  const hasReceiver = method !== undefined && (method.kind !== "static" || outer.childForFieldName("name")?.text === "__new__");
  let first = true;
  for (const parameter of parameters?.namedChildren ?? []) {
    if (!parameter || parameter.type === "comment") continue;
    const name =
      parameter.type === "identifier" ? parameter.text : parameter.type === "typed_parameter" ? parameter.namedChild(0)?.text : undefined;
    // A method's receiver is not the decorated function; a plain helper in a class body
    // (`def _deprecate(func)` used while the class is built) keeps its first parameter.
    const skip = first && hasReceiver && RECEIVERS.has(name ?? "");
    first = false;
    if (name && parameter.namedChild(0)?.type !== "list_splat_pattern" && parameter.namedChild(0)?.type !== "dictionary_splat_pattern" && !skip) {
      names.add(name);
    }
  }
  return names;
}

/** The wrapper hands its own `*args` / `**kwargs`, unchanged, to the wrapped call: a generic wrapper. */
function forwardsArguments(model: SemanticModel, wrapper: Node, calls: readonly Node[]): boolean {
  const stars = new Set<string>();
  for (const parameter of wrapper.childForFieldName("parameters")?.namedChildren ?? []) {
    if (parameter?.type === "list_splat_pattern" || parameter?.type === "dictionary_splat_pattern") {
      const name = parameter.namedChild(0);
      // `args = list(args)` makes them new values: the call no longer forwards what came in.
      if (name && model.binding(name)?.kind === "parameter") stars.add(name.text);
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

/** Per name, how the file uses it (see `CALL_SITES`); and the names of the file's defs. */
interface FileCalls {
  uses: Map<string, string[]>;
  defs: Set<string>;
  /** The names applied with `@`. */
  applied: Set<string>;
}

/**
 * How a unit uses names as functions, one entry per use, as `name\tuse`: `@` for `@name` or
 * `@x.name(...)`; for a call `name(...)` or `x.name(...)`, `return` when it is what a function
 * returns, `arg:<a>` when its first argument is the plain name `a`, else `other`. Then
 * `def\t<name>` for each def of the unit. Sorted.
 */
const CALL_SITES = defineFact("decorator-without-wraps:call-sites", (nodes, unit): string[] => {
  const entries: string[] = [];
  // The searches run inside the WebAssembly, cheaper than a walk of every node; holes are other units'.
  const outside = (node: Node) => !node.hasError && !unit.holes.some((hole) => node.startIndex >= hole.start && node.startIndex < hole.end);
  const lastName = (node: Node | null | undefined) =>
    node?.type === "identifier" ? node.text : node?.type === "attribute" ? node.childForFieldName("attribute")?.text : undefined;
  for (const definition of nodes.flatMap((node) => [node, ...node.descendantsOfType("function_definition")])) {
    if (definition?.type !== "function_definition" || !outside(definition)) continue;
    const name = definition.childForFieldName("name")?.text;
    if (name) entries.push(`def\t${name}`);
  }
  const applied = new Set<number>();
  for (const decorator of nodes.flatMap((node) => node.descendantsOfType("decorator"))) {
    if (!decorator || !outside(decorator)) continue;
    const target = decorator.namedChildren.find((child) => child?.type !== "comment") ?? null;
    if (target?.type === "call") applied.add(target.id);
    const name = lastName(target?.type === "call" ? target.childForFieldName("function") : target);
    if (name) entries.push(`${name}\t@`);
  }
  for (const call of nodes.flatMap((node) => node.descendantsOfType("call"))) {
    if (!call || !outside(call) || applied.has(call.id)) continue;
    const name = lastName(call.childForFieldName("function"));
    if (!name) continue;
    const first = call.childForFieldName("arguments")?.namedChildren.find((argument) => argument?.type !== "comment");
    const use = call.parent?.type === "return_statement" ? "return" : first?.type === "identifier" ? `arg:${first.text}` : "other";
    entries.push(`${name}\t${use}`);
  }
  return entries.sort();
});

function foldCalls(units: readonly string[][]): FileCalls {
  const uses = new Map<string, string[]>();
  const defs = new Set<string>();
  const applied = new Set<string>();
  for (const entry of units.flat()) {
    const [name, use] = entry.split("\t");
    if (name === "def") defs.add(use);
    else uses.set(name, [...(uses.get(name) ?? []), use]);
    if (use === "@") applied.add(name);
  }
  return { uses, defs, applied };
}

/** Decorators that only say what kind of method a def is. */
const METHOD_DECORATORS = new Set(["staticmethod", "classmethod"]);

/**
 * An outer function that is no decorator, though shaped like one:
 * - registered with a decorator of its own other than `staticmethod`/`classmethod`, and not
 *   applied with `@` in the file (a pytest fixture handing out a factory over another fixture):
 *   what it returns goes to that library;
 * - an adapter: the file mostly calls it on callables that are not its own defs (a builtin,
 *   `self.func`, a loop variable) for some library to call, more often than it applies it with
 *   `@`, hands it a def, or returns what it makes. A `__call__` (a decorator class) and a def its
 *   enclosing function returns (a factory's decorator) are decorators however they are called.
 */
function notADecorator(model: SemanticModel, outer: Node, file: FileCalls, applied: boolean): boolean {
  const registered = decoratorsOf(outer).some((decorator) => {
    const target = decorator.type === "call" ? decorator.childForFieldName("function") : decorator;
    return target?.type !== "identifier" || !METHOD_DECORATORS.has(target.text);
  });
  if (registered && !applied) return true;
  const name = outer.childForFieldName("name")?.text;
  if (name === undefined || name === "__call__") return false;
  const enclosing = model.owner(outer).function?.childForFieldName("body");
  if (enclosing && returnedNames(enclosing).has(name)) return false;
  let adapting = 0;
  let decorating = 0;
  for (const use of file.uses.get(name) ?? []) {
    if (use === "@" || use === "return" || (use.startsWith("arg:") && file.defs.has(use.slice(4)))) decorating++;
    else adapting++;
  }
  return adapting > decorating;
}

/**
 * The decorator's comments, or its docstring, speak of `wraps` or the metadata: the author chose
 * to leave it out (`# not using @wraps here for speed`, "without preserving the name").
 */
function weighsMetadata(outer: Node): boolean {
  const words = /\bwraps\b|\bupdate_wrapper\b|\bmetadata\b|\bpreserv\w*\b[^.]*\bname\b/i;
  if (outer.descendantsOfType("comment").some((comment) => comment !== null && words.test(comment.text))) return true;
  const first = outer.childForFieldName("body")?.namedChildren.find((child) => child?.type !== "comment");
  const value = first?.type === "expression_statement" && first.namedChildCount === 1 ? first.namedChild(0) : null;
  return (value?.type === "string" || value?.type === "concatenated_string") && words.test(value.text);
}

/** The decorator, or the factory that returns it, is applied with `@` in this file. */
function usedAsDecorator(model: SemanticModel, outer: Node, used: ReadonlySet<string>): boolean {
  const name = outer.childForFieldName("name")?.text;
  if (name === undefined) return false;
  if (used.has(name)) return true;
  const factory = model.owner(outer).function;
  const factoryName = factory?.childForFieldName("name")?.text;
  const body = factory?.childForFieldName("body");
  return factoryName !== undefined && used.has(factoryName) && body !== null && body !== undefined && returnedNames(body).has(name);
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
 * (`@wraps`, `@ft.wraps`), or with `import functools` added at the top of the module. No fix
 * when the name it needs is taken.
 */
function addWraps(ctx: RuleContext, wrapper: Node, param: string): Fix | undefined {
  const indent = ctx.line(wrapper.startPosition.row).slice(0, wrapper.startPosition.column);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const spelling = wrapsSpelling(ctx.model, wrapper);
  if (!spelling) return undefined;
  const { decorator, importEdit } = spelling;
  const edits: TextEdit[] = importEdit ? [importEdit] : [];
  edits.push({ range: { start: wrapper.startPosition, end: wrapper.startPosition }, newText: `@${decorator}(${param})\n${indent}` });
  return { title: ctx.t("fix", { decorator, param }), edits, safe: true };
}

/** How the decorator above `wrapper` names `functools.wraps`: a module-level `from functools import wraps` first, then the module. */
function wrapsSpelling(model: SemanticModel, wrapper: Node): { decorator: string; importEdit?: TextEdit } | undefined {
  for (const [name, qualified] of model.moduleImports()) {
    if (qualified !== "functools.wraps") continue;
    // Still that import where the decorator runs, not a name the outer function rebinds.
    const meaning = model.resolveName(name, wrapper);
    if (meaning?.bindings.some((binding) => binding.kind === "import" && binding.qualified === qualified)) return { decorator: name };
  }
  const module = referenceTo(model, "functools", "functools", "import functools", wrapper);
  if (!module) return undefined;
  return module.importEdit ? { decorator: `${module.text}.wraps`, importEdit: module.importEdit } : { decorator: `${module.text}.wraps` };
}
