import type { Node } from "web-tree-sitter";
import type { SemanticModel } from "../model/semantic-model";

/**
 * What a name holds, when every binding of it in its scope is `name = value` or `with value as
 * name` (and, with `namedExpressions`, `name := value`): those values. Undefined when the name is
 * a parameter, imported, bound any other way (loop target, tuple unpacking, `+=`, a bare
 * annotation, `def`, `class`), or not bound at all.
 */
export function boundValues(model: SemanticModel, identifier: Node, options: { namedExpressions?: boolean } = {}): Node[] | undefined {
  if (identifier.type !== "identifier") return undefined;
  const binding = model.binding(identifier);
  if (!binding) return undefined;
  const values: Node[] = [];
  for (const each of binding.bindings) {
    const value = valueOf(each.kind, each.site, options);
    if (!value) return undefined;
    values.push(value);
  }
  return values.length > 0 ? values : undefined;
}

function valueOf(kind: string, site: Node, options: { namedExpressions?: boolean }): Node | undefined {
  const parent = site.parent;
  if (kind === "assignment") {
    if (parent?.type !== "assignment" || !parent.childForFieldName("left")?.equals(site)) return undefined;
    const right = parent.childForFieldName("right");
    if (!right || right.type === "assignment" || right.type === "augmented_assignment") return undefined;
    return right;
  }
  if (kind === "with-target") {
    // `with value as name`: the target is the name itself, not a tuple of names.
    if (parent?.type !== "as_pattern_target") return undefined;
    const pattern = parent.parent;
    if (pattern?.parent?.type !== "with_item") return undefined;
    return pattern.namedChild(0) ?? undefined;
  }
  if (kind === "named-expression" && options.namedExpressions) {
    return parent?.type === "named_expression" ? (parent.childForFieldName("value") ?? undefined) : undefined;
  }
  return undefined;
}
