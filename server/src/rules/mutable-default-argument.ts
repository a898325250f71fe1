import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { localBindings } from "../analysis/scopes";
import { builtKind } from "./comparisons";

/** Displays and comprehensions that build a new mutable object each time they are evaluated. */
const MUTABLE_DISPLAYS: Readonly<Record<string, string>> = {
  list: "list",
  list_comprehension: "list",
  dictionary: "dict",
  dictionary_comprehension: "dict",
  set: "set",
  set_comprehension: "set",
};

/** Constructors (as qualified names) whose result is a mutable container. */
const MUTABLE_CONSTRUCTORS: Readonly<Record<string, string>> = {
  "builtins.list": "list",
  "builtins.dict": "dict",
  "builtins.set": "set",
  "builtins.bytearray": "bytearray",
  "collections.defaultdict": "defaultdict",
  "collections.deque": "deque",
  "collections.OrderedDict": "OrderedDict",
  "collections.Counter": "Counter",
};

/**
 * The type name of the mutable object an expression creates (`list`, `dict`, `deque`...), or
 * undefined when it is not a display, comprehension or call of a known mutable constructor.
 * Names go through the file's imports, so `from collections import deque as dq; dq()` counts and a
 * local function called `list` does not.
 */
export function mutableKind(ctx: RuleContext, expression: Node): string | undefined {
  return builtKind(ctx, expression, MUTABLE_DISPLAYS, MUTABLE_CONSTRUCTORS);
}

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
        const kind = mutableKind(ctx, value);
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
  if (!defaultMeansTheSameInBody(fn, value)) return undefined;
  const statements = body.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
  if (statements.length === 0 || statements[0].startPosition.row <= colon.endPosition.row) return undefined;
  const lines = ctx.text.split("\n");
  const indentOf = (node: Node): string | undefined => {
    const prefix = (lines[node.startPosition.row] ?? "").slice(0, node.startPosition.column);
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
function defaultMeansTheSameInBody(fn: Node, value: Node): boolean {
  const own = localBindings(fn);
  const owner = fn.parent?.type === "decorated_definition" ? fn.parent.parent : fn.parent;
  const classNode = owner?.type === "block" && owner.parent?.type === "class_definition" ? owner.parent : undefined;
  const classNames = classNode ? localBindings(classNode) : new Map();
  const comprehensionNames = new Set<string>();
  const names: string[] = [];
  const visit = (node: Node): void => {
    if (node.type === "for_in_clause") {
      const left = node.childForFieldName("left");
      const collect = (target: Node): void => {
        if (target.type === "identifier") comprehensionNames.add(target.text);
        for (const child of target.namedChildren) if (child) collect(child);
      };
      if (left) collect(left);
    }
    if (node.type === "identifier") {
      const parent = node.parent;
      const isAttributeName = parent?.type === "attribute" && parent.childForFieldName("attribute")?.equals(node);
      const isKeyword = parent?.type === "keyword_argument" && parent.childForFieldName("name")?.equals(node);
      if (!isAttributeName && !isKeyword) names.push(node.text);
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(value);
  return names.every((name) => comprehensionNames.has(name) || (!own.has(name) && !classNames.has(name)));
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
  const optional = [...ctx.file.imports].find(([, qualified]) => qualified === "typing.Optional")?.[0];
  if (optional) return [{ range, newText: `${optional}[${annotation.text}]` }];
  const simple = ["identifier", "attribute", "generic_type", "subscript", "binary_operator", "call", "none"];
  return [{ range, newText: simple.includes(annotation.type) ? `${annotation.text} | None` : `(${annotation.text}) | None` }];
}

function admitsNone(ctx: RuleContext, annotation: Node): boolean {
  const text = annotation.text;
  if (/\bNone\b|\bOptional\b|\bAny\b/.test(text)) return true;
  if (annotation.type === "identifier" && ctx.file.qualifiedName(annotation) === "builtins.object") return true;
  return false;
}
