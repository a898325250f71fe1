import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { mutableKind } from "../analysis/support/built-kind";
import { referencedNames } from "../analysis/support/syntax";

export const mutableDefaultArgumentRule: Rule = {
  code: "PYM020",
  name: "mutable-default-argument",
  knowledge: "mutable-default-argument",
  severity: "warning",
  equivalents: ["B006"],
  nodeTypes: ["default_parameter", "typed_default_parameter"],
  messages: {
    message: {
      en: "The default `{kind}` of `{name}` is created once, when the `def` runs, and every call that omits `{name}` gets that same object, so changes made in one call show up in the next. Default to `None` and create the `{kind}` inside the function.",
      ko: "`{name}`의 기본값 `{kind}`는 `def`가 실행될 때 한 번만 만들어지고, `{name}`을 생략한 모든 호출이 그 객체 하나를 같이 씁니다. 그래서 한 호출에서 바꾼 내용이 다음 호출에 남습니다. 기본값은 `None`으로 두고 `{kind}`는 함수 안에서 만드세요.",
      "zh-cn": "`{name}` 的默认值 `{kind}` 只在执行 `def` 时创建一次，所有省略 `{name}` 的调用共用这同一个对象，因此一次调用中的修改会带到下一次调用。请把默认值设为 `None`，在函数内部再创建 `{kind}`。",
    },
    lambdaMessage: {
      en: "The default `{kind}` of `{name}` is created once, when the `lambda` expression is evaluated, and every call that omits `{name}` gets that same object. Use a `def` with a `None` default, or an immutable default.",
      ko: "`{name}`의 기본값 `{kind}`는 `lambda` 식이 평가될 때 한 번만 만들어지고, `{name}`을 생략한 모든 호출이 그 객체 하나를 같이 씁니다. 기본값이 `None`인 `def`를 쓰거나 변경할 수 없는 기본값을 쓰세요.",
      "zh-cn": "`{name}` 的默认值 `{kind}` 只在求值 `lambda` 表达式时创建一次，所有省略 `{name}` 的调用共用这同一个对象。请改用默认值为 `None` 的 `def`，或使用不可变的默认值。",
    },
    fix: {
      en: "Default `{name}` to None and create the {kind} in the body",
      ko: "`{name}`의 기본값을 None으로 바꾸고 본문에서 {kind} 생성",
      "zh-cn": "将 `{name}` 的默认值改为 None，并在函数体中创建 {kind}",
    },
  },
  check(ctx) {
    const findings = [];
    for (const type of ["default_parameter", "typed_default_parameter"]) {
      for (const parameter of ctx.nodes(type)) {
        const list = parameter.parent;
        if (list?.type !== "parameters" && list?.type !== "lambda_parameters") continue;
        const value = parameter.childForFieldName("value");
        const nameNode = parameter.childForFieldName("name");
        if (!value || nameNode?.type !== "identifier") continue;
        const kind = mutableKind(ctx.model, value);
        if (!kind) continue;
        if (list.parent?.type === "function_definition" && isStub(list.parent)) continue;
        // `_cache={}`: a private parameter no caller passes is the idiom for a deliberate shared default.
        if (nameNode.text.startsWith("_")) continue;
        const args = { name: nameNode.text, kind };
        const isLambda = list.type === "lambda_parameters";
        const fix = isLambda ? undefined : noneDefaultFix(ctx, parameter, nameNode.text, value, ctx.t("fix", args));
        findings.push(ctx.finding(value, ctx.t(isLambda ? "lambdaMessage" : "message", args), fix));
      }
    }
    return findings.sort((a, b) => a.range.start.row - b.range.start.row || a.range.start.column - b.range.start.column);
  },
};

/**
 * `def f(x=[]):` becomes `def f(x=None):` with `if x is None:` / `x = []` as the body's first
 * statement (after the docstring). Offered only when that is a faithful move: the body starts on
 * its own line with plain indentation, the default fits on one line, and every name the default
 * reads still means the same thing inside the body.
 */
