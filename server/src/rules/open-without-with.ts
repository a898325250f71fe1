import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import type { Owner } from "../analysis/model/semantic-model";
import type { Scope } from "../analysis/model/scope";
import { defineFact, forEachUnitNodeOfType, type UnitShape } from "../analysis/model/facts";
import { aloneOnItsLines, indentRows, indentUnit } from "../analysis/support/indentation";
import { methodClass } from "../analysis/model/semantic-model";
import { unparenthesize } from "../analysis/support/syntax";

/**
 * Functions that open a file object which must be closed. `os.open` returns a plain int file
 * descriptor (no `with`), so it is not here. `gzip.open`, `bz2.open` and `lzma.open` return file
 * objects with the same buffered writes and the same `close()` duty (a gzip file that is never
 * closed even lacks its trailer), so they count.
 */
const OPENERS = new Set(["builtins.open", "io.open", "gzip.open", "bz2.open", "lzma.open"]);

/** Calls that take over a file's closing when handed the file (or the attribute holding it). */
const OWNERSHIP_METHODS = new Set([
  "enter_context", "push", "callback", "append", "appendleft", "add", "extend", "register",
  // asyncio transports close the pipe object they are given.
  "connect_read_pipe", "connect_write_pipe",
]);

/** Callables whose result closes the file handed to them: closing the wrapper closes the file. */
const OWNING_WRAPPERS = new Set([
  "contextlib.closing",
  "io.TextIOWrapper",
  "io.BufferedReader",
  "io.BufferedWriter",
  "io.BufferedRandom",
  "io.BufferedRWPair",
]);
const WRAPPER_NAMES = new Set([...OWNING_WRAPPERS].map((name) => name.slice(name.lastIndexOf(".") + 1)));

/** Special methods and `close` that let a class close the file it stores in `self.x`. */
const CLOSING_METHODS = ["close", "__exit__", "__aexit__", "__del__"];

const COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);

