import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { defineFact, forEachUnitNodeOfType } from "../analysis/model/facts";
import { decoratorsOf, methodKindOf } from "../analysis/model/class-members";
import { defineQuery } from "../analysis/model/semantic-model";
import { containsYield, definitionOf, enclosingDefinition, isAsyncDef, parameterNames } from "../analysis/support/syntax";

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

/** What a unit of a class tells about its methods: which are async generators, and which attribute names it assigns. */
interface MethodFacts {
  generators: string[];
  assigned: string[];
}

const CLASS_METHODS = defineFact("coroutine-not-awaited:class-methods", (nodes, unit): MethodFacts => {
  const facts: MethodFacts = { generators: [], assigned: [] };
  for (const top of nodes) {
    const definition = definitionOf(top);
    const members = definition?.type === "class_definition" ? (definition.childForFieldName("body")?.namedChildren ?? []) : [top];
    for (const member of members) {
      if (!member || unit.holes.some((hole) => member.startIndex >= hole.start && member.startIndex < hole.end)) continue;
      const method = definitionOf(member);
      const name = method?.childForFieldName("name")?.text;
      if (method && name && isAsyncDef(method) && containsYield(method)) facts.generators.push(name);
    }
  }
  forEachUnitNodeOfType(nodes, unit, ["assignment", "augmented_assignment"], (node) => {
    const left = node.childForFieldName("left");
    if (left) facts.assigned.push(...assignedAttributes(left));
  });
  return facts;
});

/**
 * Whether module-level `name` is a plain coroutine function: asked by name, so an edit in its
 * body rechecks callers only when the answer changes. (A query's name must not hold ":", which
 * the model reads as the end of the name.)
 */
const COROUTINE_FUNCTION = defineQuery("coroutine-not-awaited.coroutine-function", (model, name): boolean => {
  const [only, ...others] = model.moduleBindings(name);
  return only !== undefined && others.length === 0 && only.kind === "function" && isPlainCoroutineFunction(only.site);
});

