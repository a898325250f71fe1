import type { Node } from "web-tree-sitter";
import { importedNames } from "./imports";
import { Scope, SCOPE_NODE_KINDS, type BindingKind, type ReferenceKind } from "./scope";

/**
 * Builds the scopes of one unit: what each scope binds and which names it references, the way
 * Python decides it at compile time. The module's own bindings are not added here (they come
 * folded from every unit's facts), so a unit's walk never depends on another unit.
 */
export interface BuildOptions {
  /** Where statements left to other units start (a class's split-off methods); their names still bind. */
  skip?: ReadonlySet<number>;
  /** Record bindings in the starting scope too (false for the module scope, which is folded). */
  bindInStart: boolean;
  /** Every scope node met, by node id, for `scopeOf`. */
  scopes: Map<number, Scope>;
  /** Only the starting scope's own bindings: nested bodies are not walked, and no references are kept. */
  shallow?: boolean;
  /** Collects every scope the walk opens. */
  built?: Scope[];
}

export function buildScopes(nodes: readonly Node[], start: Scope, options: BuildOptions): void {
  const builder = new ScopeBuilder(start, options);
  for (const node of nodes) builder.statement(node, start);
}

/** The innermost function-like scope for `:=` targets (PEP 572: comprehensions pass them outward). */
function namedExpressionScope(scope: Scope): Scope {
  let current = scope;
  while (current.kind === "comprehension" && current.parent) current = current.parent;
  return current;
}

class ScopeBuilder {
  constructor(
    private readonly start: Scope,
    private readonly options: BuildOptions,
  ) {}

  private bind(scope: Scope, name: string, kind: BindingKind, site: Node, qualified?: string): void {
    if (scope === this.start && !this.options.bindInStart) return;
    scope.bind(qualified === undefined ? { name, kind, site } : { name, kind, site, qualified });
  }

  private reference(scope: Scope, node: Node, kind: ReferenceKind): void {
    if (!this.options.shallow) scope.references.push({ name: node.text, kind, node });
  }

  private newScope(node: Node, parent: Scope): Scope {
    const scope = new Scope(SCOPE_NODE_KINDS[node.type], node, parent);
    this.options.scopes.set(node.id, scope);
    this.options.built?.push(scope);
    return scope;
  }

