import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import type { PointRange } from "../parse/positions";
import { positionalArguments } from "../analysis/support/syntax";

const CATCH_ALL = new Set(["builtins.Exception", "builtins.BaseException"]);

/**
 * `except:` catches everything, including KeyboardInterrupt, SystemExit and GeneratorExit; it is
 * fine only when the handler re-raises with a bare `raise` (the same exemption as Ruff's E722),
 * or when an earlier handler of the same `try` re-raises (`except KeyboardInterrupt: raise`).
 * `except Exception:` / `except BaseException:` (also in a tuple, as `except*`, with `as e`)
 * is flagged only when its body does nothing: `pass`, `...`, `continue` or a lone string.
 *
 * The rule stays quiet where a reviewer would leave the handler alone:
 * - the handler passes the exception on: a bare `raise` anywhere in it (`if not handled: raise`),
 *   a re-raise guard around its body (`with safe_reraise():`), or `sys.exc_info()` handed to a
 *   call or stored for later;
 * - it sits in `__del__`, where no exception can propagate anyway;
 * - a silent broad handler says why in a comment of its own, or the clause carries the author's
 *   explicit pylint suppression of the same check;
 * - a silent `except Exception` (not `BaseException`) whose failure path is designed: the `try`
 *   has an `else`, it runs while another exception is being handled (a failure there must not
 *   replace the original), or its block runs code nobody can enumerate the errors of (a callable
 *   parameter, `getattr` with a computed name, `hash`, `repr`, a dunder method, or `await` of a
 *   future that someone else's code completes).
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
      if (inFinalizer(ctx, clause) || passesOn(ctx, body)) continue;
      if (types.length === 0) {
        if (earlierHandlerReraises(clause) || suppressedByPylint(clause, BARE_PRAGMAS)) continue;
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
      if (!action) continue;
      const breadth = widest(ctx, types);
      if (!breadth) continue;
      if (explained(clause, body) || suppressedByPylint(clause, BROAD_PRAGMAS)) continue;
      if (breadth === "Exception" && failureIsDesigned(ctx, clause)) continue;
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

/** The widest catch-all among the clause's types: `BaseException`, `Exception`, or undefined for none. */
function widest(ctx: RuleContext, types: readonly Node[]): "Exception" | "BaseException" | undefined {
  let found: "Exception" | "BaseException" | undefined;
  for (const type of types) {
    const caught = catchesAll(ctx, type);
    if (caught === "BaseException") return caught;
    found ??= caught;
  }
  return found;
}

