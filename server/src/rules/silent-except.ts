import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import type { PointRange } from "../parse/positions";

const CATCH_ALL = new Set(["builtins.Exception", "builtins.BaseException"]);

/**
 * `except:` catches everything, including KeyboardInterrupt, SystemExit and GeneratorExit; it is
 * fine only when the handler re-raises with a bare `raise` (the same exemption as Ruff's E722),
 * or when an earlier handler of the same `try` re-raises (`except KeyboardInterrupt: raise`).
 * `except Exception:` / `except BaseException:` (also in a tuple, as `except*`, with `as e`)
 * is flagged only when its body does nothing: `pass`, `...`, `continue` or a lone string.
 */
export const silentExceptRule: Rule = {
  code: "PYM015",
  name: "silent-except",
  knowledge: "silent-except",
  severity: "warning",
  equivalents: ["E722", "S110", "S112", "BLE001"],
  nodeTypes: ["except_clause"],
  messages: {
    bare: {
      en: "A bare `except:` catches every exception, including `KeyboardInterrupt` (Ctrl+C) and `SystemExit` (`sys.exit()`). Catch `Exception`, or better the specific errors you expect.",
      ko: "맨 `except:`는 `KeyboardInterrupt`(Ctrl+C)와 `SystemExit`(`sys.exit()`)까지 모든 예외를 잡습니다. `Exception`이나, 더 좋게는 예상하는 구체적인 예외만 잡으세요.",
      "zh-cn": "裸 `except:` 会捕获所有异常，包括 `KeyboardInterrupt`（Ctrl+C）和 `SystemExit`（`sys.exit()`）。请捕获 `Exception`，最好只捕获你预料到的具体异常。",
    },
    bareSilent: {
      en: "A bare `except:` whose body is just `{action}` swallows every exception without a trace, even `KeyboardInterrupt` (Ctrl+C) and `SystemExit`. Catch the specific errors you expect, or at least log them.",
      ko: "본문이 `{action}`뿐인 맨 `except:`는 `KeyboardInterrupt`(Ctrl+C)와 `SystemExit`까지 모든 예외를 흔적 없이 삼킵니다. 예상하는 구체적인 예외만 잡거나, 최소한 로그를 남기세요.",
      "zh-cn": "主体只有 `{action}` 的裸 `except:` 会悄无声息地吞掉所有异常，连 `KeyboardInterrupt`（Ctrl+C）和 `SystemExit` 也不例外。请只捕获预料到的具体异常，或者至少记录日志。",
    },
    broadSilent: {
      en: "`{header}` whose body is just `{action}` hides every error raised in the `try` block, bugs included. Catch the specific exceptions you expect, or log the error before moving on.",
      ko: "본문이 `{action}`뿐인 `{header}`는 `try` 블록에서 생긴 모든 오류를 버그까지 숨깁니다. 예상하는 구체적인 예외만 잡거나, 넘어가기 전에 오류를 로그로 남기세요.",
      "zh-cn": "主体只有 `{action}` 的 `{header}` 会把 `try` 块里出现的所有错误（包括程序 bug）都藏起来。请只捕获预料到的具体异常，或在继续之前记录这个错误。",
    },
    fix: { en: "Catch Exception instead", ko: "Exception만 잡기", "zh-cn": "改为捕获 Exception" },
  },
  check(ctx) {
    const findings = [];
    for (const clause of ctx.nodes("except_clause")) {
      const keyword = clause.child(0);
      const colon = clause.children.find((child) => child?.type === ":");
      const body = clause.children.find((child) => child?.type === "block");
      if (keyword?.type !== "except" || !colon || !body) continue;
      const headerEnd = headerLastNode(clause, colon);
      if (!headerEnd) continue;
      const range: PointRange = { start: keyword.startPosition, end: headerEnd.endPosition };
      const header = clause.text.slice(keyword.startIndex - clause.startIndex, headerEnd.endIndex - clause.startIndex).replace(/\s+/g, " ");
      const action = silentAction(body);
      const types = clause.childrenForFieldName("value");
      if (types.length === 0) {
        if (reraises(body) || earlierHandlerReraises(clause)) continue;
        if (action) {
          findings.push(ctx.finding(range, ctx.t("bareSilent", { action })));
        } else {
          const fix = exceptionIsBuiltin(ctx, clause)
            ? {
                title: ctx.t("fix"),
                edits: [{ range: { start: keyword.endPosition, end: keyword.endPosition }, newText: " Exception" }],
                safe: false,
              }
            : undefined;
          findings.push(ctx.finding(range, ctx.t("bare"), fix));
        }
        continue;
      }
      if (!action || !types.some((type) => catchesAll(ctx, type))) continue;
      findings.push(ctx.finding(range, ctx.t("broadSilent", { header, action })));
    }
    return findings;
  },
};

/** The last node of the clause header: `except`, `*`, the type, or the `as` target. */
function headerLastNode(clause: Node, colon: Node): Node | undefined {
  let last: Node | undefined;
  for (const child of clause.children) {
    if (!child || child.equals(colon)) break;
    if (child.type !== "comment") last = child;
  }
  return last;
}

/** Whether an `except` type expression catches every Exception: `Exception`, `(Exception)`, a tuple holding it. */
function catchesAll(ctx: RuleContext, expression: Node): boolean {
  let node = expression;
  if (node.type === "as_pattern") {
    const inner = node.namedChild(0);
    if (!inner) return false;
    node = inner;
  }
  while (node.type === "parenthesized_expression") {
    const inner = node.namedChildren.find((child) => child?.type !== "comment");
    if (!inner) return false;
    node = inner;
  }
  if (node.type === "tuple") return node.namedChildren.some((child) => child !== null && catchesAll(ctx, child));
  if (node.type !== "identifier" && node.type !== "attribute") return false;
  const qualified = ctx.model.qualifiedName(node);
  return qualified !== undefined && CATCH_ALL.has(qualified);
}

/** `pass`, `continue` or `...` when the handler body does nothing else (strings count as nothing). */
function silentAction(body: Node): string | undefined {
  let action: string | undefined;
  for (const statement of body.namedChildren) {
    if (!statement || statement.type === "comment") continue;
    if (statement.type === "pass_statement") action ??= "pass";
    else if (statement.type === "continue_statement") action = "continue";
    else if (statement.type === "expression_statement" && statement.namedChildCount === 1) {
      const value = statement.namedChild(0);
      if (value?.type === "ellipsis") action ??= "...";
      else if (value?.type !== "string" && value?.type !== "concatenated_string") return undefined;
    } else return undefined;
  }
  return action ?? "pass";
}

/** A bare `raise` among the handler's own statements: the exception goes on after cleanup. */
function reraises(body: Node): boolean {
  return body.namedChildren.some((statement) => statement?.type === "raise_statement" && statement.namedChildCount === 0);
}

/**
 * `except KeyboardInterrupt: raise` (or any handler that re-raises) before the bare one: the
 * author chose what propagates, and the bare clause no longer sees those exceptions.
 */
function earlierHandlerReraises(clause: Node): boolean {
  for (let previous = clause.previousNamedSibling; previous; previous = previous.previousNamedSibling) {
    if (previous.type !== "except_clause") continue;
    const body = previous.children.find((child) => child?.type === "block");
    if (body && reraises(body)) return true;
  }
  return false;
}

/** `Exception` means the builtin here: nothing in scope at the clause (an import, an assignment) rebinds the name. */
function exceptionIsBuiltin(ctx: RuleContext, clause: Node): boolean {
  return ctx.model.resolveName("Exception", clause) === undefined;
}
