import type { Node } from "web-tree-sitter";

/** How a method is bound: `self` first, `cls` first (`@classmethod`), or nothing (`@staticmethod`). */
export type MethodKind = "instance" | "class" | "static";

export interface ClassMember {
  kind: "method" | "attribute";
  /** The `function_definition` of a method; the assignment (or annotated name) of an attribute. */
  node: Node;
  methodKind?: MethodKind;
}

/** Methods Python makes class or static methods without a decorator. */
const IMPLICIT_KINDS: Readonly<Record<string, MethodKind>> = {
  __new__: "static",
  __init_subclass__: "class",
  __class_getitem__: "class",
};

/** The decorators of a definition, innermost last, as their expressions (`x` of `@x`). */
export function decoratorsOf(definition: Node): Node[] {
  const outer = definition.parent?.type === "decorated_definition" ? definition.parent : undefined;
  if (!outer) return [];
  const decorators: Node[] = [];
  for (const child of outer.namedChildren) {
    if (child?.type !== "decorator") continue;
    const expression = child.namedChildren.find((each) => each?.type !== "comment");
    if (expression) decorators.push(expression);
  }
  return decorators;
}

/**
 * How a method is bound, from its decorators (`@staticmethod`, `@classmethod`, also as
 * `builtins.` names through `qualify`) and the names Python treats specially.
 */
export function methodKindOf(definition: Node, qualify: (decorator: Node) => string | undefined = () => undefined): MethodKind {
  for (const decorator of decoratorsOf(definition)) {
    const name = decorator.type === "identifier" ? decorator.text : qualify(decorator);
    if (name === "staticmethod" || name === "builtins.staticmethod") return "static";
    if (name === "classmethod" || name === "builtins.classmethod") return "class";
  }
  const name = definition.childForFieldName("name")?.text ?? "";
  return IMPLICIT_KINDS[name] ?? "instance";
}

/**
 * The names a class body binds directly: its methods (a name defined twice keeps the last) and
 * its class-level assignments and annotations. Nested scopes and conditional blocks are looked
 * into only for plain statements at the top of the body.
 */
export function classMembersOf(classNode: Node, qualify?: (decorator: Node) => string | undefined): Map<string, ClassMember> {
  const members = new Map<string, ClassMember>();
  const body = classNode.childForFieldName("body");
  for (const statement of body?.namedChildren ?? []) {
    if (!statement) continue;
    const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
    if (definition?.type === "function_definition") {
      const name = definition.childForFieldName("name")?.text;
      if (name) members.set(name, { kind: "method", node: definition, methodKind: methodKindOf(definition, qualify) });
      continue;
    }
    if (statement.type !== "expression_statement") continue;
    for (const expression of statement.namedChildren) {
      if (expression?.type !== "assignment") continue;
      for (let target: Node | null = expression; target?.type === "assignment"; target = target.childForFieldName("right")) {
        const left = target.childForFieldName("left");
        if (left?.type === "identifier" && !members.has(left.text)) members.set(left.text, { kind: "attribute", node: target });
      }
    }
  }
  return members;
}
