import type { Node } from "web-tree-sitter";

/**
 * Questions about the shape of the syntax tree that many rules ask, answered once here. None
 * of them resolves a name: for what a name means, ask the semantic model.
 */

/** The `def` or `class` a statement holds: itself, or what its decorators decorate. */
export function definitionOf(statement: Node): Node | undefined {
  const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
  return definition ?? undefined;
}

/** Strips redundant parentheses: `((1))` is the literal 1. */
export function unparenthesize(node: Node): Node {
  let current = node;
  while (current.type === "parenthesized_expression" && current.namedChildCount === 1) {
    const inner = current.namedChild(0);
    if (!inner) break;
    current = inner;
  }
  return current;
}

const NESTED_SCOPES = new Set(["function_definition", "class_definition", "lambda"]);

/** True when the function's own body (not nested functions, classes or lambdas) contains `yield`. */
export function containsYield(definition: Node): boolean {
  const search = (node: Node): boolean =>
    node.namedChildren.some((child) => {
      if (!child) return false;
      if (child.type === "yield") return true;
      if (NESTED_SCOPES.has(child.type)) return false;
      return search(child);
    });
  const body = definition.childForFieldName("body");
  return body ? search(body) : false;
}

/** True when an assignment target binds the plain name (`a`, `a, b`, `[a, *b]`), not `x[0]` or `x.a`, which mutate. */
export function bindsName(target: Node | null, name: string): boolean {
  if (!target) return false;
  if (target.type === "identifier") return target.text === name;
  if (target.type === "attribute" || target.type === "subscript" || target.type === "block") return false;
  return target.namedChildren.some((child) => child !== null && bindsName(child, name));
}

/** True when the name appears anywhere in the node as an identifier. */
export function mentionsName(node: Node | null, name: string): boolean {
  if (!node) return false;
  if (node.type === "identifier") return node.text === name;
  return node.namedChildren.some((child) => child !== null && mentionsName(child, name));
}

/** Every identifier's text in the node, attribute names and keyword-argument names included. */
export function identifierNames(node: Node): Set<string> {
  const names = new Set<string>();
  for (const identifier of node.descendantsOfType("identifier")) if (identifier) names.add(identifier.text);
  if (node.type === "identifier") names.add(node.text);
  return names;
}

/** The names an expression reads: identifiers other than attribute names (`b` in `a.b`) and keywords (`k=`), in order. */
export function referencedNames(node: Node): string[] {
  const names: string[] = [];
  const visit = (current: Node): void => {
    if (current.type === "identifier") {
      const parent = current.parent;
      const isAttributeName = parent?.type === "attribute" && parent.childForFieldName("attribute")?.equals(current);
      const isKeyword = parent?.type === "keyword_argument" && parent.childForFieldName("name")?.equals(current);
      if (!isAttributeName && !isKeyword) names.push(current.text);
    }
    for (const child of current.namedChildren) if (child) visit(child);
  };
  visit(node);
  return names;
}

/** The innermost `def`, `lambda` or `class` around a node, or null when it runs at module level. */
export function enclosingDefinition(node: Node): Node | null {
  for (let parent = node.parent; parent; parent = parent.parent) if (NESTED_SCOPES.has(parent.type)) return parent;
  return null;
}

export function isAsyncDef(node: Node | null | undefined): boolean {
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
  if (enclosingDefinition(node)) return false;
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

/** The first parameter's name (`self`, `cls`), when it is a plain name. */
export function firstParameter(definition: Node): string | undefined {
  const first = definition.childForFieldName("parameters")?.namedChildren.find((child) => child?.type !== "comment");
  return first?.type === "identifier" ? first.text : undefined;
}

/** The names a `parameters` (or `lambda_parameters`) node binds, in order: `a`, `b` of `(a, b=1, *, c)`... */
export function parameterNames(parameters: Node): string[] {
  const names: string[] = [];
  for (const parameter of parameters.namedChildren) {
    if (!parameter) continue;
    const name = parameter.type === "identifier" ? parameter : (parameter.childForFieldName("name") ?? parameter.namedChild(0));
    if (name?.type === "identifier") names.push(name.text);
    else if (name?.type === "list_splat_pattern" || name?.type === "dictionary_splat_pattern") {
      const inner = name.namedChild(0);
      if (inner?.type === "identifier") names.push(inner.text);
    }
  }
  return names;
}

/** A statement that is only a string literal: a docstring where it opens a body. */
export function isDocstring(statement: Node): boolean {
  if (statement.type !== "expression_statement" || statement.namedChildCount !== 1) return false;
  const expression = statement.namedChild(0);
  return expression?.type === "string" || expression?.type === "concatenated_string";
}