export const coroutineNotAwaitedRule: Rule = {
  code: "PYM008",
  name: "coroutine-not-awaited",
  knowledge: "coroutine-not-awaited",
  severity: "warning",
  nodeTypes: ["call"],
  messages: {
    message: {
      en: "`{call}` only creates a coroutine object; without `await` its body never runs and the result is dropped (Python only warns later: \"coroutine ... was never awaited\"). Write `await {call}`.",
      ko: "`{call}`은 코루틴 객체를 만들기만 합니다. `await`가 없으면 본문이 실행되지 않고 결과도 버려집니다(Python은 나중에야 \"coroutine ... was never awaited\" 경고를 냅니다). `await {call}`로 쓰세요.",
      "zh-cn": "`{call}` 只是创建了一个协程对象；没有 `await`，它的函数体根本不会执行，结果也被丢弃（Python 只会在之后发出 \"coroutine ... was never awaited\" 警告）。请写成 `await {call}`。",
    },
    fix: { en: "Add await", ko: "await 추가", "zh-cn": "添加 await" },
  },
  check(ctx) {
    const findings: Finding[] = [];
    const inAsync = asyncRanges(ctx);
    for (const call of ctx.nodes("call")) {
      if (inAsync && !inAsync.some(([start, end]) => call.startIndex >= start && call.startIndex < end)) continue;
      if (!isDroppedStatement(call)) continue;
      // Only calls run directly by an `async def` body (not a nested def, lambda or class body) are judged.
      const method = enclosingDefinition(call);
      if (!method || !isAsyncDef(method)) continue;
      const callee = call.childForFieldName("function");
      if (!callee || !callsCoroutineFunction(ctx, callee, call)) continue;
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

/**
 * Where the unit's `async def`s lie, as [start, end) offsets: a call outside them cannot be judged,
 * and most units have none, so their calls need no walk up the tree (each step up costs a search
 * from the root in tree-sitter). Undefined for a class's own statements, whose methods' nodes are
 * other units': their calls are few, and are judged as before.
 */
function asyncRanges(ctx: RuleContext): [number, number][] | undefined {
  if (ctx.unit.kind === "class" || ctx.unit.nodes.length === 0) return undefined;
  const ranges: [number, number][] = [];
  for (const top of ctx.unit.nodes) {
    // An `async def` under this statement has its keyword in the statement's text.
    if (!top.text.includes("async")) continue;
    for (const definition of top.descendantsOfType("function_definition")) {
      if (definition && isAsyncDef(definition)) ranges.push([definition.startIndex, definition.endIndex]);
    }
  }
  return ranges;
}

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

function callsCoroutineFunction(ctx: RuleContext, callee: Node, call: Node): boolean {
  const qualified = ctx.model.qualifiedName(callee);
  if (qualified) return ASYNCIO_COROUTINES.has(qualified);
  if (callee.type === "identifier") {
    const binding = ctx.model.binding(callee);
    if (binding?.kind !== "function") return false;
    if (binding.scope === ctx.model.module) return ctx.model.query(COROUTINE_FUNCTION, callee.text);
    return binding.definition !== undefined && isPlainCoroutineFunction(binding.definition);
  }
  if (callee.type === "attribute") return callsOwnCoroutineMethod(ctx, callee, call);
  return false;
}

/**
 * An undecorated `async def` that is not an async generator: calling it returns a coroutine. A
 * decorator may turn it into anything (`@asynccontextmanager`, a task factory), so those stay quiet.
 */
function isPlainCoroutineFunction(definition: Node): boolean {
  return isAsyncDef(definition) && definition.parent?.type !== "decorated_definition" && !containsYield(definition);
}

/**
 * `self.method()` in a method, or `cls.method()` in a classmethod, where the enclosing class
 * defines `method` exactly once as an `async def` (for `cls`, a class- or staticmethod) and
 * nothing else in the class assigns an attribute of that name.
 */
function callsOwnCoroutineMethod(ctx: RuleContext, callee: Node, call: Node): boolean {
  const object = callee.childForFieldName("object");
  const attribute = callee.childForFieldName("attribute")?.text;
  if (object?.type !== "identifier" || !attribute) return false;
  const { function: method, method: owner } = ctx.model.owner(call);
  if (!method || !owner || owner.kind === "static") return false;
  const parameters = method.childForFieldName("parameters");
  const firstNode = parameters?.namedChild(0);
  // A plain first parameter (`self`, `self: "Worker"`), not `*args`.
  const plain = firstNode?.type === "identifier" || firstNode?.type === "typed_parameter";
  const first = parameters && plain ? parameterNames(parameters)[0] : undefined;
  if (!first || first !== object.text) return false;
  if (ctx.model.binding(object)?.kind !== "parameter") return false;
  // The class body binds the name once, by an `async def` whose decorators leave it a coroutine function.
  const member = ctx.model.classMembers(owner.class).get(attribute);
  if (ctx.model.scopeFor(owner.class)?.bindingsOf(attribute).length !== 1) return false;
  if (member?.kind !== "method" || !isAsyncDef(member.node)) return false;
  const qualify = (decorator: Node) => ctx.model.qualifiedName(decorator);
  if (!decoratorsOf(member.node).every((decorator) => METHOD_DECORATORS.has(qualify(decorator) ?? ""))) return false;
  if (owner.kind === "class" && methodKindOf(member.node, qualify) === "instance") return false;
  // Its body (an async generator?) and the attributes other methods assign come from their units' facts.
  return !ctx.model.classFact(CLASS_METHODS, owner.class).map((part) => part.value).some((facts) => facts.generators.includes(attribute) || facts.assigned.includes(attribute));
}

/** The attribute names an assignment target sets: `x` of `obj.x = ...` and of `a, obj.x = ...`. */
function assignedAttributes(target: Node): string[] {
  if (target.type === "attribute") {
    const name = target.childForFieldName("attribute")?.text;
    return name ? [name] : [];
  }
  if (target.type === "pattern_list" || target.type === "tuple_pattern" || target.type === "list_pattern") {
    return target.namedChildren.flatMap((child) => (child ? assignedAttributes(child) : []));
  }
  return [];
}
