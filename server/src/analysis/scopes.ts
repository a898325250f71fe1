import type { Node, Tree } from "web-tree-sitter";

/** How a scope binds a name. Imports are left to the file's import map. */
export type LocalBinding = "parameter" | "assignment" | "class" | "function";

export interface Binding {
  kind: LocalBinding;
  /** The definition, for a name bound once by `class` or `def`. */
  node?: Node;
}

const NESTED_SCOPES = new Set(["function_definition", "lambda", "class_definition"]);

/**
 * The names a function (or the module) binds in its own scope, the way Python decides it at compile time: any
 * assignment anywhere in the body (outside nested functions and classes) makes a name local for
 * the whole function. Targets of `for`, `with ... as`, `except ... as` and `:=` count as
 * assignments, and so do comprehension variables (really the comprehension's own, which only
 * makes rules quieter); `global`/`nonlocal` names do not.
 */
export function localBindings(scope: Node): ReadonlyMap<string, Binding> {
  // Rules ask about the same scopes again and again (the module's above all, which means a walk of
  // every module-level statement): one answer per scope and tree. Trees are never edited in place,
  // so a tree's answers stay true; a WeakMap lets them go with the tree.
  let byScope = bindingsByTree.get(scope.tree);
  if (!byScope) bindingsByTree.set(scope.tree, (byScope = new Map()));
  let bindings = byScope.get(scope.id);
  if (!bindings) byScope.set(scope.id, (bindings = scopeBindings(scope)));
  return bindings;
}

const bindingsByTree = new WeakMap<Tree, Map<number, ReadonlyMap<string, Binding>>>();

function scopeBindings(scope: Node): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  // A name bound in two ways (a class, then an assignment) could be either: call it an assignment.
  const bind = (name: string, kind: LocalBinding, node?: Node) => {
    const previous = bindings.get(name);
    bindings.set(name, previous === undefined ? { kind, node } : { kind: "assignment" });
  };
  const parameters = scope.childForFieldName("parameters");
  if (parameters) for (const name of parameterNames(parameters)) bind(name, "parameter");
  const declared = new Set<string>();
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case "function_definition":
        case "class_definition": {
          const name = child.childForFieldName("name")?.text;
          if (name) bind(name, child.type === "class_definition" ? "class" : "function", child);
          continue; // their bodies are scopes of their own
        }
        case "lambda":
          continue;
        case "global_statement":
        case "nonlocal_statement":
          for (const name of child.namedChildren) if (name?.type === "identifier") declared.add(name.text);
          continue;
        case "assignment":
        case "augmented_assignment":
          targetNames(child.childForFieldName("left"), (name) => bind(name, "assignment"));
          break;
        case "for_statement":
        case "for_in_clause":
          targetNames(child.childForFieldName("left"), (name) => bind(name, "assignment"));
          break;
        case "as_pattern_target":
        case "named_expression":
          targetNames(child.type === "named_expression" ? child.childForFieldName("name") : child.namedChild(0), (name) =>
            bind(name, "assignment"),
          );
          break;
      }
      visit(child);
    }
  };
  const body = scope.type === "module" ? scope : scope.childForFieldName("body");
  if (body) visit(body);
  for (const name of declared) bindings.delete(name);
  return bindings;
}

/** Calls `use` for every plain name a target binds: `a`, `a, b`, `[a, *b]`, `(a, (b, c))`. */
function targetNames(target: Node | null, use: (name: string) => void): void {
  if (!target) return;
  if (target.type === "identifier") {
    use(target.text);
    return;
  }
  if (NESTED_SCOPES.has(target.type) || target.type === "attribute" || target.type === "subscript") return;
  for (const child of target.namedChildren) targetNames(child, use);
}

export function parameterNames(parameters: Node): string[] {
  const names: string[] = [];
  for (const parameter of parameters.namedChildren) {
    if (!parameter) continue;
    if (parameter.type === "identifier") names.push(parameter.text);
    else {
      const name = parameter.childForFieldName("name") ?? parameter.namedChild(0);
      if (name?.type === "identifier") names.push(name.text);
    }
  }
  return names;
}