export const openWithoutWithRule: Rule = {
  code: "PYM009",
  name: "open-without-with",
  knowledge: "open-without-with",
  severity: "warning",
  equivalents: ["SIM115"],
  nodeTypes: ["assignment"],
  messages: {
    local: {
      en: "`{name}` is opened outside a `with` block, so it is closed only if the program reaches `{name}.close()`: an exception or an early `return` skips that line, and the file stays open, its buffered writes not yet flushed, until it is garbage-collected. Use `with {call} as {name}:`.",
      ko: "`{name}`을 `with` 블록 밖에서 열었기 때문에, 프로그램이 `{name}.close()`까지 가야만 파일이 닫힙니다. 예외나 이른 `return`이 그 줄을 건너뛰면 파일은 가비지 컬렉션될 때까지 열린 채로 남고, 버퍼에 쌓인 쓰기 내용도 그때까지 기록되지 않습니다. `with {call} as {name}:`을 쓰세요.",
      "zh-cn": "`{name}` 是在 `with` 块之外打开的，只有程序执行到 `{name}.close()` 时文件才会关闭：一旦异常或提前 `return` 跳过了这一行，文件就会一直开着，缓冲区里的写入也不会写出，直到它被垃圾回收。请使用 `with {call} as {name}:`。",
    },
    neverClosed: {
      en: "`{name}` is opened outside a `with` block and never closed here: the file stays open until it is garbage-collected (in CPython usually when the last reference goes away, in PyPy possibly much later), and data written to it may sit in a buffer until then. Use `with {call} as {name}:`.",
      ko: "`{name}`을 `with` 블록 밖에서 열고 여기서는 닫지 않습니다. 파일은 가비지 컬렉션될 때까지 열려 있고(CPython에서는 보통 마지막 참조가 사라질 때, PyPy에서는 훨씬 나중일 수도 있음), 쓴 데이터도 그때까지 버퍼에 머물 수 있습니다. `with {call} as {name}:`을 쓰세요.",
      "zh-cn": "`{name}` 是在 `with` 块之外打开的，而且这里没有关闭它：文件会一直开着，直到被垃圾回收（CPython 中通常是最后一个引用消失时，PyPy 中可能要晚得多），写入的数据在此之前可能一直留在缓冲区里。请使用 `with {call} as {name}:`。",
    },
    attribute: {
      en: "`self.{name}` holds a file opened outside a `with` block, and nothing in this class closes it: the file stays open until the object is garbage-collected, and buffered writes may be lost. Close it in a `close()` or `__exit__` method, or open it in a `with` block where it is used.",
      ko: "`self.{name}`에 `with` 블록 밖에서 연 파일을 저장하지만 이 클래스에는 그 파일을 닫는 코드가 없습니다. 객체가 가비지 컬렉션될 때까지 파일이 열려 있고, 버퍼에 있던 쓰기 내용을 잃을 수 있습니다. `close()`나 `__exit__` 메서드에서 닫거나, 파일을 쓰는 곳에서 `with` 블록으로 여세요.",
      "zh-cn": "`self.{name}` 保存了一个在 `with` 块之外打开的文件，而这个类里没有任何地方关闭它：文件会一直开着直到对象被垃圾回收，缓冲区里的写入可能丢失。请在 `close()` 或 `__exit__` 方法中关闭它，或者在使用它的地方用 `with` 块打开。",
    },
    generator: {
      en: "`{name}` is a generator over a file opened outside a `with` block: the file stays open until the generator is used up or garbage-collected, so a generator that is never finished never closes it. Open the file in a `with` block and read it there, or write a generator function that opens it with `with`.",
      ko: "`{name}`은 `with` 블록 밖에서 연 파일을 읽는 제너레이터입니다. 파일은 제너레이터를 끝까지 소비하거나 가비지 컬렉션될 때까지 열려 있으므로, 끝까지 돌지 않은 제너레이터는 파일을 닫지 않습니다. 파일을 `with` 블록에서 열어 그 안에서 읽거나, `with`로 파일을 여는 제너레이터 함수를 작성하세요.",
      "zh-cn": "`{name}` 是一个读取在 `with` 块之外打开的文件的生成器：文件会一直开着，直到生成器被耗尽或被垃圾回收，所以一个没有迭代完的生成器永远不会关闭它。请在 `with` 块中打开文件并在其中读取，或者写一个用 `with` 打开文件的生成器函数。",
    },
    fix: {
      en: "Open `{name}` in a with block",
      ko: "`{name}`을 with 블록에서 열기",
      "zh-cn": "在 with 块中打开 `{name}`",
    },
  },
  check(ctx) {
    const findings = [];
    for (const assignment of ctx.nodes("assignment")) {
      const right = assignment.childForFieldName("right");
      const left = assignment.childForFieldName("left");
      if (!right || !left) continue;
      const call = openedFile(ctx, right);
      if (!call) continue;
      if (unparenthesize(right).type === "generator_expression") {
        // `lines = (l for l in open(p))`: the generator holds the file as long as it lives.
        if (left.type !== "identifier" || fileState(ctx, assignment, left) === "handled") continue;
        findings.push(ctx.finding(call, ctx.t("generator", { name: left.text })));
        continue;
      }
      const callee = call.childForFieldName("function");
      if (left.type === "identifier") {
        const state = fileState(ctx, assignment, left);
        if (state === "handled") continue;
        const args = { name: left.text, call: `${callee?.text ?? "open"}(...)` };
        const message = ctx.t(state === "closed" ? "local" : "neverClosed", args);
        findings.push(ctx.finding(call, message, withBlockFix(ctx, assignment, left, call, ctx.t("fix", args))));
      } else if (left.type === "attribute") {
        const object = left.childForFieldName("object");
        const attribute = left.childForFieldName("attribute");
        if (object?.type !== "identifier" || object.text !== "self" || !attribute) continue;
        if (selfAttributeClosed(ctx, assignment, attribute.text)) continue;
        findings.push(ctx.finding(call, ctx.t("attribute", { name: attribute.text })));
      }
    }
    return findings;
  },
};

/** A call of one of the OPENERS. Only a plain name or an attribute ending in `open` can be one, so others are not resolved. */
function opensFile(ctx: RuleContext, call: Node): boolean {
  const callee = call.childForFieldName("function");
  if (!callee || (callee.type !== "identifier" && !callee.text.endsWith("open"))) return false;
  // A plain name other than `open` can only mean an opener through an import of one.
  if (callee.type === "identifier" && callee.text !== "open" && !ctx.shared("open-without-with:imports-opener", () => ctx.model.importsAny(IMPORTED_OPENERS))) return false;
  return OPENERS.has(ctx.model.qualifiedName(callee) ?? "");
}

const IMPORTED_OPENERS = ["io.open", "gzip.open", "bz2.open", "lzma.open"];

/** The opener call whose file `value` holds: `open(p)` itself, or a generator expression iterating it. */
function openedFile(ctx: RuleContext, value: Node): Node | undefined {
  let call = unparenthesize(value);
  if (call.type === "generator_expression") {
    const iterable = call.namedChildren.find((child) => child?.type === "for_in_clause")?.childForFieldName("right");
    if (!iterable) return undefined;
    call = unparenthesize(iterable);
  }
  return call.type === "call" && opensFile(ctx, call) ? call : undefined;
}

