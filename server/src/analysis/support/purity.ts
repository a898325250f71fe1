import type { Node } from "web-tree-sitter";
import type { SemanticModel } from "../model/semantic-model";
import type { Scope } from "../model/scope";
import { boundValues } from "./bound-values";
import { enclosingDefinition, positionalArguments } from "./syntax";

/**
 * Whether a function of the file only computes: no I/O, no waiting, no code it cannot see.
 * "Pure" is deliberately narrow: only the node types below, calls only to known-pure builtins or
 * other pure functions of the file, loops only over values whose iteration cannot run unknown
 * code (ranges, literals, local lists), or over the function's own parameters, which the caller
 * must judge (see `Purity.iteratesArguments`).
 */

/** Builtins that only compute (given plain values): calling them cannot block or do I/O. */
export const PURE_BUILTINS: ReadonlySet<string> = new Set([
  "abs", "all", "any", "bin", "bool", "chr", "divmod", "enumerate", "float", "frozenset", "hex", "int", "isinstance",
  "len", "list", "max", "min", "oct", "ord", "pow", "range", "reversed", "round", "set", "sorted", "sum", "tuple", "zip",
]);
/** Of those, the ones that iterate their positional arguments (min and max only when given one). */
export const ITERATING_BUILTINS: ReadonlySet<string> = new Set([
  "all", "any", "enumerate", "frozenset", "list", "max", "min", "reversed", "set", "sorted", "sum", "tuple", "zip",
]);
/** Keyword arguments the pure builtins may take: none of them is called back. */
const PURE_KEYWORDS = new Set(["start", "reverse", "default"]);

/** Node types pure code may consist of; anything else (await, yield, with, import, lambda, def...) means "not sure". */
export const PURE_NODES: ReadonlySet<string> = new Set([
  "block", "expression_statement", "assignment", "augmented_assignment", "return_statement", "if_statement",
  "elif_clause", "else_clause", "for_statement", "while_statement", "break_statement", "continue_statement",
  "pass_statement", "assert_statement", "raise_statement", "global_statement", "nonlocal_statement", "delete_statement",
  "identifier", "integer", "float", "true", "false", "none", "ellipsis", "comment", "string", "concatenated_string",
  "binary_operator", "unary_operator", "boolean_operator", "not_operator", "comparison_operator",
  "parenthesized_expression", "conditional_expression", "tuple", "list", "set", "dictionary", "pair", "subscript",
  "slice", "attribute", "call", "argument_list", "keyword_argument", "expression_list", "pattern_list",
  "tuple_pattern", "list_pattern", "list_splat_pattern", "named_expression", "list_comprehension",
  "set_comprehension", "dictionary_comprehension", "generator_expression", "for_in_clause", "if_clause",
]);

export interface Purity {
  /** It loops: a `for`, `while`, comprehension or an iterating builtin, here or in a pure callee. */
  works: boolean;
  /** It writes state the caller could see: globals, nonlocals, items of containers it did not create. */
  writesShared: boolean;
  /**
   * It iterates one of its own parameters (here or through a pure callee): it only computes if
   * what it is given is plain data, not a file, a socket or a generator that does I/O.
   */
  iteratesArguments: boolean;
}

/** A plain `def`: not async, not decorated (a generator is never pure: `yield` is not a pure node). */
export function isPlainFunction(definition: Node): boolean {
  return definition.type === "function_definition" && definition.child(0)?.type !== "async" && definition.parent?.type !== "decorated_definition";
}

/** The plain `def` a name refers to where it is used. */
export function plainFunction(model: SemanticModel, reference: Node): Node | undefined {
  if (reference.type !== "identifier") return undefined;
  const binding = model.binding(reference);
  const definition = binding?.kind === "function" ? binding.definition : undefined;
  return definition && isPlainFunction(definition) ? definition : undefined;
}

/** The function being analysed: its node, its scope, and what was found so far. */
interface Analysis {
  definition: Node;
  scope: Scope;
  result: Purity;
}

/** Decides whether functions of the file do pure computation; one checker memoizes its answers. */
export class PurityChecker {
  private readonly results = new Map<number, Purity | null>();
  private readonly pending = new Set<number>();