  statement(node: Node, scope: Scope): void {
    if (this.options.skip?.has(node.startIndex)) {
      // A split-off method: its name binds here, everything else is its own unit's.
      const definition = node.type === "decorated_definition" ? node.childForFieldName("definition") : node;
      const name = definition?.childForFieldName("name");
      if (definition && name) this.bind(scope, name.text, "function", definition);
      return;
    }
    switch (node.type) {
      case "decorated_definition": {
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (child.type === "decorator") this.expression(child, scope);
          else this.statement(child, scope);
        }
        return;
      }
      case "function_definition":
        this.functionDefinition(node, scope);
        return;
      case "class_definition":
        this.classDefinition(node, scope);
        return;
      case "import_statement":
      case "import_from_statement":
        // A wildcard import binds "*": no identifier has that name, but a fix can see that names may come from it.
        for (const { name, target } of importedNames(node)) this.bind(scope, name, "import", node, target);
        return;
      case "future_import_statement":
        return;
      case "global_statement":
      case "nonlocal_statement":
        for (const child of node.namedChildren) {
          if (child?.type !== "identifier") continue;
          (node.type === "global_statement" ? scope.globals : scope.nonlocals).add(child.text);
        }
        return;
      case "for_statement": {
        this.target(node.childForFieldName("left"), scope, "for-target");
        this.iterated(node.childForFieldName("right"), scope);
        for (const field of ["body", "alternative"]) {
          for (const child of node.childrenForFieldName(field)) if (child) this.statement(child, scope);
        }
        return;
      }
      case "delete_statement": {
        for (const child of node.namedChildren) if (child) this.deleted(child, scope);
        return;
      }
      case "match_statement": {
        for (const child of node.namedChildren) if (child) this.statement(child, scope);
        return;
      }
      case "case_clause": {
        for (const child of node.namedChildren) {
          if (child?.type === "case_pattern") this.pattern(child, scope);
          else if (child) this.statement(child, scope);
        }
        return;
      }
      default:
        this.expression(node, scope);
    }
  }

  private functionDefinition(node: Node, scope: Scope): void {
    const name = node.childForFieldName("name");
    if (name) this.bind(scope, name.text, "function", node);
    if (this.options.shallow) return;
    const inner = this.newScope(node, scope);
    const parameters = node.childForFieldName("parameters");
    if (parameters) this.parameters(parameters, scope, inner);
    const returns = node.childForFieldName("return_type");
    if (returns) this.expression(returns, scope);
    const body = node.childForFieldName("body");
    if (body) for (const child of body.namedChildren) if (child) this.statement(child, inner);
  }

  private classDefinition(node: Node, scope: Scope): void {
    const name = node.childForFieldName("name");
    if (name) this.bind(scope, name.text, "class", node);
    if (this.options.shallow) return;
    const superclasses = node.childForFieldName("superclasses");
    if (superclasses) this.expression(superclasses, scope);
    const inner = this.newScope(node, scope);
    const body = node.childForFieldName("body");
    if (body) for (const child of body.namedChildren) if (child) this.statement(child, inner);
  }

  /** Parameter names bind in the function's scope; defaults and annotations run in the enclosing one. */
  private parameters(parameters: Node, outer: Scope, inner: Scope): void {
    for (const parameter of parameters.namedChildren) {
      if (!parameter) continue;
      if (parameter.type === "identifier") {
        this.bind(inner, parameter.text, "parameter", parameter);
        continue;
      }
      const value = parameter.childForFieldName("value");
      if (value) this.expression(value, outer);
      const type = parameter.childForFieldName("type");
      if (type) this.expression(type, outer);
      const name = parameterIdentifier(parameter);
      if (name) this.bind(inner, name.text, "parameter", name);
    }
  }

  /** An expression (or a simple statement), with the bindings and references inside it. */
  expression(node: Node, scope: Scope): void {
    switch (node.type) {
      case "identifier":
        this.reference(scope, node, "load");
        return;
      case "function_definition":
      case "class_definition":
      case "decorated_definition":
        this.statement(node, scope);
        return;
      case "lambda": {
        if (this.options.shallow) return;
        const inner = this.newScope(node, scope);
        const parameters = node.childForFieldName("parameters");
        if (parameters) this.parameters(parameters, scope, inner);
        const body = node.childForFieldName("body");
        if (body) this.expression(body, inner);
        return;
      }
      case "list_comprehension":
      case "set_comprehension":
      case "dictionary_comprehension":
      case "generator_expression":
        this.comprehension(node, scope);
        return;
      case "assignment": {
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        const type = node.childForFieldName("type");
        if (type) this.expression(type, scope);
        if (right) this.expression(right, scope);
        this.target(left, scope, right || !type ? "assignment" : "annotation");
        return;
      }
      case "augmented_assignment": {
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        if (right) this.expression(right, scope);
        if (left?.type === "identifier") {
          this.reference(scope, left, "load");
          this.reference(scope, left, "store");
          this.bind(scope, left.text, "augmented-assignment", left);
        } else if (left) this.expression(left, scope);
        return;
      }
      case "named_expression": {
        const value = node.childForFieldName("value");
        if (value) this.expression(value, scope);
        const name = node.childForFieldName("name");
        if (name) {
          const target = namedExpressionScope(scope);
          this.reference(target, name, "store");
          this.bind(target, name.text, "named-expression", name);
        }
        return;
      }
      case "as_pattern": {
        const value = node.namedChild(0);
        if (value) this.expression(value, scope);
        const alias = node.childForFieldName("alias");
        const kind = node.parent?.type === "with_item" ? "with-target" : "except-target";
        if (alias?.type === "as_pattern_target") this.target(alias.namedChild(0), scope, kind);
        return;
      }
      case "call": {
        const callee = node.childForFieldName("function");
        if (callee?.type === "identifier") this.reference(scope, callee, "call");
        else if (callee) this.expression(callee, scope);
        const args = node.childForFieldName("arguments");
        if (args) this.expression(args, scope);
        return;
      }
      case "attribute": {
        const object = node.childForFieldName("object");
        if (object?.type === "identifier") this.reference(scope, object, "attribute-base");
        else if (object) this.expression(object, scope);
        return;
      }
      case "keyword_argument": {
        const value = node.childForFieldName("value");
        if (value) this.expression(value, scope);
        return;
      }
      case "import_statement":
      case "import_from_statement":
      case "future_import_statement":
      case "global_statement":
      case "nonlocal_statement":
      case "for_statement":
      case "delete_statement":
      case "match_statement":
      case "case_clause":
        this.statement(node, scope);
        return;
      case "string":
      case "integer":
      case "float":
      case "comment":
      case "true":
      case "false":
      case "none":
      case "dotted_name":
        return;
    }
    for (const child of node.namedChildren) if (child) this.statement(child, scope);
  }

  private comprehension(node: Node, scope: Scope): void {
    if (this.options.shallow) {
      // Only a `:=` inside binds outside the comprehension.
      for (const named of node.descendantsOfType("named_expression")) {
        const name = named?.childForFieldName("name");
        if (named && name && !insideNestedFunction(named, node)) this.bind(scope, name.text, "named-expression", name);
      }
      return;
    }
    const inner = this.newScope(node, scope);
    let first = true;
    const clauses: Node[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "for_in_clause") {
        // The first iterable is evaluated in the enclosing scope, the rest in the comprehension's.
        this.iterated(child.childForFieldName("right"), first ? scope : inner);
        this.target(child.childForFieldName("left"), inner, "comprehension-target");
        first = false;
      } else clauses.push(child);
    }
    for (const clause of clauses) this.expression(clause, inner);
  }

  private iterated(node: Node | null, scope: Scope): void {
    if (!node) return;
    if (node.type === "identifier") this.reference(scope, node, "iteration");
    else this.expression(node, scope);
  }

  /** Binds the names a target binds (`a`, `a, b`, `[a, *b]`); attributes and subscripts are loads. */
  private target(target: Node | null, scope: Scope, kind: BindingKind): void {
    if (!target) return;
    switch (target.type) {
      case "identifier":
        this.reference(scope, target, "store");
        this.bind(scope, target.text, kind, target);
        return;
      case "attribute":
      case "subscript":
        this.expression(target, scope);
        return;
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
      case "tuple":
      case "list":
      case "expression_list":
      case "parenthesized_expression":
      case "list_splat_pattern":
      case "list_splat":
        for (const child of target.namedChildren) this.target(child, scope, kind);
        return;
      default:
        this.expression(target, scope);
    }
  }

  private deleted(node: Node, scope: Scope): void {
    if (node.type === "identifier") {
      this.reference(scope, node, "delete");
      this.bind(scope, node.text, "deletion", node);
    } else if (node.type === "expression_list" || node.type === "tuple" || node.type === "list" || node.type === "parenthesized_expression") {
      for (const child of node.namedChildren) if (child) this.deleted(child, scope);
    } else this.expression(node, scope);
  }

  /** A `case` pattern: bare names capture, dotted names and literals compare. */
  private pattern(node: Node, scope: Scope): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "dotted_name") {
        if (child.namedChildCount === 1 && node.type === "case_pattern" && child.namedChild(0)?.text !== "_") {
          const name = child.namedChild(0);
          if (name) this.bind(scope, name.text, "match-capture", name);
        } else for (const part of child.namedChildren.slice(0, 1)) if (part) this.reference(scope, part, "load");
      } else if (child.type === "identifier") {
        // `*rest`, `**kw` and the name after `as` capture; a keyword pattern's key does not.
        if (node.type === "keyword_pattern" && child.equals(node.namedChild(0) as Node)) continue;
        this.bind(scope, child.text, "match-capture", child);
      } else if (child.type === "if_clause") this.expression(child, scope);
      else this.pattern(child, scope);
    }
  }
}

