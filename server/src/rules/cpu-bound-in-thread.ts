import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding, Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { defineQuery } from "../analysis/model/semantic-model";
import { boundValues } from "../analysis/support/bound-values";
import { referenceTo } from "../analysis/support/import-fix";
import { isPlainFunction, PurityChecker, type Purity } from "../analysis/support/purity";
import { enclosingDefinition, hasKeywordArguments, keywordArgument, positionalArguments, runsOnImport } from "../analysis/support/syntax";

const THREAD_POOLS = new Set(["concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"]);

type Handoff = {
  kind: "thread" | "pool" | "to_thread" | "executor";
  target: Node;
  /** For a pool: `submit` or `map`. */
  method?: string;
  pools?: Node[];
  poolName?: Node;
};

/** A function handed to a thread: its purity, and whether it is a top-level `def` (a process can run only those). */
interface Job extends Purity {
  topLevel: boolean;
}

/**
 * Whether the module-level function bound to a name only computes. A query, so a call in one unit
 * can ask about a function in another and the answer is reused while what it read is the same.
 */
const PURE_FUNCTION = defineQuery("cpu-bound-in-thread:pure", (model, name): Job | null => {
  const bindings = model.moduleBindings(name);
  const definition = bindings.length === 1 && bindings[0].kind === "function" ? bindings[0].site : undefined;
  if (!definition || !isPlainFunction(definition)) return null;
  const purity = new PurityChecker(model).purity(definition);
  return purity ? { ...purity, topLevel: definition.parent?.type === "module" } : null;
});

export const cpuBoundInThreadRule: Rule = {
  code: "PYM003",
  name: "cpu-bound-in-thread",
  knowledge: "cpu-bound-in-thread",
  severity: "warning",
  nodeTypes: ["call"],
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
  check(ctx) {
    const findings: Finding[] = [];
    if (!mayHandOff(ctx)) return findings;
    const jobs = new Jobs(ctx);
    const imports = ctx.model.moduleImports();
    for (const call of ctx.nodes("call")) {
      const handoff = describeHandoff(ctx, call, imports);
      if (!handoff) continue;
      const job = jobs.of(handoff.target, handoff.method);
      if (!job?.works) continue;
      const function_ = handoff.target.text;
      const key = handoff.kind === "thread" ? "thread" : handoff.kind === "pool" ? "pool" : "asyncio";
      const fix = handoff.kind === "thread" ? threadFix(ctx, call, job) : handoff.kind === "pool" ? poolFix(ctx, handoff, jobs) : undefined;
      findings.push(ctx.finding(call, ctx.t(key, { function: function_ }), fix));
    }
    return findings;
  },
};

/**
 * The functions a unit hands over, looked up by where they are named: a module-level one through
 * the query, a nested one (in this unit) by a checker of its own.
 */
class Jobs {
  private local: PurityChecker | undefined;

  constructor(private readonly ctx: RuleContext) {}

  /**
   * The job a reference names, when it only computes given how it is handed over: `map` calls it
   * once per item of data, so looping over its argument is computing too; elsewhere the argument
   * could be a file or a socket.
   */
  of(reference: Node, method?: string): Job | undefined {
    if (reference.type !== "identifier") return undefined;
    const model = this.ctx.model;
    const binding = model.binding(reference);
    if (binding?.kind !== "function") return undefined;
    let job: Job | undefined;
    if (binding.scope === model.module) job = model.query(PURE_FUNCTION, reference.text) ?? undefined;
    else {
      const definition = binding.definition;
      const purity = definition && isPlainFunction(definition) ? (this.local ??= new PurityChecker(model)).purity(definition) : undefined;
      job = purity && { ...purity, topLevel: false };
    }
    return job && (!job.iteratesArguments || method === "map") ? job : undefined;
  }
}

/** Every hand-off needs one of these imports, except `run_in_executor` on a loop from anywhere. */
function mayHandOff(ctx: RuleContext): boolean {
  return ctx.model.importsAny(["threading", "concurrent.futures", "asyncio"]) || ctx.unit.text.includes("run_in_executor");
}

const HANDOFF_SPELLINGS = /(?:Thread|to_thread|run_in_executor|submit|map)$/;

/** What a call hands to a thread: `Thread(target=f)`, `pool.submit(f)`/`.map(f)`, `to_thread(f)`, `run_in_executor(None, f)`. */
function describeHandoff(ctx: RuleContext, call: Node, imports: ReadonlyMap<string, string>): Handoff | undefined {
  const callee = call.childForFieldName("function");
  // Resolving every call's name costs: only these spellings, or a name imported under another one, can hand off.
  if (!callee || !(HANDOFF_SPELLINGS.test(callee.text) || (callee.type === "identifier" && imports.has(callee.text)))) return undefined;
  const qualified = ctx.model.qualifiedName(callee);
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
    const pools = object.type === "call" ? [object] : boundValues(ctx.model, object);
    if (!pools || !pools.every((pool) => isThreadPool(ctx, pool))) return undefined;
    return { kind: "pool", target: positional[0], method, pools, poolName: object.type === "identifier" ? object : undefined };
  }
  return undefined;
}