  constructor(private readonly model: SemanticModel) {}

  /** The function's purity, or undefined when it may do more than compute. */
  purity(definition: Node): Purity | undefined {
    const known = this.results.get(definition.id);
    if (known !== undefined) return known ?? undefined;
    // A recursive call adds nothing: the function's own body decides.
    if (this.pending.has(definition.id)) return { works: false, writesShared: false, iteratesArguments: false };
    this.pending.add(definition.id);
    const result = this.analyse(definition);
    this.pending.delete(definition.id);
    this.results.set(definition.id, result ?? null);
    return result;
  }

  private analyse(definition: Node): Purity | undefined {
    const body = definition.childForFieldName("body");
    const scope = this.model.scopeFor(definition);
    if (!body || !scope) return undefined;
    const at: Analysis = { definition, scope, result: { works: false, writesShared: false, iteratesArguments: false } };
    const check = (node: Node): boolean => {
      if (!PURE_NODES.has(node.type)) return false;
      switch (node.type) {
        case "string":
          // Only f-string replacement fields hold code.
          return node.namedChildren.every((part) => part?.type !== "interpolation" || part.namedChildren.every((child) => !child || child.type === "format_specifier" || child.type === "type_conversion" || check(child)));
        case "call":
          if (!this.pureCall(node, at)) return false;
          break;
        case "for_statement":
        case "for_in_clause":
          if (node.child(0)?.type === "async") return false;
          if (!this.knownIterable(node.childForFieldName("right"), at, new Set())) return false;
          at.result.works = true;
          break;
        case "while_statement": {
          // A loop waiting on a flag another thread sets is coordination, not computation: the
          // condition may read only this function's own names (and calls checked like any other).
          const condition = node.childForFieldName("condition");
          if (!condition || !this.conditionIsLocal(condition, at)) return false;
          at.result.works = true;
          break;
        }
        case "global_statement":
        case "nonlocal_statement":
          at.result.writesShared = true;
          break;
        case "assignment":
        case "augmented_assignment":
        case "delete_statement": {
          const targets = node.type === "delete_statement" ? node.namedChildren : [node.childForFieldName("left")];
          for (const target of targets) {
            if (!target) continue;
            // Storing an attribute may run a property setter or __setattr__: not sure, stay quiet.
            if (target.type === "attribute" || target.descendantsOfType("attribute").length > 0) return false;
            if (!writesLocalOnly(target, (name) => isLocal(at, name))) at.result.writesShared = true;
          }
          break;
        }
      }
      return node.namedChildren.every((child) => !child || check(child));
    };
    return check(body) ? at.result : undefined;
  }

  private pureCall(call: Node, at: Analysis): boolean {
    const callee = call.childForFieldName("function");
    if (callee?.type !== "identifier") return false;
    const args = call.childForFieldName("arguments");
    const qualified = this.model.qualifiedName(callee);
    if (qualified?.startsWith("builtins.")) {
      const name = qualified.slice("builtins.".length);
      if (/^[A-Z]\w*(Error|Exception)$/.test(name) && call.parent?.type === "raise_statement") return true;
      if (!PURE_BUILTINS.has(name)) return false;
      if (args?.type === "generator_expression") {
        if (ITERATING_BUILTINS.has(name)) at.result.works = true;
        return ITERATING_BUILTINS.has(name);
      }
      const positional = positionalArguments(call);
      if (!positional) return false;
      for (const arg of args?.namedChildren ?? []) {
        if (arg?.type === "keyword_argument" && !PURE_KEYWORDS.has(arg.childForFieldName("name")?.text ?? "")) return false;
      }
      const iterates = ITERATING_BUILTINS.has(name) && !((name === "min" || name === "max") && positional.length > 1);
      if (iterates) {
        if (!positional.every((arg) => this.knownIterable(arg, at, new Set()))) return false;
        if (positional.length > 0) at.result.works = true;
      }
      return true;
    }
    if (qualified !== undefined) return false;
    const definition = plainFunction(this.model, callee);
    const inner = definition ? this.purity(definition) : undefined;
    if (!inner) return false;
    at.result.works ||= inner.works;
    at.result.writesShared ||= inner.writesShared;
    at.result.iteratesArguments ||= inner.iteratesArguments;
    return true;
  }

