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
          `\`${statement}\` needs a context manager object, but \`${expression.text}\` is the ${described} itself; call it: \`${expression.text}()\`. As written it fails at run time.`,
          {
            title: `Call ${expression.text}()`,
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
  const qualified = ctx.file.qualifiedName(expression);
  if (qualified && KNOWN_FACTORIES.has(qualified)) return qualified === "builtins.open" ? "function" : "class";
  const localClass = ctx.file.localClass(expression);
  return localClass && ctx.file.classDefines(localClass, ENTER_METHODS) ? "class" : undefined;
}
