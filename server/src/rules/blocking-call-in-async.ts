import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding, Fix } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { boundValues } from "../analysis/support/bound-values";
import { referenceTo } from "../analysis/support/import-fix";
import { enclosingDefinition, isAsyncDef, positionalArguments } from "../analysis/support/syntax";

type Kind = "sleep" | "http" | "subprocess" | "socket" | "input";

const HTTP_VERBS = ["get", "post", "put", "patch", "delete", "head", "options", "request"];

/** Blocking functions by qualified name, and what kind of waiting they do. */
const BLOCKING = new Map<string, Kind>([
  ["time.sleep", "sleep"],
  ...HTTP_VERBS.flatMap((verb): [string, Kind][] => [
    [`requests.${verb}`, "http"],
    [`requests.api.${verb}`, "http"],
  ]),
  ["urllib.request.urlopen", "http"],
  ["subprocess.run", "subprocess"],
  ["subprocess.call", "subprocess"],
  ["subprocess.check_call", "subprocess"],
  ["subprocess.check_output", "subprocess"],
  ["socket.create_connection", "socket"],
  ["socket.getaddrinfo", "socket"],
  ["socket.gethostbyname", "socket"],
  ["builtins.input", "input"],
]);

const SESSION_FACTORIES = new Set(["requests.Session", "requests.sessions.Session", "requests.session", "requests.sessions.session"]);

export const blockingCallInAsyncRule: Rule = {
  code: "PYM007",
  name: "blocking-call-in-async",
  knowledge: "blocking-call-in-async",
  severity: "warning",
  equivalents: ["ASYNC210", "ASYNC221", "ASYNC251"],
  nodeTypes: ["function_definition"],
  messages: {
    sleep: {
      en: "`{name}()` inside `async def {function}` blocks the whole event loop while it sleeps: no other task runs meanwhile. Use `await asyncio.sleep(...)`, which lets other tasks run.",
      ko: "`async def {function}` 안의 `{name}()`은 잠자는 동안 이벤트 루프 전체를 막아서 그사이 다른 태스크가 전혀 실행되지 않습니다. 다른 태스크가 실행될 수 있게 `await asyncio.sleep(...)`을 쓰세요.",
      "zh-cn": "`async def {function}` 中的 `{name}()` 在休眠期间会阻塞整个事件循环，其他任务都无法运行。请改用 `await asyncio.sleep(...)`，让其他任务可以继续执行。",
    },
    sleepOther: {
      en: "`{name}()` inside `async def {function}` blocks the whole event loop while it sleeps: no other task runs meanwhile. Use `await {library}.sleep(...)`, which lets other tasks run.",
      ko: "`async def {function}` 안의 `{name}()`은 잠자는 동안 이벤트 루프 전체를 막아서 그사이 다른 태스크가 전혀 실행되지 않습니다. 다른 태스크가 실행될 수 있게 `await {library}.sleep(...)`을 쓰세요.",
      "zh-cn": "`async def {function}` 中的 `{name}()` 在休眠期间会阻塞整个事件循环，其他任务都无法运行。请改用 `await {library}.sleep(...)`，让其他任务可以继续执行。",
    },
    http: {
      en: "`{name}()` inside `async def {function}` waits for the network without yielding, so the event loop and every other task stall until the response arrives. Use an async HTTP client, or `await asyncio.to_thread(...)`.",
      ko: "`async def {function}` 안의 `{name}()`은 제어를 넘기지 않고 네트워크를 기다리므로, 응답이 올 때까지 이벤트 루프와 다른 모든 태스크가 멈춥니다. 비동기 HTTP 클라이언트나 `await asyncio.to_thread(...)`를 쓰세요.",
      "zh-cn": "`async def {function}` 中的 `{name}()` 等待网络时不会让出控制权，在响应到达之前事件循环和其他所有任务都会停住。请使用异步 HTTP 客户端，或 `await asyncio.to_thread(...)`。",
    },
    subprocess: {
      en: "`{name}()` inside `async def {function}` waits for the child process while holding up the event loop, so no other task runs until it exits. Use `await asyncio.create_subprocess_exec(...)`.",
      ko: "`async def {function}` 안의 `{name}()`은 이벤트 루프를 붙잡은 채 자식 프로세스를 기다리므로, 프로세스가 끝날 때까지 다른 태스크가 실행되지 않습니다. `await asyncio.create_subprocess_exec(...)`를 쓰세요.",
      "zh-cn": "`async def {function}` 中的 `{name}()` 会占住事件循环等待子进程，子进程结束之前其他任务都无法运行。请改用 `await asyncio.create_subprocess_exec(...)`。",
    },
    socket: {
      en: "`{name}()` inside `async def {function}` is a blocking network call: the event loop cannot run other tasks until it returns. Use the loop's versions, such as `await asyncio.open_connection(...)` or `await loop.getaddrinfo(...)`.",
      ko: "`async def {function}` 안의 `{name}()`은 블로킹 네트워크 호출이라 반환될 때까지 이벤트 루프가 다른 태스크를 실행하지 못합니다. `await asyncio.open_connection(...)`이나 `await loop.getaddrinfo(...)` 같은 이벤트 루프용 버전을 쓰세요.",
      "zh-cn": "`async def {function}` 中的 `{name}()` 是阻塞的网络调用，返回之前事件循环无法运行其他任务。请使用事件循环提供的版本，例如 `await asyncio.open_connection(...)` 或 `await loop.getaddrinfo(...)`。",
    },
    input: {
      en: "`{name}()` inside `async def {function}` waits for the keyboard and freezes the event loop meanwhile: no other task runs. Read input in a thread with `await asyncio.to_thread(input, ...)`.",
      ko: "`async def {function}` 안의 `{name}()`은 키보드 입력을 기다리는 동안 이벤트 루프를 멈춰 세워 다른 태스크가 실행되지 않습니다. `await asyncio.to_thread(input, ...)`로 스레드에서 입력을 받으세요.",
      "zh-cn": "`async def {function}` 中的 `{name}()` 等待键盘输入时会冻结事件循环，其他任务都无法运行。请用 `await asyncio.to_thread(input, ...)` 在线程中读取输入。",
    },
    fix: { en: "Use await {asyncio}.sleep(...)", ko: "await {asyncio}.sleep(...) 사용", "zh-cn": "改用 await {asyncio}.sleep(...)" },
  },
  check(ctx) {
    const findings = [];
    // Only calls directly in an `async def` matter, and most files have none: start from those.
    for (const scope of ctx.nodes("function_definition")) {
      if (isAsyncDef(scope)) findings.push(...checkCoroutine(ctx, scope));
    }
    return findings;
  },
};