function within(node: Node, types: readonly string[], stop: Node | null): Node | undefined {
  for (let current = node.parent; current && !(stop && current.equals(stop)); current = current.parent) {
    if (types.includes(current.type)) return current;
  }
  return undefined;
}

/** The expression a with item enters, without its `as` target. */
function withItemValue(item: Node): Node | null {
  const value = item.childForFieldName("value");
  return value?.type === "as_pattern" ? value.namedChild(0) : value;
}

function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * What becomes of the file object assigned to a name: "closed" by `name.close()` in its scope,
 * "open" when nothing there closes it, or "handled" when it is closed, or handed on, somewhere
 * the rule cannot follow, so that not closing it here is no bug: it is entered later
 * (`with f:`), cleaned up in a `finally` or `except` clause (`except: f.close(); raise` hands it
 * on when all goes well), closed right away (an existence check), returned or yielded to the
 * caller, stored elsewhere or aliased (`self.f = f`, `g = f`, `files.append(f)`,
 * `a = f = open(p)`), registered for later (`stack.enter_context(f)`, `atexit.register(f.close)`),
 * captured by a nested function or class, declared `global`/`nonlocal`, or sometimes bound to
 * something else (`f = sys.stdin` in another branch, a parameter), so that a `with open(...)`
 * could not replace it. Code running under `mock.patch(...)` is not opening real files either.
 * A comprehension that iterates the file uses it where it stands: `return [l for l in f]` hands
 * on a list, not the file.
 */
function fileState(ctx: RuleContext, assignment: Node, left: Node): "closed" | "open" | "handled" {
  if (assignment.parent?.type === "assignment" || assignment.childForFieldName("right")?.type === "assignment") return "handled";
  const name = left.text;
  const scope = ctx.model.scopeOf(assignment);
  // Every unit may use a module-level name, and what follows a module-level statement is other
  // units' code: reading it makes the result volatile, which keeps it right for a rare case.
  const code = scope.kind === "module" ? ctx.model.moduleStatements() : scopeBody(scope);
  if (closedRightAway(assignment, name) || underMockPatch(ctx, assignment)) return "handled";
  if (code.length === 0 || ctx.model.resolve(left)?.scope !== scope) return "handled";
  if (scope.bindingsOf(name).some((binding) => binding.kind === "parameter")) return "handled";
  const stop = scope.kind === "module" ? null : scope.node;
  let closed = false;
  for (const use of usesOf(ctx, scope, name, code)) {
    if (use.captured || handsOn(ctx, use.node, stop)) return "handled";
    if (isCalledClose(use.node)) closed = true;
  }
  return closed ? "closed" : "open";
}

function scopeBody(scope: Scope): Node[] {
  const body = scope.node.childForFieldName("body");
  return body ? [body] : [];
}

/**
 * The identifiers in `code` that use the variable `name` of `scope`, and whether each sits in a
 * nested function or class (a comprehension runs where it stands, so it is no such scope).
 */
function usesOf(ctx: RuleContext, scope: Scope, name: string, code: readonly Node[]): { node: Node; captured: boolean }[] {
  // A class's methods are units of their own, and cannot see its class-level names anyway.
  const holes = scope.kind === "module" ? [] : (ctx.unit.holes ?? []);
  const uses: { node: Node; captured: boolean }[] = [];
  for (const top of code) {
    if (!top.text.includes(name)) continue;
    for (const node of top.descendantsOfType("identifier")) {
      if (!node || node.text !== name || !isNameUse(node)) continue;
      if (holes.some((hole) => node.startIndex >= hole.start && node.startIndex < hole.end)) continue;
      if (ctx.model.resolve(node)?.scope !== scope) continue;
      let own = ctx.model.scopeOf(node);
      while (own.kind === "comprehension" && own.parent) own = own.parent;
      uses.push({ node, captured: own !== scope });
    }
  }
  return uses;
}

/** An identifier that names a variable: not the `b` of `a.b`, nor the keyword of `f(k=v)`. */
function isNameUse(identifier: Node): boolean {
  const parent = identifier.parent;
  if (parent?.type === "attribute") return !parent.childForFieldName("attribute")?.equals(identifier);
  if (parent?.type === "keyword_argument") return !parent.childForFieldName("name")?.equals(identifier);
  return true;
}