/** Which catch-all an `except` type expression names: `Exception`, `(Exception)`, a tuple holding it. */
function catchesAll(ctx: RuleContext, expression: Node): "Exception" | "BaseException" | undefined {
  let node = expression;
  if (node.type === "as_pattern") {
    const inner = node.namedChild(0);
    if (!inner) return undefined;
    node = inner;
  }
  while (node.type === "parenthesized_expression") {
    const inner = node.namedChildren.find((child) => child?.type !== "comment");
    if (!inner) return undefined;
    node = inner;
  }
  if (node.type === "tuple") return widest(ctx, node.namedChildren.filter((child): child is Node => child !== null));
  if (node.type !== "identifier" && node.type !== "attribute") return undefined;
  const qualified = ctx.model.qualifiedName(node);
  return qualified !== undefined && CATCH_ALL.has(qualified) ? (qualified.slice("builtins.".length) as "Exception" | "BaseException") : undefined;
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
 * The handler passes the exception on instead of dropping it: a bare `raise` anywhere in it (also
 * under an `if`), a `with` whose manager is a re-raise guard (`with safe_reraise():`, the
 * `save_and_reraise_exception()` idiom), or `sys.exc_info()` / `sys.exception()` handed to a call
 * or stored (to set on a future, to re-raise after a rollback).
 */
function passesOn(ctx: RuleContext, body: Node): boolean {
  const visit = (node: Node): boolean => {
    if (NESTED.has(node.type)) return false;
    if (node.type === "raise_statement" && node.namedChildCount === 0) return true;
    if (node.type === "with_statement" && withItems(node).some((value) => isReraiseGuard(value))) return true;
    if (node.type === "call" && handsOn(node) && isExcInfo(ctx, node)) return true;
    return node.namedChildren.some((child) => child !== null && visit(child));
  };
  return body.namedChildren.some((statement) => statement !== null && visit(statement));
}

/** Scopes of their own, and nested handlers, where a bare `raise` would mean another exception. */
const NESTED = new Set(["function_definition", "lambda", "class_definition", "except_clause", "except_group_clause"]);

function withItems(statement: Node): Node[] {
  const clause = statement.namedChildren.find((child) => child?.type === "with_clause");
  const items = clause?.namedChildren.filter((child): child is Node => child?.type === "with_item") ?? [];
  return items.map((item) => item.childForFieldName("value")).filter((value): value is Node => value !== null);
}

/** `reraise()`, `util.safe_reraise()`, `save_and_reraise_exception()`: a manager named for re-raising. */
function isReraiseGuard(value: Node): boolean {
  if (value.type !== "call") return false;
  const callee = value.childForFieldName("function");
  const name = callee?.type === "attribute" ? callee.childForFieldName("attribute") : callee;
  return name?.type === "identifier" && /re_?raise/i.test(name.text);
}

/** A call whose value goes somewhere: a positional argument, or the right side of an assignment. */
function handsOn(call: Node): boolean {
  const parent = call.parent;
  if (parent?.type === "argument_list") return true;
  return parent?.type === "assignment" && parent.childForFieldName("right")?.equals(call) === true;
}

function isExcInfo(ctx: RuleContext, call: Node): boolean {
  const callee = call.childForFieldName("function");
  const qualified = callee ? ctx.model.qualifiedName(callee) : undefined;
  return qualified === "sys.exc_info" || qualified === "sys.exception";
}

/** A handler in `__del__`: nothing raised there reaches a caller, Python only prints it. */
function inFinalizer(ctx: RuleContext, clause: Node): boolean {
  const owner = ctx.model.owner(clause);
  return owner.method !== undefined && owner.function?.childForFieldName("name")?.text === "__del__";
}

/** Tool pragmas and to-do notes: comments that do not explain why the error may be dropped. */
const NOT_AN_EXPLANATION = /^#+\s*(?:noqa\b|pylint\s*:|pragma\b|type\s*:|nosec\b|mypy\s*:|pyright\s*:|fmt\s*:|isort\s*:|todo\b|fixme\b|xxx\b|hack\b|$)/i;

/**
 * The author says why the error is dropped: a comment of the handler's own, on a row of its body
 * (a comment after the colon is often a pragma or a marker). A comment above the `try` does not
 * count: it usually says what the block does, not why its failure may pass.
 */
function explained(clause: Node, body: Node): boolean {
  const explains = (node: Node | null): boolean => node?.type === "comment" && !NOT_AN_EXPLANATION.test(node.text);
  const header = clause.startPosition.row;
  const own = (node: Node | null): boolean => node !== null && node.startPosition.row > header && explains(node);
  return clause.children.some(own) || body.children.some(own);
}

const BROAD_PRAGMAS = /^(?:broad-except|broad-exception-caught|W0703|W0718)$/i;
const BARE_PRAGMAS = /^(?:bare-except|W0702)$/i;

/** `# pylint: disable=broad-except` (or its code) on the clause's header: the author silenced this check. */
function suppressedByPylint(clause: Node, names: RegExp): boolean {
  return clause.children.some((child) => {
    if (child?.type !== "comment" || child.startPosition.row !== clause.startPosition.row) return false;
    const match = /pylint\s*:\s*disable\s*=\s*([\w\s,-]+)/i.exec(child.text);
    return match !== null && match[1].split(",").some((name) => names.test(name.trim()));
  });
}

/**
 * A silent `except Exception` whose failure path is part of the design: the `try` has an `else`
 * (try it, and only use the result when it worked), it runs inside another handler of the same
 * function (recovery must not replace the error being handled), or its block calls code whose
 * errors nobody can list.
 */
function failureIsDesigned(ctx: RuleContext, clause: Node): boolean {
  const statement = clause.parent;
  if (statement?.type !== "try_statement") return false;
  if (statement.namedChildren.some((child) => child?.type === "else_clause")) return true;
  for (let parent = statement.parent; parent && !NESTED_SCOPES.has(parent.type); parent = parent.parent) {
    if (parent.type === "except_clause" || parent.type === "except_group_clause") return true;
  }
  const block = statement.childForFieldName("body");
  return block !== null && runsUnknownCode(ctx, block);
}

const NESTED_SCOPES = new Set(["function_definition", "lambda", "class_definition"]);
/** Builtins that run an object's own hooks (`__getattr__`, `__hash__`, `__repr__`), which may raise anything. */
const HOOK_BUILTINS = new Set(["builtins.hash", "builtins.repr"]);

/**
 * A call of a callable parameter, `getattr(obj, name)` with a computed name, `hash`/`repr`, a
 * dunder method, or `await` of an existing future or task (a name or attribute, not a call): its
 * errors come from whatever code completes it, which reports them itself.
 */
function runsUnknownCode(ctx: RuleContext, block: Node): boolean {
  const visit = (node: Node): boolean => {
    if (NESTED_SCOPES.has(node.type)) return false;
    if (node.type === "call") {
      const callee = node.childForFieldName("function");
      if (callee && callsUnknownCode(ctx, node, callee)) return true;
    }
    if (node.type === "await" && awaitsFuture(node)) return true;
    return node.namedChildren.some((child) => child !== null && visit(child));
  };
  return visit(block);
}

function awaitsFuture(node: Node): boolean {
  const awaited = node.namedChildren.find((child) => child?.type !== "comment");
  return awaited?.type === "identifier" || awaited?.type === "attribute";
}

function callsUnknownCode(ctx: RuleContext, call: Node, callee: Node): boolean {
  if (callee.type === "identifier" && ctx.model.binding(callee)?.kind === "parameter") return true;
  if (callee.type === "attribute") {
    const name = callee.childForFieldName("attribute")?.text ?? "";
    return /^__\w+__$/.test(name);
  }
  const qualified = ctx.model.qualifiedName(callee);
  if (qualified !== undefined && HOOK_BUILTINS.has(qualified)) return true;
  if (qualified === "builtins.getattr") {
    const name = positionalArguments(call)?.[1];
    return name !== undefined && name.type !== "string";
  }
  return false;
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