function isThreadPool(ctx: RuleContext, value: Node): boolean {
  const callee = value.type === "call" ? value.childForFieldName("function") : null;
  const qualified = callee ? ctx.model.qualifiedName(callee) : undefined;
  return qualified !== undefined && THREAD_POOLS.has(qualified);
}

/** `threading.Thread(...)` -> `multiprocessing.Process(...)`, same arguments. */
function threadFix(ctx: RuleContext, call: Node, job: Job): Fix | undefined {
  const callee = call.childForFieldName("function");
  // A process runs a function it finds by name in the module it imports: a top-level `def`.
  if (!callee || job.writesShared || !job.topLevel || runsOnImport(call)) return undefined;
  const multiprocessing = referenceTo(ctx.model, "multiprocessing", "multiprocessing", "import multiprocessing", call);
  if (!multiprocessing) return undefined;
  const edits: TextEdit[] = [{ range: { start: callee.startPosition, end: callee.endPosition }, newText: `${multiprocessing.text}.Process` }];
  if (multiprocessing.importEdit) edits.unshift(multiprocessing.importEdit);
  return { title: ctx.t("fixThread"), edits, safe: false };
}

/**
 * `ThreadPoolExecutor(...)` -> `ProcessPoolExecutor(...)` where the pool is created, when every
 * job the pool receives is a pure top-level function (the pool's other uses would change too).
 */
function poolFix(ctx: RuleContext, handoff: Handoff, jobs: Jobs): Fix | undefined {
  const pools = handoff.pools ?? [];
  if (pools.some((pool) => runsOnImport(pool) || !convertiblePoolCall(pool))) return undefined;
  if (!allJobsPure(ctx, handoff, jobs)) return undefined;
  const edits: TextEdit[] = [];
  for (const pool of pools) {
    const callee = pool.childForFieldName("function");
    if (!callee) return undefined;
    if (callee.type === "attribute") {
      const object = callee.childForFieldName("object");
      const attribute = callee.childForFieldName("attribute");
      if (!object || !attribute || ctx.model.qualifiedName(object) !== "concurrent.futures") return undefined;
      edits.push({ range: { start: attribute.startPosition, end: attribute.endPosition }, newText: "ProcessPoolExecutor" });
    } else {
      const reference = referenceTo(ctx.model, "concurrent.futures.ProcessPoolExecutor", "ProcessPoolExecutor", "from concurrent.futures import ProcessPoolExecutor", pool);
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
function allJobsPure(ctx: RuleContext, handoff: Handoff, jobs: Jobs): boolean {
  const jobIsPure = (reference: Node | undefined, method: string | undefined): boolean => {
    const job = reference ? jobs.of(reference, method) : undefined;
    return job !== undefined && !job.writesShared && job.topLevel;
  };
  if (!handoff.poolName) return jobIsPure(handoff.target, handoff.method);
  const name = handoff.poolName.text;
  const uses = usesOf(ctx, handoff.pools?.[0] ?? handoff.poolName);
  if (!uses) return false;
  for (const id of uses) {
    if (id.text !== name) continue;
    const parent = id.parent;
    if (parent?.type === "as_pattern_target" || (parent?.type === "assignment" && parent.childForFieldName("left")?.id === id.id)) continue;
    if (parent?.type === "attribute" && parent.childForFieldName("object")?.id === id.id) {
      const method = parent.childForFieldName("attribute")?.text;
      const call = parent.parent;
      if (call?.type !== "call" || call.childForFieldName("function")?.id !== parent.id) return false;
      if (method === "shutdown") continue;
      if ((method === "submit" || method === "map") && jobIsPure(positionalArguments(call)?.[0], method)) continue;
    }
    return false;
  }
  return true;
}

/**
 * Every identifier where a pool made at `node` may be used: in the function around it, or, for
 * a module-level pool, anywhere in the module. Undefined for a pool made in a class body, which
 * its methods may use as an attribute: that would mean reading their bodies.
 */
function usesOf(ctx: RuleContext, node: Node): Node[] | undefined {
  const definition = enclosingDefinition(node);
  if (definition?.type === "class_definition") return undefined;
  const roots = definition ? [definition] : ctx.model.moduleStatements();
  return roots.flatMap((root) => root.descendantsOfType("identifier")).filter((id): id is Node => id !== null);
}
