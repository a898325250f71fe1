import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";

export const staticmethodNamesOwnClassRule: Rule = {
  code: "PYM005",
  name: "staticmethod-names-own-class",
  knowledge: "staticmethod-vs-classmethod",
  severity: "warning",
  nodeTypes: ["decorated_definition"],
  check(ctx) {
    const findings = [];
    for (const decorated of ctx.nodes("decorated_definition")) {
      const decorator = staticmethodDecorator(ctx, decorated);
      const method = decorated.childForFieldName("definition");
      const owner = enclosingClassName(decorated);
      if (!decorator || method?.type !== "function_definition" || !owner) continue;
      const references = ownClassReferences(method, owner);
      if (references.length === 0) continue;
      const fix = toClassmethod(decorator, method, references);
      for (const reference of references) {
        const uses = reference.parent?.type === "call" ? `constructs \`${owner}\`` : `reads \`${owner}.${reference.parent?.childForFieldName("attribute")?.text ?? ""}\``;
        findings.push(
          ctx.finding(
            reference,
            `This staticmethod ${uses} by name, so calling it through a subclass still uses \`${owner}\`. A @classmethod receives the class it is called on as \`cls\`.`,
            fix,
          ),
        );
      }
    }
    return findings;
  },
};

/** The `staticmethod` identifier of `@staticmethod`, if this definition has that decorator. */
function staticmethodDecorator(ctx: RuleContext, decorated: Node): Node | undefined {
  for (const child of decorated.namedChildren) {
    if (child?.type !== "decorator") continue;
    const expression = child.namedChild(0);
    if (expression && ctx.file.qualifiedName(expression) === "builtins.staticmethod") return expression;
  }
  return undefined;
}

/** Name of the class whose body directly holds this definition. */
function enclosingClassName(decorated: Node): string | undefined {
  const block = decorated.parent;
  const owner = block?.type === "block" ? block.parent : null;
  return owner?.type === "class_definition" ? owner.childForFieldName("name")?.text : undefined;
}

/**
 * References to the class inside the method that a classmethod would write as `cls`: calls
 * `Owner(...)` and plain reads of a class attribute's value (`return Owner.default`). Left alone,
 * because there the base class may well be meant: writes (`Owner.count += 1`), uses of a shared
 * object (`Owner.registry.append(x)`), calls of other methods (`Owner.helper()`) and other uses
 * (`isinstance(x, Owner)`).
 */
function ownClassReferences(method: Node, owner: string): Node[] {
  const body = method.childForFieldName("body");
  if (!body) return [];
  const references: Node[] = [];
  const visit = (node: Node): void => {
    // A nested class of the same name would shadow the owner; stop there.
    if (node.type === "class_definition") return;
    if (node.type === "identifier" && node.text === owner && isConstructionOrRead(node)) references.push(node);
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(body);
  return references;
}

function isConstructionOrRead(identifier: Node): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (parent.type === "call") return parent.childForFieldName("function")?.equals(identifier) ?? false;
  if (parent.type !== "attribute" || !parent.childForFieldName("object")?.equals(identifier)) return false;
  const grand = parent.parent;
  if (grand?.type === "attribute" || grand?.type === "call" || grand?.type === "subscript") return false;
  const isTarget =
    (grand?.type === "assignment" || grand?.type === "augmented_assignment") &&
    (grand.childForFieldName("left")?.equals(parent) ?? false);
  return !isTarget;
}

function toClassmethod(decorator: Node, method: Node, references: readonly Node[]): Fix | undefined {
  const parameters = method.childForFieldName("parameters");
  if (!parameters) return undefined;
  const names = parameters.namedChildren.map((p) => (p?.type === "identifier" ? p.text : p?.childForFieldName("name")?.text ?? p?.namedChild(0)?.text));
  if (names.includes("cls")) return undefined;
  const open = parameters.child(0);
  if (!open || open.type !== "(") return undefined;
  const edits: TextEdit[] = [
    { range: { start: decorator.startPosition, end: decorator.endPosition }, newText: "classmethod" },
    { range: { start: open.endPosition, end: open.endPosition }, newText: parameters.namedChildCount > 0 ? "cls, " : "cls" },
    ...references.map((reference) => ({ range: { start: reference.startPosition, end: reference.endPosition }, newText: "cls" })),
  ];
  return { title: "Make it a @classmethod and use cls", edits, safe: false };
}
