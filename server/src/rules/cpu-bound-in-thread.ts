import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding, Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { localBindings } from "../analysis/scopes";
import {
  boundValues,
  enclosingScope,
  hasKeywordArguments,
  importsAny,
  keywordArgument,
  positionalArguments,
  referenceTo,
  runsOnImport,
} from "./concurrency-support";

const THREAD_POOLS = new Set(["concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"]);

/** Builtins that only compute (given plain values): calling them cannot block or do I/O. */
const PURE_BUILTINS = new Set([
  "abs", "all", "any", "bin", "bool", "chr", "divmod", "enumerate", "float", "frozenset", "hex", "int", "isinstance",
  "len", "list", "max", "min", "oct", "ord", "pow", "range", "reversed", "round", "set", "sorted", "sum", "tuple", "zip",
]);
/** Of those, the ones that iterate their positional arguments (min and max only when given one). */
const ITERATING_BUILTINS = new Set(["all", "any", "enumerate", "frozenset", "list", "max", "min", "reversed", "set", "sorted", "sum", "tuple", "zip"]);
/** Keyword arguments the pure builtins may take: none of them is called back. */
const PURE_KEYWORDS = new Set(["start", "reverse", "default"]);

/** Node types pure code may consist of; anything else (await, yield, with, import, lambda, def...) means "not sure". */
const PURE_NODES = new Set([
  "block", "expression_statement", "assignment", "augmented_assignment", "return_statement", "if_statement",
  "elif_clause", "else_clause", "for_statement", "while_statement", "break_statement", "continue_statement",
  "pass_statement", "assert_statement", "raise_statement", "global_statement", "nonlocal_statement", "delete_statement",
  "identifier", "integer", "float", "true", "false", "none", "ellipsis", "comment", "string", "concatenated_string",
  "binary_operator", "unary_operator", "boolean_operator", "not_operator", "comparison_operator",
  "parenthesized_expression", "conditional_expression", "tuple", "list", "set", "dictionary", "pair", "subscript",
  "slice", "attribute", "call", "argument_list", "keyword_argument", "expression_list", "pattern_list",
  "tuple_pattern", "list_pattern", "list_splat_pattern", "named_expression", "list_comprehension",
  "set_comprehension", "dictionary_comprehension", "generator_expression", "for_in_clause", "if_clause",
]);

interface Purity {
  /** It loops: a `for`, `while`, comprehension or an iterating builtin, here or in a pure callee. */
  works: boolean;
  /** It writes state the caller could see: globals, nonlocals, items of containers it did not create. */
  writesShared: boolean;
}

type Handoff = { kind: "thread" | "pool" | "to_thread" | "executor"; target: Node; pools?: Node[]; poolName?: Node };