/** Whether this use of the file's name closes it elsewhere or hands it on (see `fileState`). */
function handsOn(ctx: RuleContext, node: Node, stop: Node | null): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (rebindsToOther(ctx, node)) return true;
  if (within(node, ["finally_clause", "except_clause"], stop)) return true;
  // A with item that enters the file (or something built from it, like closing(f)).
  const item = within(node, ["with_item"], stop);
  const entered = item ? withItemValue(item) : null;
  if (entered && contains(entered, node)) return true;
  if (parent.type === "attribute" && parent.childForFieldName("object")?.equals(node)) {
    // Any other attribute uses the file here; `f.close` passed on without being called hands it on.
    return parent.childForFieldName("attribute")?.text === "close" && !isCallee(parent);
  }
  if (handedOut(node, stop)) return true;
  if (parent.type === "assignment" && parent.childForFieldName("right")?.equals(node)) return true;
  if (["expression_list", "tuple", "list", "set", "pair", "dictionary"].includes(parent.type)) {
    const container = parent.type === "pair" ? parent.parent : parent;
    const holder = container?.parent;
    if (holder?.type === "assignment" && container && holder.childForFieldName("right")?.equals(container)) return true;
  }
  const argumentList = parent.type === "keyword_argument" ? parent.parent : parent;
  if (argumentList?.type !== "argument_list") return false;
  return isOwnershipCall(ctx, argumentList.parent) || handedToCloser(ctx, argumentList.parent, parent.type === "keyword_argument" ? parent : node);
}

/** Inside a `return` or `yield`, unless a comprehension in between only iterates the file. */
function handedOut(node: Node, stop: Node | null): boolean {
  for (let current = node.parent; current && !(stop && current.equals(stop)); current = current.parent) {
    if (COMPREHENSIONS.has(current.type)) return false;
    if (current.type === "return_statement" || current.type === "yield") return true;
  }
  return false;
}

function isCallee(expression: Node): boolean {
  const call = expression.parent;
  return call?.type === "call" && (call.childForFieldName("function")?.equals(expression) ?? false);
}

/** `name.close()`, with `name` the identifier given. */
function isCalledClose(identifier: Node): boolean {
  const attribute = identifier.parent;
  return attribute?.type === "attribute" && attribute.childForFieldName("attribute")?.text === "close" && isCallee(attribute);
}

/** `name` bound here to something that is not a file opened by one of the OPENERS (or to a `def` or `class`). */
function rebindsToOther(ctx: RuleContext, identifier: Node): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (parent.type === "assignment" && parent.childForFieldName("left")?.equals(identifier)) {
    const right = parent.childForFieldName("right");
    return !right || openedFile(ctx, right) === undefined;
  }
  if ((parent.type === "function_definition" || parent.type === "class_definition") && parent.childForFieldName("name")?.equals(identifier)) return true;
  if (parent.type === "for_statement" && parent.childForFieldName("left")?.equals(identifier)) return true;
  return ["as_pattern_target", "pattern_list", "tuple_pattern", "list_pattern"].includes(parent.type);
}

/**
 * Opened and closed before anything else runs, to check that the file exists or to create it:
 * `f = open(p)` directly followed by `f.close()`, also across `try:`/`else:` or into a `try:`.
 */
function closedRightAway(assignment: Node, name: string): boolean {
  const statement = assignment.parent;
  if (statement?.type !== "expression_statement") return false;
  const firstStatement = (block: Node | null | undefined): Node | undefined =>
    block?.namedChildren.find((child): child is Node => child !== null && child.type !== "comment");
  let next = nextStatement(statement);
  const block = statement.parent;
  if (!next && block?.type === "block" && block.parent?.type === "try_statement") {
    const elseClause = block.parent.namedChildren.find((child) => child?.type === "else_clause");
    next = firstStatement(elseClause?.childForFieldName("body"));
  }
  if (next?.type === "try_statement") next = firstStatement(next.childForFieldName("body"));
  return next !== undefined && isCloseCall(next, name);
}

function nextStatement(statement: Node): Node | undefined {
  for (let sibling = statement.nextNamedSibling; sibling; sibling = sibling.nextNamedSibling) {
    if (sibling.type !== "comment") return sibling;
  }
  return undefined;
}

/** Inside `with mock.patch(...):` or a function (or class) decorated with `@mock.patch(...)`: `open` may be a mock. */
function underMockPatch(ctx: RuleContext, node: Node): boolean {
  const isPatch = (expression: Node | null | undefined): boolean => {
    const callee = expression?.type === "call" ? expression.childForFieldName("function") : expression;
    const qualified = callee ? ctx.model.qualifiedName(callee) : undefined;
    return qualified !== undefined && /^(unittest\.)?mock\.patch(\.|$)/.test(qualified);
  };
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === "with_statement") {
      const clause = current.namedChildren.find((child) => child?.type === "with_clause");
      for (const item of clause?.descendantsOfType("with_item") ?? []) {
        if (item && isPatch(withItemValue(item))) return true;
      }
    }
    if (current.type === "decorated_definition") {
      for (const decorator of current.namedChildren) {
        if (decorator?.type === "decorator" && isPatch(decorator.namedChild(0))) return true;
      }
    }
  }
  return false;
}

