import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { parameterNames } from "../analysis/scopes";

/**
 * `asyncio` functions defined with `async def` (checked with inspect.iscoroutinefunction on 3.8 to
 * 3.13), under their public name and the submodule that defines them. `gather`, `shield`,
 * `ensure_future`, `create_task` and `as_completed` are plain functions returning futures, tasks or
 * iterators, so they are not here.
 */
const ASYNCIO_COROUTINES = new Set([
  "asyncio.sleep",
  "asyncio.wait",
  "asyncio.wait_for",
  "asyncio.open_connection",
  "asyncio.start_server",
  "asyncio.open_unix_connection",
  "asyncio.start_unix_server",
  "asyncio.to_thread",
  "asyncio.create_subprocess_exec",
  "asyncio.create_subprocess_shell",
  "asyncio.tasks.sleep",
  "asyncio.tasks.wait",
  "asyncio.tasks.wait_for",
  "asyncio.streams.open_connection",
  "asyncio.streams.start_server",
  "asyncio.streams.open_unix_connection",
  "asyncio.streams.start_unix_server",
  "asyncio.threads.to_thread",
  "asyncio.subprocess.create_subprocess_exec",
  "asyncio.subprocess.create_subprocess_shell",
]);

/** Decorators that leave an `async def` method a coroutine function when called through self/cls. */
const METHOD_DECORATORS = new Set(["builtins.staticmethod", "builtins.classmethod", "abc.abstractmethod"]);

export const coroutineNotAwaitedRule: Rule = {
  code: "PYM008",
  name: "coroutine-not-awaited",
  knowledge: "coroutine-not-awaited",
  severity: "warning",
  nodeTypes: ["call", "function_definition"],
  messages: {
    message: {
      en: "`{call}` only creates a coroutine object; without `await` its body never runs and the result is dropped (Python only warns later: \"coroutine ... was never awaited\"). Write `await {call}`.",
      ko: "`{call}`은 코루틴 객체를 만들기만 합니다. `await`가 없으면 본문이 실행되지 않고 결과도 버려집니다(Python은 나중에야 \"coroutine ... was never awaited\" 경고를 냅니다). `await {call}`로 쓰세요.",
      "zh-cn": "`{call}` 只是创建了一个协程对象；没有 `await`，它的函数体根本不会执行，结果也被丢弃（Python 只会在之后发出 \"coroutine ... was never awaited\" 警告）。请写成 `await {call}`。",
    },
    fix: { en: "Add await", ko: "await 추가", "zh-cn": "添加 await" },
  },
  // Whether `async def f` is a coroutine function depends on its body (a `yield` makes it an async
  // generator), which the engine's summary of other chunks leaves out: report it here.
  summarize(ctx) {
    return ctx
      .nodes("function_definition")
      .filter((definition) => isAsync(definition))
      .map((definition) => `${definition.childForFieldName("name")?.text}:${yields(definition) ? "gen" : "coro"}`)
      .join(" ");
  },
  check(ctx) {
    const findings: Finding[] = [];
    // Only calls inside an `async def` are judged: a file without the word has none.
    if (!ctx.text.includes("async")) return findings;
    for (const call of ctx.nodes("call")) {
      if (!isDroppedStatement(call)) continue;
      const method = enclosingAsyncFunction(call);
      if (!method) continue;
      const callee = call.childForFieldName("function");
      if (!callee || !callsCoroutineFunction(ctx, callee, method)) continue;
      const args = call.childForFieldName("arguments");
      const shown = `${callee.text}(${args && args.namedChildCount > 0 ? "..." : ""})`;
      findings.push(
        ctx.finding(call, ctx.t("message", { call: shown }), {
          title: ctx.t("fix"),
          edits: [{ range: { start: call.startPosition, end: call.startPosition }, newText: "await " }],
          safe: false,
        }),
      );
    }
    return findings;
  },
};

/** True when the call is a whole expression statement (parentheses allowed), so its value is thrown away. */
function isDroppedStatement(call: Node): boolean {
  let node = call;
  let parent = node.parent;
  while (parent?.type === "parenthesized_expression") {
    node = parent;
    parent = parent.parent;
  }
  return parent?.type === "expression_statement" && parent.namedChildCount === 1;
}

/** The `async def` whose body runs this statement directly (not a nested def, lambda or class body). */
function enclosingAsyncFunction(node: Node): Node | undefined {
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (scope.type === "class_definition" || scope.type === "lambda") return undefined;
    if (scope.type === "function_definition") return isAsync(scope) ? scope : undefined;
  }
  return undefined;
}

function isAsync(definition: Node): boolean {
  return definition.firstChild?.type === "async";
}

function callsCoroutineFunction(ctx: RuleContext, callee: Node, method: Node): boolean {
  const qualified = ctx.file.qualifiedName(callee);
  if (qualified) return ASYNCIO_COROUTINES.has(qualified);
  if (callee.type === "identifier") {
    const binding = ctx.file.binding(callee);
    return binding?.kind === "function" && binding.node !== undefined && isPlainCoroutineFunction(binding.node);
  }
  if (callee.type === "attribute") return callsOwnCoroutineMethod(ctx, callee, method);
  return false;
}

