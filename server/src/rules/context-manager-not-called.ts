import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";

/** Classes and factories whose instances (not themselves) are context managers. */
const KNOWN_FACTORIES = new Set([
  "aiohttp.ClientSession",
  "requests.Session",
  "requests.sessions.Session",
  "threading.Lock",
  "threading.RLock",
  "concurrent.futures.ThreadPoolExecutor",
  "concurrent.futures.ProcessPoolExecutor",
  "tempfile.TemporaryDirectory",
  "tempfile.TemporaryFile",
  "tempfile.NamedTemporaryFile",
  "builtins.open",
]);

const ENTER_METHODS = ["__enter__", "__aenter__"];

export const contextManagerNotCalledRule: Rule = {
  code: "PYM004",
  name: "context-manager-not-called",
  knowledge: "context-managers",
  severity: "error",
  nodeTypes: ["with_item"],
  messages: {
    class: {
      en: "`{statement}` needs a context manager object, but `{name}` is the class itself; call it: `{name}()`. As written it fails at run time.",
      ko: "`{statement}`에는 컨텍스트 매니저 객체가 필요한데 `{name}`은 클래스 자체입니다. `{name}()`처럼 호출하세요. 이대로면 실행할 때 실패합니다.",
      "zh-cn": "`{statement}` 需要一个上下文管理器对象，但 `{name}` 是类本身；请调用它：`{name}()`。照现在的写法运行时会出错。",
    },
    function: {
      en: "`{statement}` needs a context manager object, but `{name}` is the function itself; call it: `{name}()`. As written it fails at run time.",
      ko: "`{statement}`에는 컨텍스트 매니저 객체가 필요한데 `{name}`은 함수 자체입니다. `{name}()`처럼 호출하세요. 이대로면 실행할 때 실패합니다.",
      "zh-cn": "`{statement}` 需要一个上下文管理器对象，但 `{name}` 是函数本身；请调用它：`{name}()`。照现在的写法运行时会出错。",
    },
    fix: { en: "Call {name}()", ko: "{name}() 호출", "zh-cn": "调用 {name}()" },
  },
  check(ctx) {
    const findings = [];
    for (const item of ctx.nodes("with_item")) {
      const expression = managerExpression(item);
      if (!expression) continue;
      const described = describeFactory(ctx, expression);
      if (!described) continue;
      const isAsync = item.parent?.parent?.firstChild?.type === "async";
      const statement = isAsync ? "async with" : "with";
      findings.push(
        ctx.finding(
          expression,
          ctx.t(described, { statement, name: expression.text }),
          {
            title: ctx.t("fix", { name: expression.text }),
            edits: [{ range: { start: expression.endPosition, end: expression.endPosition }, newText: "()" }],
            safe: true,
          },
        ),
      );
    }
    return findings;
  },
};

/** The expression a with item enters: `X` in `with X:` and in `with X as y:`. */
function managerExpression(item: Node): Node | null {
  const value = item.childForFieldName("value");
  if (!value) return null;
  const expression = value.type === "as_pattern" ? value.namedChild(0) : value;
  return expression && (expression.type === "identifier" || expression.type === "attribute") ? expression : null;
}

function describeFactory(ctx: RuleContext, expression: Node): string | undefined {
  const qualified = ctx.model.qualifiedName(expression);
  if (qualified && KNOWN_FACTORIES.has(qualified)) return qualified === "builtins.open" ? "function" : "class";
  const binding = ctx.model.binding(expression);
  if (binding?.kind !== "class") return undefined;
  if (binding.scope === ctx.model.module) {
    // Only the class's members are read, so editing inside its methods does not recheck every `with`.
    const members = ctx.model.moduleClassMembers(expression.text);
    return ENTER_METHODS.some((name) => members?.get(name)?.kind === "method") ? "class" : undefined;
  }
  const localClass = ctx.model.localClass(expression);
  return localClass && ctx.model.classDefines(localClass, ENTER_METHODS) ? "class" : undefined;
}