function isOwnershipCall(ctx: RuleContext, call: Node | null): boolean {
  const callee = call?.type === "call" ? call.childForFieldName("function") : null;
  if (!call || !callee) return false;
  if (ownsByShape(call, callee)) return true;
  // Resolving a name costs; only a callee spelt like a wrapper, or a plain name (an alias), can be one.
  if (callee.type !== "identifier" && !WRAPPER_NAMES.has(lastName(callee.text))) return false;
  return OWNING_WRAPPERS.has(ctx.model.qualifiedName(callee) ?? "");
}

/** A call that takes over what it is handed by its form alone: `stack.enter_context(f)`, `Reader(f, close_handle=True)`. */
function ownsByShape(call: Node, callee: Node): boolean {
  const keywords = call.childForFieldName("arguments")?.namedChildren ?? [];
  if (keywords.some((argument) => argument?.type === "keyword_argument" && /close/i.test(argument.childForFieldName("name")?.text ?? ""))) {
    return true;
  }
  return callee.type === "attribute" && OWNERSHIP_METHODS.has(callee.childForFieldName("attribute")?.text ?? "");
}

function lastName(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf(".") + 1);
}

/** What one unit does to `self.<x>` attributes that closes them, found by syntax alone. */
interface SelfCloses {
  /** `x` of each `self.x` the code closes (`self.x.close()`, `atexit.register(self.x.close)`), enters (`with self.x:`) or hands to an owner (`stack.enter_context(self.x)`). */
  closed: string[];
  /** `[callee, x]` of each `callee(self.x)` that takes over `self.x` if `callee` names one of the OWNING_WRAPPERS. */
  wrapped: [string, string][];
}

const SELF_CLOSES = defineFact("open-without-with:self-closes", (nodes, unit) => selfCloses(nodes, unit));

function selfCloses(nodes: readonly Node[], unit: UnitShape): SelfCloses {
  const closed = new Set<string>();
  const wrapped = new Map<string, [string, string]>();
  forEachUnitNodeOfType(nodes, unit, ["with_item", "call"], (node) => {
    if (node.type === "with_item") {
      const value = withItemValue(node);
      for (const each of value ? [value, ...value.descendantsOfType("attribute")] : []) {
        const name = each && selfAttribute(each);
        if (name) closed.add(name);
      }
      return;
    }
    if (node.type !== "call") return;
    const callee = node.childForFieldName("function");
    const args = node.childForFieldName("arguments")?.namedChildren.filter((arg): arg is Node => arg?.type === "attribute") ?? [];
    for (const closing of [callee, ...args]) {
      // `self.x.close()`, or `self.x.close` handed to be called later.
      const name = closing?.type === "attribute" && closing.childForFieldName("attribute")?.text === "close" ? selfAttribute(closing.childForFieldName("object")) : undefined;
      if (name) closed.add(name);
    }
    const handed = args.map(selfAttribute).filter((name): name is string => name !== undefined);
    if (!callee || handed.length === 0) return;
    if (ownsByShape(node, callee)) for (const name of handed) closed.add(name);
    else if (callee.type === "identifier" || WRAPPER_NAMES.has(lastName(callee.text))) {
      for (const name of handed) wrapped.set(`${callee.text} ${name}`, [callee.text, name]);
    }
  });
  return { closed: [...closed], wrapped: [...wrapped.values()] };
}

/** `x` of `self.x`. */
function selfAttribute(node: Node | null): string | undefined {
  if (node?.type !== "attribute") return undefined;
  const object = node.childForFieldName("object");
  return object?.type === "identifier" && object.text === "self" ? node.childForFieldName("attribute")?.text : undefined;
}

/**
 * `self.x = open(...)` makes an object own a file. It is closed when its class has a
 * `close`/`__exit__`/`__del__` method, or when that class's code (or, outside any class, the
 * function's) closes, enters or hands on `self.x`: another class closing its own `self.x` says
 * nothing about this one.
 */