/**
 * An undecorated `async def` that is not an async generator: calling it returns a coroutine. A
 * decorator may turn it into anything (`@asynccontextmanager`, a task factory), so those stay quiet.
 */
function isPlainCoroutineFunction(definition: Node): boolean {
  return definition.type === "function_definition" && isAsync(definition) && definition.parent?.type !== "decorated_definition" && !yields(definition);
}

/** True when the function's own body (not a nested scope) contains `yield`. */
function yields(definition: Node): boolean {
  const visit = (node: Node): boolean => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "yield") return true;
      if (child.type === "function_definition" || child.type === "class_definition" || child.type === "lambda") continue;
      if (visit(child)) return true;
    }
    return false;
  };
  const body = definition.childForFieldName("body");
  return body ? visit(body) : false;
}

/**
 * `self.method()` in a method, or `cls.method()` in a classmethod, where the enclosing class
 * defines `method` exactly once as an `async def` (for `cls`, a class- or staticmethod) and
 * nothing else in the class assigns an attribute of that name.
 */
function callsOwnCoroutineMethod(ctx: RuleContext, callee: Node, method: Node): boolean {
  const object = callee.childForFieldName("object");
  const attribute = callee.childForFieldName("attribute")?.text;
  if (object?.type !== "identifier" || !attribute) return false;
  const owner = ownerClass(method);
  if (!owner) return false;
  const kind = methodKind(ctx, method);
  if (kind === "static") return false;
  const parameters = method.childForFieldName("parameters");
  const firstNode = parameters?.namedChild(0);
  // A plain first parameter (`self`, `self: "Worker"`), not `*args`.
  const plain = firstNode?.type === "identifier" || firstNode?.type === "typed_parameter";
  const first = parameters && plain ? parameterNames(parameters)[0] : undefined;
  if (!first || first !== object.text) return false;
  if (ctx.file.binding(object)?.kind !== "parameter") return false;
  const target = singleDefinition(owner, attribute);
  if (!target || !isAsync(target) || yields(target)) return false;
  const targetKind = methodKind(ctx, target);
  if (targetKind === "other") return false;
  if (kind === "class" && targetKind === "instance") return false;
  return !assignsAttribute(owner, attribute);
}

/** The class whose body directly holds this method (decorated or not). */
function ownerClass(method: Node): Node | undefined {
  const holder = method.parent?.type === "decorated_definition" ? method.parent : method;
  const block = holder.parent;
  return block?.type === "block" && block.parent?.type === "class_definition" ? block.parent : undefined;
}

type MethodKind = "instance" | "class" | "static" | "other";

function methodKind(ctx: RuleContext, method: Node): MethodKind {
  const decorated = method.parent?.type === "decorated_definition" ? method.parent : undefined;
  if (!decorated) return "instance";
  let kind: MethodKind = "instance";
  for (const child of decorated.namedChildren) {
    if (child?.type !== "decorator") continue;
    const expression = child.namedChild(0);
    const qualified = expression ? ctx.file.qualifiedName(expression) : undefined;
    if (!qualified || !METHOD_DECORATORS.has(qualified)) return "other";
    if (qualified === "builtins.staticmethod") kind = "static";
    if (qualified === "builtins.classmethod") kind = "class";
  }
  return kind;
}

/** The method called `name` when the class body defines that name once, by a `def`, and nothing else. */
function singleDefinition(owner: Node, name: string): Node | undefined {
  const body = owner.childForFieldName("body");
  if (!body) return undefined;
  let found: Node | undefined;
  let count = 0;
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
    if ((definition?.type === "function_definition" || definition?.type === "class_definition") && definition.childForFieldName("name")?.text === name) {
      count++;
      found = definition;
    } else if (statement.type === "expression_statement") {
      const assignment = statement.namedChild(0);
      if (assignment?.type === "assignment" && bindsName(assignment.childForFieldName("left"), name)) count++;
    }
  }
  return count === 1 && found?.type === "function_definition" ? found : undefined;
}

function bindsName(target: Node | null, name: string): boolean {
  if (!target) return false;
  if (target.type === "identifier") return target.text === name;
  if (target.type === "pattern_list" || target.type === "tuple_pattern" || target.type === "list_pattern") {
    return target.namedChildren.some((child) => bindsName(child, name));
  }
  return false;
}

/** True when the class assigns `<something>.<name> = ...` anywhere (an instance attribute hiding the method). */
function assignsAttribute(owner: Node, name: string): boolean {
  const visit = (node: Node): boolean => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "assignment" || child.type === "augmented_assignment") {
        const left = child.childForFieldName("left");
        if (left && targetsAttribute(left, name)) return true;
      }
      if (visit(child)) return true;
    }
    return false;
  };
  return visit(owner);
}

function targetsAttribute(target: Node, name: string): boolean {
  if (target.type === "attribute") return target.childForFieldName("attribute")?.text === name;
  if (target.type === "pattern_list" || target.type === "tuple_pattern" || target.type === "list_pattern") {
    return target.namedChildren.some((child) => child !== null && targetsAttribute(child, name));
  }
  return false;
}