  /**
   * Iterating this value cannot run unknown code: a range, a literal, a comprehension, a pure
   * builtin over such values, or a local name only ever assigned such values. A parameter counts
   * too, noted in `iteratesArguments`.
   */
  private knownIterable(node: Node | null, at: Analysis, seen: Set<string>): boolean {
    if (!node) return false;
    switch (node.type) {
      case "list":
      case "tuple":
      case "set":
      case "dictionary":
      case "string":
      case "concatenated_string":
      case "list_comprehension":
      case "set_comprehension":
      case "dictionary_comprehension":
      case "generator_expression":
        return true;
      case "parenthesized_expression":
        return this.knownIterable(node.namedChild(0), at, seen);
      case "binary_operator": {
        const operator = node.childForFieldName("operator")?.type;
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        if (operator === "+") return this.knownIterable(left, at, seen) && this.knownIterable(right, at, seen);
        if (operator === "*") return this.knownIterable(left, at, seen) || this.knownIterable(right, at, seen);
        return false;
      }
      case "call": {
        const callee = node.childForFieldName("function");
        const qualified = callee ? this.model.qualifiedName(callee) : undefined;
        if (qualified === "builtins.range") return true;
        const name = qualified?.startsWith("builtins.") ? qualified.slice("builtins.".length) : undefined;
        if (!name || !ITERATING_BUILTINS.has(name) || name === "min" || name === "max" || name === "sum" || name === "any" || name === "all") return false;
        const args = node.childForFieldName("arguments");
        if (args?.type === "generator_expression") return true;
        const positional = positionalArguments(node);
        return positional !== null && positional.every((arg) => this.knownIterable(arg, at, seen));
      }
      case "identifier": {
        const binding = this.model.binding(node);
        if (binding?.kind === "parameter" && binding.scope === at.scope) {
          at.result.iteratesArguments = true;
          return true;
        }
        if (!isLocal(at, node.text) || seen.has(node.text)) return false;
        const values = boundValues(this.model, node);
        if (!values || enclosingDefinition(values[0])?.id !== at.definition.id) return false;
        seen.add(node.text);
        return values.every((value) => this.knownIterable(value, at, seen));
      }
      default:
        return false;
    }
  }

  /**
   * A `while` condition that reads only the function's own names (parameters and locals, and the
   * variables of comprehensions in it) and callees; no globals, attributes or subscripts, which
   * another thread could be changing.
   */
  private conditionIsLocal(condition: Node, at: Analysis): boolean {
    const check = (node: Node): boolean => {
      if (node.type === "attribute" || node.type === "subscript") return false;
      if (node.type === "identifier") {
        const parent = node.parent;
        if (parent?.type === "call" && parent.childForFieldName("function")?.id === node.id) return true;
        const resolved = this.model.resolve(node);
        if (!resolved?.bindings.some((binding) => binding.kind !== "import")) return false;
        let scope: Scope | undefined = resolved.scope;
        while (scope && scope !== at.scope && scope.kind === "comprehension") scope = scope.parent;
        return scope === at.scope;
      }
      return node.namedChildren.every((child) => !child || check(child));
    };
    return check(condition);
  }
}

/** A name the function binds itself, other than as a parameter or an import. */
function isLocal(at: Analysis, name: string): boolean {
  return at.scope.bindingsOf(name).some((binding) => binding.kind !== "parameter" && binding.kind !== "import");
}

/** A store into a plain local name, or into an item of a local container (`counts[i] = ...` with local `counts`). */
function writesLocalOnly(target: Node, isLocalName: (name: string) => boolean): boolean {
  if (target.type === "identifier") return isLocalName(target.text);
  if (target.type === "subscript") {
    let base: Node | null = target;
    while (base && base.type === "subscript") base = base.childForFieldName("value");
    return base?.type === "identifier" && isLocalName(base.text);
  }
  return target.namedChildren.every((child) => !child || writesLocalOnly(child, isLocalName));
}