function selfAttributeClosed(ctx: RuleContext, assignment: Node, attribute: string): boolean {
  const owner = ctx.model.owner(assignment);
  if (owner.class && ctx.model.classDefines(owner.class, CLOSING_METHODS)) return true;
  const holder = owner.class ?? owner.function;
  const wraps = (callee: string) => {
    const [head, ...rest] = callee.split(".");
    const imported = ctx.model.resolveName(head, holder ?? assignment)?.bindings.find((binding) => binding.kind === "import")?.qualified;
    return imported !== undefined && OWNING_WRAPPERS.has([imported, ...rest].join("."));
  };
  return holderCloses(ctx, assignment, owner).some(
    (closes) => closes.closed.includes(attribute) || closes.wrapped.some(([callee, name]) => name === attribute && wraps(callee)),
  );
}

/** What the class around the assignment (through its units' facts), or else the function around it, does to `self.<x>`. */
function holderCloses(ctx: RuleContext, assignment: Node, owner: Owner): SelfCloses[] {
  if (owner.class) return ctx.model.classFact(SELF_CLOSES, assignment).map(({ value }) => value);
  // Outside any class, all that can close it is this unit's own code.
  return [selfCloses(owner.function ? [owner.function] : ctx.unit.nodes, { kind: ctx.unit.kind, holes: ctx.unit.holes ?? [] })];
}

/**
 * `f = open(p)` ... `f.close()` in one block becomes `with open(p) as f:` with the statements in
 * between indented one level and the close line removed. Offered only when both statements stand
 * on lines of their own, the name is not rebound in between, and the block's indentation is plain.
 */
function withBlockFix(ctx: RuleContext, assignment: Node, left: Node, call: Node, title: string): Fix | undefined {
  const name = left.text;
  const statement = assignment.parent;
  const block = statement?.parent;
  if (statement?.type !== "expression_statement" || statement.namedChildCount !== 1 || !block) return undefined;
  if (block.type !== "block" && block.type !== "module") return undefined;
  if (assignment.childForFieldName("type")) return undefined;
  // At module level the statements up to the close are other units': read through the model.
  const siblings = block.type === "module" ? ctx.model.moduleStatements() : block.namedChildren.filter((child): child is Node => child !== null);
  const statements = siblings.filter((child) => child.type !== "comment");
  const index = statements.findIndex((child) => child.equals(statement));
  const closeIndex = statements.findIndex((child, i) => i > index && isCloseCall(child, name));
  if (index < 0 || closeIndex < 0) return undefined;
  const close = statements[closeIndex];
  const between = statements.slice(index + 1, closeIndex);
  if (between.length === 0) return undefined;
  const first = between[0];
  const last = between[between.length - 1];
  const scope = ctx.model.scopeOf(assignment);
  if (scope.bindingsOf(name).some((binding) => binding.site.startIndex >= first.startIndex && binding.site.startIndex < last.endIndex)) return undefined;
  if (!aloneOnItsLines(ctx, statement) || !aloneOnItsLines(ctx, close)) return undefined;
  const indent = ctx.line(statement.startPosition.row).slice(0, statement.startPosition.column);
  const unit = indentUnit(ctx, block);
  if (!unit || !/^[ \t]*$/.test(indent)) return undefined;

  const edits: TextEdit[] = [
    { range: { start: assignment.startPosition, end: assignment.endPosition }, newText: `with ${call.text} as ${name}:` },
    ...indentRows(ctx, between, statement.endPosition.row + 1, close.startPosition.row, unit),
  ];
  const closeRow = close.startPosition.row;
  const closeLine = ctx.line(closeRow);
  const trailing = closeLine.slice(close.endPosition.column).trim();
  const kept = trailing.startsWith("#") ? `${indent}${trailing}` : "";
  if (!ctx.model.isLastRow(closeRow)) {
    edits.push({
      range: { start: { row: closeRow, column: 0 }, end: { row: closeRow + 1, column: 0 } },
      newText: kept ? `${kept}${ctx.newline}` : "",
    });
  } else {
    edits.push({ range: { start: { row: closeRow, column: 0 }, end: { row: closeRow, column: closeLine.length } }, newText: kept });
  }
  return { title, edits, safe: false };
}

function isCloseCall(statement: Node, name: string): boolean {
  if (statement.type !== "expression_statement" || statement.namedChildCount !== 1) return false;
  const call = statement.namedChild(0);
  if (call?.type !== "call") return false;
  const callee = call.childForFieldName("function");
  const args = call.childForFieldName("arguments");
  return (
    callee?.type === "attribute" &&
    callee.childForFieldName("object")?.type === "identifier" &&
    callee.childForFieldName("object")?.text === name &&
    callee.childForFieldName("attribute")?.text === "close" &&
    args?.namedChildCount === 0
  );
}

// ---- Files handed to a function, or to a callback, that closes them ---------------------------