export const cpuBoundInThreadRule: Rule = {
  code: "PYM003",
  name: "cpu-bound-in-thread",
  knowledge: "cpu-bound-in-thread",
  severity: "warning",
  nodeTypes: ["call", "function_definition", "import_statement", "import_from_statement"],
  messages: {
    thread: {
      en: "`{function}` only computes in Python, and the GIL lets one thread run Python bytecode at a time, so running it in a thread gains no speed. Use a process (`multiprocessing.Process`) for parallel CPU work.",
      ko: "`{function}`은 파이썬 코드로 계산만 하는데, GIL 때문에 파이썬 바이트코드는 한 번에 한 스레드만 실행할 수 있어 스레드에서 돌려도 빨라지지 않습니다. 병렬 CPU 작업에는 프로세스(`multiprocessing.Process`)를 쓰세요.",
      "zh-cn": "`{function}` 只在 Python 中做计算，而 GIL 让同一时刻只有一个线程执行 Python 字节码，所以放到线程里运行并不会更快。并行的 CPU 计算请使用进程（`multiprocessing.Process`）。",
    },
    pool: {
      en: "`{function}` only computes in Python, and the GIL lets one thread run Python bytecode at a time, so a thread pool runs it no faster than a plain loop. Use `ProcessPoolExecutor` for parallel CPU work.",
      ko: "`{function}`은 파이썬 코드로 계산만 하는데, GIL 때문에 파이썬 바이트코드는 한 번에 한 스레드만 실행할 수 있어 스레드 풀에서 돌려도 평범한 반복문보다 빠르지 않습니다. 병렬 CPU 작업에는 `ProcessPoolExecutor`를 쓰세요.",
      "zh-cn": "`{function}` 只在 Python 中做计算，而 GIL 让同一时刻只有一个线程执行 Python 字节码，所以线程池运行它并不比普通循环快。并行的 CPU 计算请使用 `ProcessPoolExecutor`。",
    },
    asyncio: {
      en: "`{function}` only computes in Python: in a worker thread it still holds the GIL most of the time, so it slows the event loop's thread down and runs no faster. Send CPU work to a `ProcessPoolExecutor` with `loop.run_in_executor(pool, ...)`.",
      ko: "`{function}`은 파이썬 코드로 계산만 합니다. 작업 스레드에서 돌려도 대부분의 시간 동안 GIL을 쥐고 있어 이벤트 루프 스레드를 느리게 만들 뿐 빨라지지 않습니다. CPU 작업은 `loop.run_in_executor(pool, ...)`로 `ProcessPoolExecutor`에 보내세요.",
      "zh-cn": "`{function}` 只在 Python 中做计算：放到工作线程里，它大部分时间仍然持有 GIL，只会拖慢事件循环所在的线程，自身也不会更快。CPU 计算请用 `loop.run_in_executor(pool, ...)` 交给 `ProcessPoolExecutor`。",
    },
    fixThread: { en: "Use multiprocessing.Process", ko: "multiprocessing.Process 사용", "zh-cn": "改用 multiprocessing.Process" },
    fixPool: { en: "Use ProcessPoolExecutor", ko: "ProcessPoolExecutor 사용", "zh-cn": "改用 ProcessPoolExecutor" },
  },
  // A call here may hand over a function defined elsewhere in the file: tell whether each one is pure.
  summarize(ctx) {
    if (!mayHandOff(ctx)) return "";
    const checker = new PurityChecker(ctx);
    return ctx
      .nodes("function_definition")
      .map((definition) => `${definition.childForFieldName("name")?.text}:${checker.purity(definition)?.works ? 1 : 0}`)
      .join(" ");
  },
  check(ctx) {
    const findings: Finding[] = [];
    if (!mayHandOff(ctx)) return findings;
    const checker = new PurityChecker(ctx);
    for (const call of ctx.nodes("call")) {
      const handoff = describeHandoff(ctx, call);
      if (!handoff) continue;
      const definition = checker.localFunction(handoff.target);
      const purity = definition ? checker.purity(definition) : undefined;
      if (!definition || !purity?.works) continue;
      const function_ = handoff.target.text;
      const key = handoff.kind === "thread" ? "thread" : handoff.kind === "pool" ? "pool" : "asyncio";
      const fix =
        handoff.kind === "thread"
          ? threadFix(ctx, call, definition, purity)
          : handoff.kind === "pool"
            ? poolFix(ctx, handoff, checker)
            : undefined;
      findings.push(ctx.finding(call, ctx.t(key, { function: function_ }), fix));
    }
    return findings;
  },
};

/** Every hand-off needs one of these imports, except `run_in_executor` on a loop from anywhere. */
function mayHandOff(ctx: RuleContext): boolean {
  return importsAny(ctx, ["threading", "concurrent.futures", "asyncio"]) || ctx.text.includes("run_in_executor");
}

const HANDOFF_SPELLINGS = /(?:Thread|to_thread|run_in_executor|submit|map)$/;

/** What a call hands to a thread: `Thread(target=f)`, `pool.submit(f)`/`.map(f)`, `to_thread(f)`, `run_in_executor(None, f)`. */
function describeHandoff(ctx: RuleContext, call: Node): Handoff | undefined {
  const callee = call.childForFieldName("function");
  // Resolving every call's name costs: only these spellings, or a name imported under another one, can hand off.
  if (!callee || !(HANDOFF_SPELLINGS.test(callee.text) || (callee.type === "identifier" && ctx.file.imports.has(callee.text)))) return undefined;
  const qualified = ctx.file.qualifiedName(callee);
  const positional = positionalArguments(call);
  if (qualified === "threading.Thread") {
    const target = keywordArgument(call, "target") ?? positional?.[1];
    return target ? { kind: "thread", target } : undefined;
  }
  if (qualified === "asyncio.to_thread") {
    return positional?.[0] ? { kind: "to_thread", target: positional[0] } : undefined;
  }
  if (callee.type !== "attribute") return undefined;
  const method = callee.childForFieldName("attribute")?.text;
  const object = callee.childForFieldName("object");
  if (!object || !positional) return undefined;
  if (method === "run_in_executor") {
    return positional[0]?.type === "none" && positional[1] ? { kind: "executor", target: positional[1] } : undefined;
  }
  if ((method === "submit" || method === "map") && positional[0]) {
    const pools = object.type === "call" ? [object] : boundValues(ctx, object);
    if (!pools || !pools.every((pool) => isThreadPool(ctx, pool))) return undefined;
    return { kind: "pool", target: positional[0], pools, poolName: object.type === "identifier" ? object : undefined };
  }
  return undefined;
}

