import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { parameterNames } from "../analysis/scopes";

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
      const ownerClass = enclosingClass(decorated);
      const owner = ownerClass?.childForFieldName("name")?.text;
      if (!decorator || method?.type !== "function_definition" || !ownerClass || !owner) continue;
      const references = ownClassReferences(ctx, method, ownerClass, owner);
      if (references.length === 0) continue;
      const fix = toClassmethod(decorator, method, references);
      for (const reference of references) {
        findings.push(
          ctx.finding(
            reference,
            `This staticmethod constructs \`${owner}\` by name, so calling it through a subclass still builds a \`${owner}\`. A @classmethod receives the class it is called on as \`cls\`.`,
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

/** The class whose body directly holds this definition. */
function enclosingClass(decorated: Node): Node | undefined {
  const block = decorated.parent;
  const owner = block?.type === "block" ? block.parent : null;
  return owner?.type === "class_definition" ? owner : undefined;
}

/**
 * Constructions `Owner(...)` inside the method: what a classmethod would write as `cls(...)`.
 * Other uses of the class name stay quiet, because there the base class is usually meant:
 * reading a constant or an enum member (`Owner.LIMIT`), a shared object (`Owner._registry`),
 * writes (`Owner.count += 1`) and checks (`isinstance(x, Owner)`).
 */
function ownClassReferences(ctx: RuleContext, method: Node, ownerClass: Node, owner: string): Node[] {
  const body = method.childForFieldName("body");
  if (!body) return [];
  const references: Node[] = [];
  const visit = (node: Node): void => {
    if (node.type === "call") {
      const callee = node.childForFieldName("function");
      // The name must still mean the owner here: a local class or variable may shadow it.
      if (callee?.type === "identifier" && callee.text === owner && ctx.file.binding(callee)?.node?.equals(ownerClass)) {
        references.push(callee);
      }
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(body);
  return references;
}

function toClassmethod(decorator: Node, method: Node, references: readonly Node[]): Fix | undefined {
  const parameters = method.childForFieldName("parameters");
  if (!parameters) return undefined;
  // A parameter already called cls would clash; the user has to choose a name then.
  if (parameterNames(parameters).includes("cls")) return undefined;
  const open = parameters.child(0);
  if (!open || open.type !== "(") return undefined;
  const edits: TextEdit[] = [
    { range: { start: decorator.startPosition, end: decorator.endPosition }, newText: "classmethod" },
    { range: { start: open.endPosition, end: open.endPosition }, newText: parameters.namedChildCount > 0 ? "cls, " : "cls" },
    ...references.map((reference) => ({ range: { start: reference.startPosition, end: reference.endPosition }, newText: "cls" })),
  ];
  return { title: "Make it a @classmethod and use cls", edits, safe: false };
}