/**
 * How a call hands a value on: the callee's text (`self._upload`, `helper`, `d.addCallback`), the
 * text of each positional argument (empty for anything but a name or an attribute), and where the
 * value sits: its position among the positional arguments, or the keyword that passes it.
 */
interface Handoff {
  callee: string;
  args: string[];
  index: number;
  keyword?: string;
}

/** What a function does with its parameters: which it closes itself, and to which calls it hands which. */
interface ClosingFunction {
  name: string;
  /** The class whose body defines it, for a method; "" for a function. */
  owner: string;
  /** Positional parameters in order (`self` included), then the keyword-only ones. */
  params: string[];
  /** How many of `params` can be passed by position. */
  positional: number;
  /** Parameters it closes: `p.close()`, `with p:`, `stack.enter_context(p)`, `atexit.register(p.close)`. */
  closes: string[];
  /** Parameters it hands on, and how. */
  forwards: [param: string, handoff: Handoff][];
}

const CLOSING_FUNCTIONS = defineFact("open-without-with:closing-functions", (nodes, unit): ClosingFunction[] => {
  const functions: ClosingFunction[] = [];
  forEachUnitNodeOfType(nodes, unit, ["function_definition"], (node) => {
    const owner = methodClass(node);
    const parent = node.parent?.type === "decorated_definition" ? node.parent.parent : node.parent;
    if (!owner && parent?.type !== "module") return;
    const summary = closingFunction(node, owner?.childForFieldName("name")?.text ?? "");
    if (summary) functions.push(summary);
  });
  return functions;
});

/** What a function does with its parameters, by syntax alone; undefined when it takes none. */
function closingFunction(definition: Node, owner: string): ClosingFunction | undefined {
  const name = definition.childForFieldName("name")?.text;
  const parameters = definition.childForFieldName("parameters");
  const body = definition.childForFieldName("body");
  if (!name || !parameters || !body) return undefined;
  const params: string[] = [];
  let positional = -1;
  for (const parameter of parameters.namedChildren) {
    if (!parameter || parameter.type === "comment") continue;
    if (parameter.type === "list_splat_pattern" || parameter.type === "keyword_separator" || parameter.type === "dictionary_splat_pattern") {
      if (positional < 0) positional = params.length;
      continue;
    }
    if (parameter.type === "positional_separator") continue;
    const identifier = parameter.type === "identifier" ? parameter : (parameter.childForFieldName("name") ?? parameter.namedChild(0));
    if (identifier?.type === "identifier") params.push(identifier.text);
  }
  if (positional < 0) positional = params.length;
  if (params.length === 0) return undefined;
  const names = new Set(params);
  const closes = new Set<string>();
  const forwards: [string, Handoff][] = [];
  for (const identifier of body.descendantsOfType("identifier")) {
    if (!identifier || !names.has(identifier.text) || !isNameUse(identifier)) continue;
    const parent = identifier.parent;
    if (!parent) continue;
    // `p.close()`, or `p.close` handed on to be called later.
    if (parent.type === "attribute" && parent.childForFieldName("object")?.equals(identifier)) {
      if (parent.childForFieldName("attribute")?.text === "close") closes.add(identifier.text);
      continue;
    }
    const item = within(identifier, ["with_item"], definition);
    const entered = item ? withItemValue(item) : null;
    if (entered && contains(entered, identifier)) {
      closes.add(identifier.text);
      continue;
    }
    const argument = parent.type === "keyword_argument" ? parent : identifier;
    const call = argument.parent?.type === "argument_list" ? argument.parent.parent : null;
    const callee = call?.childForFieldName("function");
    if (!call || !callee) continue;
    if (ownsByShape(call, callee)) closes.add(identifier.text);
    else {
      const handoff = handoffOf(call, argument);
      if (handoff) forwards.push([identifier.text, handoff]);
    }
  }
  return { name, owner, params, positional, closes: [...closes], forwards };
}

/** How `call` hands on its argument `argument` (an expression, or a `keyword_argument`). */
function handoffOf(call: Node, argument: Node): Handoff | undefined {
  const callee = call.childForFieldName("function");
  const list = call.childForFieldName("arguments");
  if (!callee || list?.type !== "argument_list") return undefined;
  const args: string[] = [];
  let index = -1;
  for (const each of list.namedChildren) {
    if (!each || each.type === "comment" || each.type === "keyword_argument") continue;
    // After `*rest` positions are unknown.
    if (each.type === "list_splat" || each.type === "dictionary_splat") break;
    if (each.equals(argument)) index = args.length;
    args.push(each.type === "identifier" || each.type === "attribute" ? each.text : "");
  }
  const keyword = argument.type === "keyword_argument" ? argument.childForFieldName("name")?.text : undefined;
  if (index < 0 && keyword === undefined) return undefined;
  return keyword === undefined ? { callee: callee.text, args, index } : { callee: callee.text, args, index, keyword };
}