function checkCoroutine(ctx: RuleContext, scope: Node): Finding[] {
  const findings: Finding[] = [];
  const body = scope.childForFieldName("body");
  for (const call of body?.descendantsOfType("call") ?? []) {
    if (enclosingDefinition(call)?.id !== scope.id || insideGeneratorExpression(call, scope)) continue;
    const callee = call.childForFieldName("function");
    if (!callee) continue;
    const kind = blockingKind(ctx, callee);
    if (!kind) continue;
    if (kind === "sleep" && sleepsZero(call)) continue;
    if (kind === "socket" && numericOnly(call)) continue;
    const name = callee.text.replace(/\s+/g, "");
    const function_ = scope.childForFieldName("name")?.text ?? "";
    // Code written for Trio, AnyIO or Curio sleeps with that library, not asyncio: no fix there.
    const library = kind === "sleep" ? otherAsyncLibrary(ctx) : undefined;
    const fix = kind === "sleep" && !library ? asyncSleepFix(ctx, call) : undefined;
    const key = library ? "sleepOther" : kind;
    findings.push(ctx.finding(call, ctx.t(key, { name, function: function_, library: library ?? "" }), fix));
  }
  return findings;
}

function blockingKind(ctx: RuleContext, callee: Node): Kind | undefined {
  const qualified = ctx.model.qualifiedName(callee);
  const kind = qualified ? BLOCKING.get(qualified) : undefined;
  if (kind) return kind;
  // A requests session's verbs: `requests.Session().get(...)`, or a name only ever bound to one.
  if (callee.type !== "attribute") return undefined;
  const verb = callee.childForFieldName("attribute")?.text;
  const object = callee.childForFieldName("object");
  if (!verb || !HTTP_VERBS.includes(verb) || !object) return undefined;
  const values = object.type === "call" ? [object] : boundValues(ctx.model, object);
  return values?.every((value) => isSessionFactory(ctx, value)) ? "http" : undefined;
}

function isSessionFactory(ctx: RuleContext, value: Node): boolean {
  if (value.type !== "call") return false;
  const callee = value.childForFieldName("function");
  const qualified = callee ? ctx.model.qualifiedName(callee) : undefined;
  return qualified !== undefined && SESSION_FACTORIES.has(qualified);
}

/** A generator expression runs lazily, wherever it is consumed: not necessarily in this coroutine. */
function insideGeneratorExpression(call: Node, scope: Node): boolean {
  for (let parent = call.parent; parent && parent.id !== scope.id; parent = parent.parent) {
    if (parent.type === "generator_expression") return true;
  }
  return false;
}

const OTHER_LIBRARIES = ["trio", "anyio", "curio"];

function otherAsyncLibrary(ctx: RuleContext): string | undefined {
  const modules = [...ctx.model.moduleImports().values()].map((qualified) => qualified.split(".")[0]);
  return OTHER_LIBRARIES.find((library) => modules.includes(library));
}

/** `getaddrinfo(..., flags=AI_NUMERICHOST)` only parses a numeric address: it never waits for DNS. */
function numericOnly(call: Node): boolean {
  return /NUMERIC/.test(call.childForFieldName("arguments")?.text ?? "");
}

/** `time.sleep(0)` only gives up the GIL for a moment: it blocks nothing worth reporting. */
function sleepsZero(call: Node): boolean {
  const args = positionalArguments(call);
  return args?.length === 1 && /^0(\.0*)?$/.test(args[0].text);
}

/** `time.sleep(x)` as a statement of its own becomes `await asyncio.sleep(x)`. */
function asyncSleepFix(ctx: RuleContext, call: Node): Fix | undefined {
  const statement = call.parent;
  const args = call.childForFieldName("arguments");
  if (statement?.type !== "expression_statement" || statement.namedChildCount !== 1 || args?.type !== "argument_list") return undefined;
  const asyncio = referenceTo(ctx.model, "asyncio", "asyncio", "import asyncio", call);
  if (!asyncio) return undefined;
  const edits = [{ range: { start: call.startPosition, end: call.endPosition }, newText: `await ${asyncio.text}.sleep${args.text}` }];
  if (asyncio.importEdit) edits.unshift(asyncio.importEdit);
  return { title: ctx.t("fix", { asyncio: asyncio.text }), edits, safe: false };
}