function isThreadPool(ctx: RuleContext, value: Node): boolean {
  const callee = value.type === "call" ? value.childForFieldName("function") : null;
  const qualified = callee ? ctx.file.qualifiedName(callee) : undefined;
  return qualified !== undefined && THREAD_POOLS.has(qualified);
}

/**
 * Decides whether same-file functions do pure computation. "Pure" is deliberately narrow: only
 * the node types above, calls only to known-pure builtins or other pure functions of this file,
 * loops only over values whose iteration cannot run unknown code (ranges, literals, local lists).
 */
class PurityChecker {
  private readonly results = new Map<number, Purity | null>();
  private readonly pending = new Set<number>();

  constructor(private readonly ctx: RuleContext) {}

  /** The plain `def` a name refers to (not async, not decorated, not a generator). */
  localFunction(reference: Node): Node | undefined {
    if (reference.type !== "identifier") return undefined;
    const binding = this.ctx.file.binding(reference);
    const definition = binding?.kind === "function" ? binding.node : undefined;
    if (!definition || definition.type !== "function_definition") return undefined;
    if (definition.child(0)?.type === "async" || definition.parent?.type === "decorated_definition") return undefined;
    return definition;
  }

  purity(definition: Node): Purity | undefined {
    const known = this.results.get(definition.id);
    if (known !== undefined) return known ?? undefined;
    // A recursive call adds nothing: the function's own body decides.
    if (this.pending.has(definition.id)) return { works: false, writesShared: false };
    this.pending.add(definition.id);
    const result = this.analyse(definition);
    this.pending.delete(definition.id);
    this.results.set(definition.id, result ?? null);
    return result;
  }

  private analyse(definition: Node): Purity | undefined {
    const body = definition.childForFieldName("body");
    if (!body) return undefined;
    const locals = localBindings(definition);
    const isLocal = (name: string) => {
      const binding = locals.get(name);
      return binding !== undefined && binding.kind !== "parameter";
    };
    const result: Purity = { works: false, writesShared: false };
    const check = (node: Node): boolean => {
      if (!PURE_NODES.has(node.type)) return false;
      switch (node.type) {
        case "string":
          // Only f-string replacement fields hold code.
          return node.namedChildren.every((part) => part?.type !== "interpolation" || part.namedChildren.every((child) => !child || child.type === "format_specifier" || child.type === "type_conversion" || check(child)));
        case "call":
          if (!this.pureCall(node, definition, result, isLocal)) return false;
          break;
        case "for_statement":
          if (node.child(0)?.type === "async") return false;
          if (!this.knownIterable(node.childForFieldName("right"), definition, isLocal, new Set())) return false;
          result.works = true;
          break;
        case "for_in_clause":
          if (node.child(0)?.type === "async") return false;
          if (!this.knownIterable(node.childForFieldName("right"), definition, isLocal, new Set())) return false;
          result.works = true;
          break;
        case "while_statement": {
          // A loop waiting on a flag another thread sets is coordination, not computation: the
          // condition may read only this function's own names (and calls checked like any other).
          const condition = node.childForFieldName("condition");
          if (!condition || !conditionIsLocal(condition, locals)) return false;
          result.works = true;
          break;
        }
        case "global_statement":
        case "nonlocal_statement":
          result.writesShared = true;
          break;
        case "assignment":
        case "augmented_assignment":
        case "delete_statement": {
          const targets = node.type === "delete_statement" ? node.namedChildren : [node.childForFieldName("left")];
          for (const target of targets) {
            if (!target) continue;
            // Storing an attribute may run a property setter or __setattr__: not sure, stay quiet.
            if (target.type === "attribute" || target.descendantsOfType("attribute").length > 0) return false;
            if (!writesLocalOnly(target, isLocal)) result.writesShared = true;
          }
          break;
        }
      }
      return node.namedChildren.every((child) => !child || check(child));
    };
    return check(body) ? result : undefined;
  }

