import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { buildsList } from "../analysis/support/built-kind";

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
    // Only an import of asyncio makes a name mean `asyncio.gather`: most files have none.
    if (!ctx.model.importsAny(["asyncio"])) return findings;
    for (const call of ctx.nodes("call")) {
      const callee = call.childForFieldName("function");
      if (!callee || !mayBeGather(callee) || !GATHER.has(ctx.model.qualifiedName(callee) ?? "")) continue;
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
 * A cheap look at the callee before resolving it: only `...gather`, or a plain name (which an
 * import may have renamed, `from asyncio import gather as collect`), can be `asyncio.gather`.
 */
function mayBeGather(callee: Node): boolean {
  return callee.type === "identifier" || callee.text.endsWith("gather");
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
 * A name that the function (or module) it is used in binds itself, only by plain assignments of
 * a list display, a list comprehension or `list(...)` (and `+=`), so it holds a list wherever it
 * is read. A name of an enclosing function, a class body or a comprehension is left alone.
 */
function isLocalList(ctx: RuleContext, name: Node): boolean {
  let scope = ctx.model.scopeOf(name);
  while (scope.kind === "comprehension" && scope.parent) scope = scope.parent;
  if (scope.kind === "class") return false;
  const binding = ctx.model.binding(name);
  if (!binding || binding.scope !== scope) return false;
  const sites: Node[] = [];
  for (const each of binding.bindings) {
    switch (each.kind) {
      case "assignment": {
        const site = each.site;
        // Two module bindings of one kind in one statement may come back as the same node: their values are unknown.
        if (sites.some((seen) => seen.equals(site))) return false;
        sites.push(site);
        const assignment = site.parent;
        if (assignment?.type !== "assignment" || !assignment.childForFieldName("left")?.equals(site)) return false;
        const right = assignment.childForFieldName("right");
        if (!right || !buildsList(ctx.model, right)) return false;
        break;
      }
      case "augmented-assignment":
        if (each.site.parent?.childForFieldName("operator")?.text !== "+=") return false;
        break;
      // `tasks: list` and `del tasks` leave what the name holds to its other bindings.
      case "annotation":
      case "deletion":
        break;
      default:
        return false;
    }
  }
  return sites.length > 0;
}
