import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { localBindings, parameterNames } from "../analysis/scopes";

const GATHER = new Set(["asyncio.gather", "asyncio.tasks.gather"]);

export const gatherNeedsUnpackingRule: Rule = {
  code: "PYM019",
  name: "gather-needs-unpacking",
  knowledge: "gather-needs-unpacking",
  severity: "error",
  nodeTypes: ["call"],
  messages: {
    message: {
      en: "`asyncio.gather()` takes each awaitable as a separate argument, but here it gets a single list (`{argument}`), so the call raises `TypeError` and nothing in the list is awaited. Unpack it: `*{argument}`.",
      ko: "`asyncio.gather()`는 어웨이터블을 하나씩 별도의 인자로 받는데, 여기서는 리스트 하나(`{argument}`)를 받습니다. 그래서 호출이 `TypeError`를 일으키고 리스트 안의 어느 것도 await되지 않습니다. `*{argument}`로 풀어서 넘기세요.",
      "zh-cn": "`asyncio.gather()` 要求每个可等待对象作为单独的参数传入，但这里只传入了一个列表（`{argument}`），因此调用会抛出 `TypeError`，列表里的任何对象都不会被 await。请用 `*{argument}` 解包。",
    },
    fix: { en: "Unpack the list with *", ko: "*로 리스트 풀기", "zh-cn": "用 * 解包列表" },
  },
  check(ctx) {
    const findings: Finding[] = [];
    // `asyncio.gather` cannot be reached without the word in the file (an import or the call itself).
    if (!ctx.text.includes("gather")) return findings;
    for (const call of ctx.nodes("call")) {
      const callee = call.childForFieldName("function");
      if (!callee || !mayBeGather(ctx, callee) || !GATHER.has(ctx.file.qualifiedName(callee) ?? "")) continue;
      const argument = singlePositionalArgument(call);
      if (!argument || !isList(ctx, argument)) continue;
      const shown = argument.type === "identifier" ? argument.text : argument.type === "list" ? "[...]" : "[... for ...]";
      findings.push(
        ctx.finding(call, ctx.t("message", { argument: shown }), {
          title: ctx.t("fix"),
          edits: [{ range: { start: argument.startPosition, end: argument.startPosition }, newText: "*" }],
          safe: true,
        }),
      );
    }
    return findings;
  },
};

/**
 * A cheap look at the callee's text before resolving its name: a file has thousands of calls,
 * and only `...gather` or a name imported as gather can be `asyncio.gather`.
 */
function mayBeGather(ctx: RuleContext, callee: Node): boolean {
  const text = callee.text;
  return text.endsWith("gather") || (callee.type === "identifier" && GATHER.has(ctx.file.imports.get(text) ?? ""));
}

/** The only positional argument of the call (keyword arguments such as `return_exceptions=` allowed). */
function singlePositionalArgument(call: Node): Node | undefined {
  const args = call.childForFieldName("arguments");
  if (args?.type !== "argument_list") return undefined;
  const positional = args.namedChildren.filter((child) => child !== null && child.type !== "keyword_argument" && child.type !== "comment");
  return positional.length === 1 && positional[0] ? positional[0] : undefined;
}

function isList(ctx: RuleContext, argument: Node): boolean {
  if (argument.type === "list" || argument.type === "list_comprehension") return true;
  return argument.type === "identifier" && isLocalList(ctx, argument);
}

/**
 * A name that the innermost scope binds only by plain assignments of a list display, a list
 * comprehension or `list(...)` (and `+=`), so it holds a list wherever it is read.
 */
function isLocalList(ctx: RuleContext, name: Node): boolean {
  const scope = innermostScope(name);
  if (!scope) return false;
  if (!localBindings(scope).has(name.text)) return false;
  const parameters = scope.childForFieldName("parameters");
  if (parameters && parameterNames(parameters).includes(name.text)) return false;
  const body = scope.type === "module" ? scope : scope.childForFieldName("body");
  if (!body) return false;
  let lists = 0;
  let others = 0;
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case "function_definition":
        case "class_definition": {
          if (child.childForFieldName("name")?.text === name.text) others++;
          continue;
        }
        case "lambda":
          continue;
        case "global_statement":
        case "nonlocal_statement":
          if (child.namedChildren.some((item) => item?.text === name.text)) others++;
          continue;
        case "assignment": {
          const left = child.childForFieldName("left");
          if (left?.type === "identifier" && left.text === name.text) {
            const right = child.childForFieldName("right");
            if (!right && child.childForFieldName("type")) break; // `tasks: list` binds nothing
            if (right && isListValue(ctx, right)) lists++;
            else others++;
          } else if (bindsName(left, name.text)) others++;
          break;
        }
        case "augmented_assignment": {
          const left = child.childForFieldName("left");
          const operator = child.childForFieldName("operator")?.text;
          if (left?.type === "identifier" && left.text === name.text && operator !== "+=") others++;
          break;
        }
        case "for_statement":
        case "for_in_clause":
        case "as_pattern_target":
          if (bindsName(child.type === "as_pattern_target" ? child : child.childForFieldName("left"), name.text)) others++;
          break;
        case "named_expression":
          if (child.childForFieldName("name")?.text === name.text) others++;
          break;
        case "case_pattern":
        case "import_statement":
        case "import_from_statement":
          if (mentionsName(child, name.text)) others++;
          continue;
      }
      visit(child);
    }
  };
  visit(body);
  return lists > 0 && others === 0;
}

function innermostScope(node: Node): Node | undefined {
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (scope.type === "function_definition" || scope.type === "lambda" || scope.type === "module") return scope;
    if (scope.type === "class_definition") return undefined;
  }
  return undefined;
}

function isListValue(ctx: RuleContext, value: Node): boolean {
  if (value.type === "list" || value.type === "list_comprehension") return true;
  if (value.type !== "call") return false;
  const callee = value.childForFieldName("function");
  return callee !== null && ctx.file.qualifiedName(callee) === "builtins.list";
}

/** True when an assignment target binds the plain name (not `x[0]` or `x.attr`, which mutate). */
function bindsName(target: Node | null, name: string): boolean {
  if (!target) return false;
  if (target.type === "identifier") return target.text === name;
  if (target.type === "attribute" || target.type === "subscript") return false;
  return target.namedChildren.some((child) => child !== null && bindsName(child, name));
}

function mentionsName(node: Node | null, name: string): boolean {
  if (!node) return false;
  if (node.type === "identifier") return node.text === name;
  return node.namedChildren.some((child) => child !== null && mentionsName(child, name));
}