function noneDefaultFix(ctx: RuleContext, parameter: Node, name: string, value: Node, title: string): Fix | undefined {
  const fn = parameter.parent?.parent;
  if (fn?.type !== "function_definition") return undefined;
  const body = fn.childForFieldName("body");
  const colon = fn.children.find((child) => child?.type === ":");
  if (!body || !colon) return undefined;
  if (value.startPosition.row !== value.endPosition.row) return undefined;
  if (!defaultMeansTheSameInBody(ctx, fn, value)) return undefined;
  const statements = body.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
  if (statements.length === 0 || statements[0].startPosition.row <= colon.endPosition.row) return undefined;
  const indentOf = (node: Node): string | undefined => {
    const prefix = ctx.line(node.startPosition.row).slice(0, node.startPosition.column);
    return /^[ \t]*$/.test(prefix) ? prefix : undefined;
  };
  const bodyIndent = indentOf(statements[0]);
  const defIndent = indentOf(fn.parent?.type === "decorated_definition" ? fn.parent : fn);
  if (bodyIndent === undefined || defIndent === undefined) return undefined;
  if (!bodyIndent.startsWith(defIndent) || bodyIndent.length === defIndent.length) return undefined;
  const unit = bodyIndent.slice(defIndent.length);
  // Insert before the first statement that is not the docstring, on a line of its own.
  const first = isDocstring(statements[0]) ? statements[1] : statements[0];
  if (!first) return undefined;
  const previous = statements[statements.indexOf(first) - 1];
  if (previous && previous.endPosition.row >= first.startPosition.row) return undefined;
  if (indentOf(first) !== bodyIndent) return undefined;
  const insertion = `${bodyIndent}if ${name} is None:\n${bodyIndent}${unit}${name} = ${value.text}\n`;
  const edits: TextEdit[] = [
    { range: { start: value.startPosition, end: value.endPosition }, newText: "None" },
    ...optionalAnnotation(ctx, parameter),
    { range: { start: { row: first.startPosition.row, column: 0 }, end: { row: first.startPosition.row, column: 0 } }, newText: insertion },
  ];
  return { title, edits, safe: false };
}

/**
 * A body that does nothing (`...`, `pass`, a docstring, `raise NotImplementedError`), as in type
 * stubs, protocols, overloads and abstract methods, never touches its defaults: they only
 * document what the real implementation uses.
 */
function isStub(fn: Node): boolean {
  const body = fn.childForFieldName("body");
  if (!body) return false;
  return body.namedChildren.every((statement) => {
    if (!statement || statement.type === "comment" || statement.type === "pass_statement") return true;
    if (statement.type === "expression_statement") return statement.namedChild(0)?.type === "ellipsis" || isDocstring(statement);
    if (statement.type === "raise_statement") return /^raise\s+NotImplementedError\b/.test(statement.text);
    return false;
  });
}

function isDocstring(statement: Node): boolean {
  if (statement.type !== "expression_statement" || statement.namedChildCount !== 1) return false;
  const expression = statement.namedChild(0);
  return expression?.type === "string" || expression?.type === "concatenated_string";
}

/**
 * The default is evaluated where the `def` stands; the body runs in the function's own scope
 * (and a method's body cannot see its class's names). Moving the expression is only faithful when
 * none of the names it reads is bound by the function itself or, for a method, by the class body.
 */
function defaultMeansTheSameInBody(ctx: RuleContext, fn: Node, value: Node): boolean {
  const own = ctx.model.scopeFor(fn);
  const owningClass = ctx.model.owner(value).method?.class;
  const classScope = owningClass ? ctx.model.scopeFor(owningClass) : undefined;
  const comprehensionNames = new Set<string>();
  for (const clause of value.descendantsOfType("for_in_clause")) {
    const left = clause?.childForFieldName("left");
    if (!left) continue;
    if (left.type === "identifier") comprehensionNames.add(left.text);
    for (const name of left.descendantsOfType("identifier")) if (name) comprehensionNames.add(name.text);
  }
  return referencedNames(value).every((name) => comprehensionNames.has(name) || (!own?.binds(name) && !classScope?.binds(name)));
}

/**
 * A typed parameter keeps its annotation, widened to accept the new `None` default: `list[int]`
 * becomes `list[int] | None` (or `Optional[list[int]]` when the file imports `typing.Optional`),
 * a string annotation gets ` | None` inside the quotes. Annotations that already admit None stay.
 */
function optionalAnnotation(ctx: RuleContext, parameter: Node): TextEdit[] {
  if (parameter.type !== "typed_default_parameter") return [];
  const typeNode = parameter.childForFieldName("type");
  const annotation = typeNode?.namedChild(0);
  if (!typeNode || !annotation || admitsNone(ctx, annotation)) return [];
  const range = { start: annotation.startPosition, end: annotation.endPosition };
  if (annotation.type === "string") {
    const content = annotation.namedChildren.filter((child) => child?.type === "string_content");
    const end = annotation.lastChild;
    if (content.length !== 1 || end?.type !== "string_end" || annotation.namedChildCount !== 3) return [];
    return [{ range: { start: end.startPosition, end: end.startPosition }, newText: " | None" }];
  }
  const optional = [...ctx.model.moduleImports()].find(([, qualified]) => qualified === "typing.Optional")?.[0];
  if (optional) return [{ range, newText: `${optional}[${annotation.text}]` }];
  const simple = ["identifier", "attribute", "generic_type", "subscript", "binary_operator", "call", "none"];
  return [{ range, newText: simple.includes(annotation.type) ? `${annotation.text} | None` : `(${annotation.text}) | None` }];
}

function admitsNone(ctx: RuleContext, annotation: Node): boolean {
  const text = annotation.text;
  if (/\bNone\b|\bOptional\b|\bAny\b/.test(text)) return true;
  if (annotation.type === "identifier" && ctx.model.qualifiedName(annotation) === "builtins.object") return true;
  return false;
}