  private pureCall(call: Node, definition: Node, result: Purity, isLocal: (name: string) => boolean): boolean {
    const callee = call.childForFieldName("function");
    if (callee?.type !== "identifier") return false;
    const args = call.childForFieldName("arguments");
    const qualified = this.ctx.file.qualifiedName(callee);
    if (qualified?.startsWith("builtins.")) {
      const name = qualified.slice("builtins.".length);
      if (/^[A-Z]\w*(Error|Exception)$/.test(name) && call.parent?.type === "raise_statement") return true;
      if (!PURE_BUILTINS.has(name)) return false;
      if (args?.type === "generator_expression") {
        if (ITERATING_BUILTINS.has(name)) result.works = true;
        return ITERATING_BUILTINS.has(name);
      }
      const positional = positionalArguments(call);
      if (!positional) return false;
      for (const arg of args?.namedChildren ?? []) {
        if (arg?.type === "keyword_argument" && !PURE_KEYWORDS.has(arg.childForFieldName("name")?.text ?? "")) return false;
      }
      const iterates = ITERATING_BUILTINS.has(name) && !((name === "min" || name === "max") && positional.length > 1);
      if (iterates) {
        if (!positional.every((arg) => this.knownIterable(arg, definition, isLocal, new Set()))) return false;
        if (positional.length > 0) result.works = true;
      }
      return true;
    }
    if (qualified !== undefined) return false;
    const callee_ = this.localFunction(callee);
    if (!callee_) return false;
    const inner = this.purity(callee_);
    if (!inner) return false;
    result.works ||= inner.works;
    result.writesShared ||= inner.writesShared;
    return true;
  }

  /**
   * Iterating this value cannot run unknown code: a range, a literal, a comprehension, a pure
   * builtin over such values, or a local name only ever assigned such values.
   */
  private knownIterable(node: Node | null, definition: Node, isLocal: (name: string) => boolean, seen: Set<string>): boolean {
    if (!node) return false;
    switch (node.type) {
      case "list":
      case "tuple":
      case "set":
      case "dictionary":
      case "string":
      case "concatenated_string":
      case "list_comprehension":
      case "set_comprehension":
      case "dictionary_comprehension":
      case "generator_expression":
        return true;
      case "parenthesized_expression":
        return this.knownIterable(node.namedChild(0), definition, isLocal, seen);
      case "binary_operator": {
        const operator = node.childForFieldName("operator")?.type;
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        if (operator === "+") return this.knownIterable(left, definition, isLocal, seen) && this.knownIterable(right, definition, isLocal, seen);
        if (operator === "*") return this.knownIterable(left, definition, isLocal, seen) || this.knownIterable(right, definition, isLocal, seen);
        return false;
      }
      case "call": {
        const callee = node.childForFieldName("function");
        const qualified = callee ? this.ctx.file.qualifiedName(callee) : undefined;
        if (qualified === "builtins.range") return true;
        const name = qualified?.startsWith("builtins.") ? qualified.slice("builtins.".length) : undefined;
        if (!name || !ITERATING_BUILTINS.has(name) || name === "min" || name === "max" || name === "sum" || name === "any" || name === "all") return false;
        const args = node.childForFieldName("arguments");
        if (args?.type === "generator_expression") return true;
        const positional = positionalArguments(node);
        return positional !== null && positional.every((arg) => this.knownIterable(arg, definition, isLocal, seen));
      }
      case "identifier": {
        if (!isLocal(node.text) || seen.has(node.text)) return false;
        const values = boundValues(this.ctx, node);
        if (!values || enclosingScope(values[0])?.id !== definition.id) return false;
        seen.add(node.text);
        return values.every((value) => this.knownIterable(value, definition, isLocal, seen));
      }
      default:
        return false;
    }
  }
}

/**
 * A `while` condition that reads only the function's own names (parameters and locals) and
 * callees; no globals, attributes or subscripts, which another thread could be changing.
 */
function conditionIsLocal(condition: Node, locals: ReadonlyMap<string, unknown>): boolean {
  const check = (node: Node): boolean => {
    if (node.type === "attribute" || node.type === "subscript") return false;
    if (node.type === "identifier") {
      const parent = node.parent;
      if (parent?.type === "call" && parent.childForFieldName("function")?.id === node.id) return true;
      return locals.has(node.text);
    }
    return node.namedChildren.every((child) => !child || check(child));
  };
  return check(condition);
}

/** A store into a plain local name, or into an item of a local container (`counts[i] = ...` with local `counts`). */
function writesLocalOnly(target: Node, isLocal: (name: string) => boolean): boolean {
  if (target.type === "identifier") return isLocal(target.text);
  if (target.type === "subscript") {
    let base: Node | null = target;
    while (base && base.type === "subscript") base = base.childForFieldName("value");
    return base?.type === "identifier" && isLocal(base.text);
  }
  return target.namedChildren.every((child) => !child || writesLocalOnly(child, isLocal));
}

