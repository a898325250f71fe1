import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding } from "../analysis/finding";

/** Module-level helpers of requests: each call builds a throwaway Session, with its own connection pool. */
const REQUEST_FUNCTIONS = new Set(
  ["get", "post", "put", "patch", "delete", "head", "request"].flatMap((verb) => [`requests.${verb}`, `requests.api.${verb}`]),
);

const COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);
const SCOPES = new Set(["function_definition", "lambda", "class_definition", "module"]);

export const requestsWithoutSessionRule: Rule = {
  code: "PYM016",
  name: "requests-without-session",
  knowledge: "requests-without-session",
  severity: "warning",
  nodeTypes: ["call"],
  messages: {
    for: {
      en: "`{name}()` runs on every pass of this `for` loop, and each call opens a new connection through a throwaway session (a new TCP handshake, plus TLS for HTTPS). Create one `requests.Session()` before the loop and call `session.{verb}()` to reuse connections.",
      ko: "`{name}()`은 이 `for` 반복이 돌 때마다 실행되고, 호출마다 일회용 세션을 거쳐 새 연결을 엽니다(TCP 핸드셰이크를 다시 하고, HTTPS라면 TLS 핸드셰이크도 다시 함). 반복 전에 `requests.Session()`을 하나 만들고 `session.{verb}()`을 호출해 연결을 재사용하세요.",
      "zh-cn": "`{name}()` 在这个 `for` 循环的每一轮都会执行，每次调用都通过一次性会话新建连接（重新进行 TCP 握手，HTTPS 还要重新进行 TLS 握手）。请在循环前创建一个 `requests.Session()`，并调用 `session.{verb}()` 来复用连接。",
    },
    while: {
      en: "`{name}()` runs on every pass of this `while` loop, and each call opens a new connection through a throwaway session (a new TCP handshake, plus TLS for HTTPS). Create one `requests.Session()` before the loop and call `session.{verb}()` to reuse connections.",
      ko: "`{name}()`은 이 `while` 반복이 돌 때마다 실행되고, 호출마다 일회용 세션을 거쳐 새 연결을 엽니다(TCP 핸드셰이크를 다시 하고, HTTPS라면 TLS 핸드셰이크도 다시 함). 반복 전에 `requests.Session()`을 하나 만들고 `session.{verb}()`을 호출해 연결을 재사용하세요.",
      "zh-cn": "`{name}()` 在这个 `while` 循环的每一轮都会执行，每次调用都通过一次性会话新建连接（重新进行 TCP 握手，HTTPS 还要重新进行 TLS 握手）。请在循环前创建一个 `requests.Session()`，并调用 `session.{verb}()` 来复用连接。",
    },
    comprehension: {
      en: "`{name}()` runs once per item of this comprehension, and each call opens a new connection through a throwaway session (a new TCP handshake, plus TLS for HTTPS). Create one `requests.Session()` first and call `session.{verb}()` to reuse connections.",
      ko: "`{name}()`은 이 컴프리헨션의 항목마다 한 번씩 실행되고, 호출마다 일회용 세션을 거쳐 새 연결을 엽니다(TCP 핸드셰이크를 다시 하고, HTTPS라면 TLS 핸드셰이크도 다시 함). 먼저 `requests.Session()`을 하나 만들고 `session.{verb}()`을 호출해 연결을 재사용하세요.",
      "zh-cn": "`{name}()` 会对这个推导式的每个元素执行一次，每次调用都通过一次性会话新建连接（重新进行 TCP 握手，HTTPS 还要重新进行 TLS 握手）。请先创建一个 `requests.Session()`，再调用 `session.{verb}()` 来复用连接。",
    },
  },
  check(ctx) {
    const findings: Finding[] = [];
    if (!ctx.model.importsAny(["requests"])) return findings;
    for (const call of ctx.nodes("call")) {
      const callee = call.childForFieldName("function");
      const qualified = callee ? ctx.model.qualifiedName(callee) : undefined;
      if (!callee || !qualified || !REQUEST_FUNCTIONS.has(qualified)) continue;
      const loop = repeatingConstruct(call);
      if (!loop) continue;
      const verb = qualified.slice(qualified.lastIndexOf(".") + 1);
      findings.push(ctx.finding(call, ctx.t(loop, { name: callee.text.replace(/\s+/g, ""), verb })));
    }
    return findings;
  },
};

/**
 * The loop that runs this call again and again in the same function: the body of a `for` or
 * `while`, or a comprehension (except its first iterable, which is evaluated once). A loop's
 * `else` block, a `for` header, and code inside a nested `def` or `lambda` do not count.
 */
function repeatingConstruct(call: Node): string | undefined {
  let child: Node = call;
  for (let parent = call.parent; parent && !SCOPES.has(parent.type); child = parent, parent = parent.parent) {
    if ((parent.type === "for_statement" || parent.type === "while_statement") && parent.childForFieldName("body")?.id === child.id) {
      // `for mirror in mirrors: try: return requests.get(mirror) ...` stops at the first success.
      if (returnsBetween(call, parent)) return undefined;
      return parent.type === "for_statement" ? "for" : "while";
    }
    if (COMPREHENSIONS.has(parent.type) && !isFirstIterable(parent, child)) return "comprehension";
  }
  return undefined;
}

/** A `return` around the call, inside the loop: a retry or fallback loop, which normally runs it once. */
function returnsBetween(call: Node, loop: Node): boolean {
  for (let parent = call.parent; parent && parent.id !== loop.id; parent = parent.parent) {
    if (parent.type === "return_statement") return true;
  }
  return false;
}

/** True when `child` is the first `for ... in X` clause of the comprehension and the call is in X. */
function isFirstIterable(comprehension: Node, child: Node): boolean {
  const first = comprehension.namedChildren.find((node) => node?.type === "for_in_clause");
  return first?.id === child.id;
}