/** The identifier a parameter node binds: `b` in `b: int = 1`, `args` in `*args`. */
export function parameterIdentifier(parameter: Node): Node | undefined {
  if (parameter.type === "identifier") return parameter;
  const name = parameter.childForFieldName("name") ?? parameter.namedChild(0);
  if (!name) return undefined;
  if (name.type === "identifier") return name;
  if (name.type === "list_splat_pattern" || name.type === "dictionary_splat_pattern") {
    const inner = name.namedChild(0);
    return inner?.type === "identifier" ? inner : undefined;
  }
  return undefined;
}

/** True when a node sits in a `def` or `lambda` nested inside `outer`. */
function insideNestedFunction(node: Node, outer: Node): boolean {
  for (let parent = node.parent; parent && !parent.equals(outer); parent = parent.parent) {
    if (parent.type === "function_definition" || parent.type === "lambda" || parent.type === "class_definition") return true;
  }
  return false;
}

/**
 * Whether code in `child` runs in the scope `scopeNode` opens: a function's body and parameter
 * names do, its defaults, annotations and name do not; a class's body does, its bases do not; a
 * comprehension's parts do, except the first iterable.
 */
export function runsInside(scopeNode: Node, child: Node, node: Node): boolean {
  switch (scopeNode.type) {
    case "function_definition":
    case "lambda": {
      const body = scopeNode.childForFieldName("body");
      if (body && child.equals(body)) return true;
      const parameters = scopeNode.childForFieldName("parameters");
      if (!parameters || !child.equals(parameters) || node.type !== "identifier") return false;
      // A parameter's own name is the function's; its default and annotation are not.
      for (let ancestor: Node | null = node; ancestor; ancestor = ancestor.parent) {
        if (ancestor.parent?.equals(parameters)) return parameterIdentifier(ancestor)?.equals(node) ?? false;
      }
      return false;
    }
    case "class_definition": {
      const body = scopeNode.childForFieldName("body");
      return body !== null && child.equals(body);
    }
    default: {
      const first = scopeNode.namedChildren.find((each) => each?.type === "for_in_clause");
      const iterable = first?.childForFieldName("right");
      if (first && child.equals(first) && iterable && node.startIndex >= iterable.startIndex && node.endIndex <= iterable.endIndex) return false;
      return true;
    }
  }
}