/** Functions a process can run must be importable by name from the module: top-level `def`s. */
function isModuleLevel(definition: Node): boolean {
  return definition.parent?.type === "module";
}

/** `threading.Thread(...)` -> `multiprocessing.Process(...)`, same arguments. */
function threadFix(ctx: RuleContext, call: Node, definition: Node, purity: Purity): Fix | undefined {
  const callee = call.childForFieldName("function");
  if (!callee || purity.writesShared || !isModuleLevel(definition) || runsOnImport(call)) return undefined;
  const multiprocessing = referenceTo(ctx, "multiprocessing", "multiprocessing", "import multiprocessing", call);
  if (!multiprocessing) return undefined;
  const edits: TextEdit[] = [{ range: { start: callee.startPosition, end: callee.endPosition }, newText: `${multiprocessing.text}.Process` }];
  if (multiprocessing.importEdit) edits.unshift(multiprocessing.importEdit);
  return { title: ctx.t("fixThread"), edits, safe: false };
}

/**
 * `ThreadPoolExecutor(...)` -> `ProcessPoolExecutor(...)` where the pool is created, when every
 * job the pool receives is a pure top-level function (the pool's other uses would change too).
 */
function poolFix(ctx: RuleContext, handoff: Handoff, checker: PurityChecker): Fix | undefined {
  const pools = handoff.pools ?? [];
  if (pools.some((pool) => runsOnImport(pool) || !convertiblePoolCall(pool))) return undefined;
  if (!allJobsPure(ctx, handoff, checker)) return undefined;
  const edits: TextEdit[] = [];
  for (const pool of pools) {
    const callee = pool.childForFieldName("function");
    if (!callee) return undefined;
    if (callee.type === "attribute") {
      const object = callee.childForFieldName("object");
      const attribute = callee.childForFieldName("attribute");
      if (!object || !attribute || ctx.file.qualifiedName(object) !== "concurrent.futures") return undefined;
      edits.push({ range: { start: attribute.startPosition, end: attribute.endPosition }, newText: "ProcessPoolExecutor" });
    } else {
      const reference = referenceTo(ctx, "concurrent.futures.ProcessPoolExecutor", "ProcessPoolExecutor", "from concurrent.futures import ProcessPoolExecutor", pool);
      if (!reference) return undefined;
      if (reference.importEdit && !edits.some((edit) => edit.newText === reference.importEdit?.newText)) edits.unshift(reference.importEdit);
      edits.push({ range: { start: callee.startPosition, end: callee.endPosition }, newText: reference.text });
    }
  }
  return { title: ctx.t("fixPool"), edits, safe: false };
}

/** ProcessPoolExecutor takes max_workers, initializer and initargs too, but not thread_name_prefix. */
function convertiblePoolCall(pool: Node): boolean {
  const positional = positionalArguments(pool);
  if (!positional || positional.length > 1) return false;
  if (keywordArgument(pool, "thread_name_prefix") || keywordArgument(pool, "initializer")) return false;
  const args = pool.childForFieldName("arguments");
  return !hasKeywordArguments(pool) || (args?.namedChildren ?? []).every((arg) => arg?.type !== "dictionary_splat");
}

/** Every use of the pool hands it a pure, top-level function that writes no shared state. */
function allJobsPure(ctx: RuleContext, handoff: Handoff, checker: PurityChecker): boolean {
  const jobIsPure = (job: Node | undefined): boolean => {
    const definition = job ? checker.localFunction(job) : undefined;
    const purity = definition ? checker.purity(definition) : undefined;
    return definition !== undefined && purity !== undefined && !purity.writesShared && isModuleLevel(definition);
  };
  if (!handoff.poolName) return jobIsPure(handoff.target);
  const name = handoff.poolName.text;
  const scope = enclosingScope(handoff.pools?.[0] ?? handoff.poolName) ?? ctx.tree.rootNode;
  for (const id of scope.descendantsOfType("identifier")) {
    if (!id || id.text !== name) continue;
    const parent = id.parent;
    if (parent?.type === "as_pattern_target" || (parent?.type === "assignment" && parent.childForFieldName("left")?.id === id.id)) continue;
    if (parent?.type === "attribute" && parent.childForFieldName("object")?.id === id.id) {
      const method = parent.childForFieldName("attribute")?.text;
      const call = parent.parent;
      if (call?.type !== "call" || call.childForFieldName("function")?.id !== parent.id) return false;
      if (method === "shutdown") continue;
      if ((method === "submit" || method === "map") && jobIsPure(positionalArguments(call)?.[0])) continue;
    }
    return false;
  }
  return true;
}