/**
 * Whether `call` hands the file (its argument `argument`) to a function of this file that closes
 * it: called directly (`self._send(f)`, `upload(f)`), or registered as a callback with the file as
 * one of the arguments it will get (`d.addErrback(self._closeFile, f)`); followed through the
 * functions it hands the file on to.
 */
function handedToCloser(ctx: RuleContext, call: Node | null, argument: Node): boolean {
  if (call?.type !== "call") return false;
  const handoff = handoffOf(call, argument);
  if (!handoff) return false;
  // Only a name or `self.<name>` can name a function of this file: anything else is not looked up.
  if (!refersToFunction(handoff.callee) && !handoff.args.some((arg, i) => i < handoff.index && refersToFunction(arg))) return false;
  const classNode = ctx.model.owner(call).class;
  return new Closers(ctx, classNode).handsToCloser(handoff, classNode?.childForFieldName("name")?.text ?? "", 0);
}

function refersToFunction(text: string): boolean {
  return /^(self\.)?[A-Za-z_][A-Za-z_0-9]*$/.test(text);
}

/** The functions of the file and of one class, read through their units' facts, and which of their parameters they close. */
class Closers {
  private moduleFunctions: ClosingFunction[] | undefined;
  private classFunctions: ClosingFunction[] | undefined;
  private readonly closing = new Map<string, boolean>();

  constructor(
    private readonly ctx: RuleContext,
    private readonly classNode: Node | undefined,
  ) {}

  /** `self.<name>` in a method of the class, or a module-level function `<name>`. */
  private lookup(text: string, owner: string): { fn: ClosingFunction; bound: boolean } | undefined {
    if (text.startsWith("self.")) {
      if (!owner || !this.classNode) return undefined;
      this.classFunctions ??= this.ctx.model.classFact(CLOSING_FUNCTIONS, this.classNode).flatMap((part) => part.value);
      const name = text.slice("self.".length);
      const found = this.classFunctions.filter((fn) => fn.owner === owner && fn.name === name);
      return found.length === 1 ? { fn: found[0], bound: true } : undefined;
    }
    if (!refersToFunction(text)) return undefined;
    this.moduleFunctions ??= this.ctx.model.fileFact(CLOSING_FUNCTIONS).flat().filter((fn) => fn.owner === "");
    const found = this.moduleFunctions.filter((fn) => fn.name === text);
    return found.length === 1 ? { fn: found[0], bound: false } : undefined;
  }

  handsToCloser(handoff: Handoff, owner: string, depth: number): boolean {
    if (depth > 4) return false;
    // Called directly: the parameter in the file's place.
    const direct = this.lookup(handoff.callee, owner);
    if (direct) {
      const { fn, bound } = direct;
      const param = handoff.keyword ?? (handoff.index + (bound ? 1 : 0) < fn.positional ? fn.params[handoff.index + (bound ? 1 : 0)] : undefined);
      if (param !== undefined && fn.params.includes(param) && this.closes(fn, param, depth)) return true;
    }
    if (handoff.keyword !== undefined) return false;
    // A callback registered with extra arguments: `d.addCallback(self._done, f)` later calls
    // `self._done(result, f)`, `loop.call_soon(close, f)` calls `close(f)`. The file is the k-th
    // extra argument: the k-th parameter, or the k-th of the last ones.
    for (let i = 0; i < handoff.index; i++) {
      const callback = this.lookup(handoff.args[i], owner);
      if (!callback) continue;
      const params = callback.fn.params.slice(callback.bound ? 1 : 0, callback.fn.positional);
      const extras = handoff.args.length - i - 1;
      const k = handoff.index - i - 1;
      const candidates = [params[k], params[params.length - extras + k]];
      if (candidates.some((param) => param !== undefined && this.closes(callback.fn, param, depth))) return true;
    }
    return false;
  }

  private closes(fn: ClosingFunction, param: string, depth: number): boolean {
    const key = `${fn.owner}.${fn.name}(${param})`;
    const known = this.closing.get(key);
    if (known !== undefined) return known;
    this.closing.set(key, false); // a cycle closes nothing
    const result =
      fn.closes.includes(param) ||
      fn.forwards.some(([name, handoff]) => name === param && this.handsToCloser(handoff, fn.owner, depth + 1));
    this.closing.set(key, result);
    return result;
  }
}
