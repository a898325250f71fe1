import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { decoratorsOf } from "../analysis/model/class-members";
import { parameterNames } from "../analysis/support/syntax";

export const staticmethodNamesOwnClassRule: Rule = {
  code: "PYM005",
  name: "staticmethod-names-own-class",
  knowledge: "staticmethod-vs-classmethod",
  severity: "warning",
  nodeTypes: ["decorated_definition"],
  messages: {
    message: {
      en: "This staticmethod constructs `{owner}` by name, so calling it through a subclass still builds a `{owner}`. A @classmethod receives the class it is called on as `cls`.",
      ko: "이 staticmethod는 `{owner}`를 이름으로 직접 생성하므로 하위 클래스에서 호출해도 `{owner}`가 만들어집니다. @classmethod는 호출된 클래스를 `cls`로 받습니다.",
      "zh-cn": "这个 staticmethod 按名字构造 `{owner}`，所以即使通过子类调用，得到的仍是 `{owner}`。@classmethod 会把调用它的类作为 `cls` 传入。",
    },
    fix: { en: "Make it a @classmethod and use cls", ko: "@classmethod로 바꾸고 cls 사용", "zh-cn": "改为 @classmethod 并使用 cls" },
  },
  check(ctx) {
    const findings = [];
    for (const decorated of ctx.nodes("decorated_definition")) {
      const decorator = staticmethodDecorator(ctx, decorated);
      const method = decorated.childForFieldName("definition");
      const body = method?.type === "function_definition" ? method.childForFieldName("body") : null;
      if (!decorator || !method || !body) continue;
      const ownerClass = ctx.model.owner(body).method?.class;
      const owner = ownerClass?.childForFieldName("name")?.text;
      if (!ownerClass || !owner) continue;
      // A final class has no subclass for the staticmethod to get wrong.
      if (isFinal(ctx, ownerClass)) continue;
      const references = ownClassReferences(ctx, body, ownerClass, owner);
      if (references.length === 0) continue;
      const fix = toClassmethod(decorator, method, references, ctx.t("fix"));
      for (const reference of references) {
        findings.push(
          ctx.finding(
            reference,
            ctx.t("message", { owner }),
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
    if (expression && ctx.model.qualifiedName(expression) === "builtins.staticmethod") return expression;
  }
  return undefined;
}

const FINAL_DECORATORS = new Set(["typing.final", "typing_extensions.final"]);

/**
 * True when the class is decorated `@typing.final` (or `typing_extensions.final`), or with a
 * `final` imported from a module the model cannot resolve (a relative re-export of it).
 */
function isFinal(ctx: RuleContext, classNode: Node): boolean {
  return decoratorsOf(classNode).some((decorator) => {
    const qualified = ctx.model.qualifiedName(decorator);
    if (qualified) return FINAL_DECORATORS.has(qualified);
    const name = decorator.type === "attribute" ? decorator.childForFieldName("attribute") : decorator;
    if (name?.text !== "final") return false;
    const root = decorator.type === "attribute" ? decorator.childForFieldName("object") : decorator;
    const binding = root?.type === "identifier" ? ctx.model.bindingOrImport(root) : undefined;
    return binding?.kind === "import" && binding.qualified === undefined;
  });
}

/**
 * The factory pattern: `Owner(...)` whose result the method returns, directly
 * (`return Owner(x)`, `return Owner() if ok else None`) or through a local name
 * (`person = Owner(x)` ... `return person`). That is what a classmethod would write as
 * `cls(...)`. Instances built for internal use, and other uses of the class name (constants,
 * enum members, shared registries, `isinstance`), stay quiet: there the base class is meant.
 */
function ownClassReferences(ctx: RuleContext, body: Node, ownerClass: Node, owner: string): Node[] {
  const direct: Node[] = [];
  const viaName: { name: string; callee: Node }[] = [];
  const returnedNames = new Set<string>();
  const visit = (node: Node): void => {
    if (node.type === "return_statement") {
      const value = node.namedChild(0);
      if (value?.type === "identifier") returnedNames.add(value.text);
    } else if (node.type === "call") {
      const callee = node.childForFieldName("function");
      // The name must still mean the owner here: a local class or variable may shadow it.
      if (callee?.type === "identifier" && callee.text === owner && namesClass(ctx, callee, ownerClass)) {
        const target = resultTarget(node);
        if (target === "returned") direct.push(callee);
        else if (target) viaName.push({ name: target.name, callee });
      }
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(body);
  const references = [...direct, ...viaName.filter(({ name }) => returnedNames.has(name)).map(({ callee }) => callee)];
  return references.sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * True when the identifier means that class. A name bound once, as a class, in the scope the
 * class statement runs in is that class: asked this way, the answer reads how the name is bound,
 * not the class's text, so an edit in another method leaves this one's findings alone.
 */
function namesClass(ctx: RuleContext, identifier: Node, classNode: Node): boolean {
  const binding = ctx.model.binding(identifier);
  return binding?.kind === "class" && binding.scope === ctx.model.scopeOf(classNode);
}

/** Where a call's value goes: straight out of a `return`, into a plain local name, or elsewhere. */
function resultTarget(call: Node): "returned" | { name: string } | undefined {
  let value = call;
  let parent = call.parent;
  while (parent && (parent.type === "parenthesized_expression" || parent.type === "conditional_expression")) {
    value = parent;
    parent = parent.parent;
  }
  if (parent?.type === "return_statement") return "returned";
  if (parent?.type === "assignment" && parent.childForFieldName("right")?.equals(value)) {
    const left = parent.childForFieldName("left");
    if (left?.type === "identifier") return { name: left.text };
  }
  return undefined;
}

function toClassmethod(decorator: Node, method: Node, references: readonly Node[], title: string): Fix | undefined {
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
  return { title, edits, safe: false };
}
