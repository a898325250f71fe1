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

/** `localBindings` without the memo: a walk of the scope's body every time (tests compare the two). */
export function scopeBindings(scope: Node): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  const declared = new Set<string>();
  const parameters = scope.childForFieldName("parameters");
  if (parameters) for (const name of parameterNames(parameters)) bind(bindings, name, "parameter");
  const body = scope.type === "module" ? scope : scope.childForFieldName("body");
  if (body) {
    const visitor = scopeVisitor((name, kind, node) => bind(bindings, name, kind, node), (name) => declared.add(name));
    for (const child of body.namedChildren) if (child) visitor(child);
  }
  for (const name of declared) bindings.delete(name);
  return bindings;
}

/** A name bound in two ways (a class, then an assignment) could be either: call it an assignment. */
function bind(bindings: Map<string, Binding>, name: string, kind: LocalBinding, node?: Node): void {
  const previous = bindings.get(name);
  bindings.set(name, previous === undefined ? { kind, node } : { kind: "assignment" });
}

/** Visits one statement or expression of a scope's body (and what it holds), reporting what it binds there. */
function scopeVisitor(onBind: (name: string, kind: LocalBinding, node?: Node) => void, onDeclare: (name: string) => void): (child: Node) => void {
  const visitChild = (child: Node): void => {
    switch (child.type) {
      case "function_definition":
      case "class_definition": {
        const name = child.childForFieldName("name")?.text;
        if (name) onBind(name, child.type === "class_definition" ? "class" : "function", child);
        return; // their bodies are scopes of their own
      }
      case "lambda":
        return;
      case "global_statement":
      case "nonlocal_statement":
        for (const name of child.namedChildren) if (name?.type === "identifier") onDeclare(name.text);
        return;
      case "assignment":
      case "augmented_assignment":
        targetNames(child.childForFieldName("left"), (name) => onBind(name, "assignment"));
        break;
      case "for_statement":
      case "for_in_clause":
        targetNames(child.childForFieldName("left"), (name) => onBind(name, "assignment"));
        break;
      case "as_pattern_target":
      case "named_expression":
        targetNames(child.type === "named_expression" ? child.childForFieldName("name") : child.namedChild(0), (name) => onBind(name, "assignment"));
        break;
    }
    for (const grandchild of child.namedChildren) if (grandchild) visitChild(grandchild);
  };
  return visitChild;
}

/**
 * What some module-level statements bind, in order, without the nodes: plain data that can be
 * kept with those statements' text and reused while it is unchanged (`seedModuleBindings`).
 */
export interface ModuleBindingEvents {
  binds: [name: string, kind: LocalBinding][];
  declared: string[];
}

export function moduleBindingEvents(statements: readonly Node[]): ModuleBindingEvents {
  const events: ModuleBindingEvents = { binds: [], declared: [] };
  const visitor = scopeVisitor(
    (name, kind) => events.binds.push([name, kind]),
    (name) => events.declared.push(name),
  );
  for (const statement of statements) if (statement.isNamed) visitor(statement);
  return events;
}

/**
 * Gives `localBindings(root)` the module's bindings folded from each part's events, exactly as
 * the walk of every module-level statement would find them, so an edit inside one function does
 * not pay for that walk. The node of a name bound once by `class` or `def` is looked up in its
 * part's statements when asked for.
 */
export function seedModuleBindings(root: Node, parts: readonly { events: ModuleBindingEvents; statements: readonly Node[] }[]): void {
  const bindings = new Map<string, Binding>();
  const declared = new Set<string>();
  for (const { events, statements } of parts) {
    for (const [name, kind] of events.binds) {
      if (kind === "class" || kind === "function") {
        const previous = bindings.get(name);
        if (previous === undefined) bindings.set(name, lazyDefinition(kind, name, statements));
        else bindings.set(name, { kind: "assignment" });
      } else bind(bindings, name, kind);
    }
    for (const name of events.declared) declared.add(name);
  }
  for (const name of declared) bindings.delete(name);
  let byScope = bindingsByTree.get(root.tree);
  if (!byScope) bindingsByTree.set(root.tree, (byScope = new Map()));
  byScope.set(root.id, bindings);
}

function lazyDefinition(kind: LocalBinding, name: string, statements: readonly Node[]): Binding {
  let found: Node | undefined | null = null;
  return {
    kind,
    get node(): Node | undefined {
      if (found === null) {
        found = undefined;
        const visitor = scopeVisitor(
          (bound, boundKind, node) => {
            if (found === undefined && bound === name && boundKind === kind) found = node;
          },
          () => {},
        );
        for (const statement of statements) if (statement.isNamed) visitor(statement);
      }
      return found;
    },
  };
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
