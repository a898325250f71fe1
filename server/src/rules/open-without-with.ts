import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix, TextEdit } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { localBindings, parameterNames } from "../analysis/scopes";
import { unparenthesize } from "./comparisons";

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

export const openWithoutWithRule: Rule = {
  code: "PYM009",
  name: "open-without-with",
  knowledge: "open-without-with",
  severity: "warning",
  equivalents: ["SIM115"],
  nodeTypes: ["assignment", "call", "with_item"],
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
    fix: {
      en: "Open `{name}` in a with block",
      ko: "`{name}`을 with 블록에서 열기",
      "zh-cn": "在 with 块中打开 `{name}`",
    },
  },
  // Attributes closed, entered or handed on in this part of the file: `self.log = open(...)` in
  // one class may be closed by `job.log.close()` in any function of the file.
  summarize(ctx) {
    return [...closedAttributesHere(ctx)].sort().join(" ");
  },
  check(ctx) {
    const findings = [];
    for (const assignment of ctx.nodes("assignment")) {
      const right = assignment.childForFieldName("right");
      const left = assignment.childForFieldName("left");
      if (!right || !left) continue;
      const call = unparenthesize(right);
      if (call.type !== "call") continue;
      const callee = call.childForFieldName("function");
      const qualified = callee && maySpellOpen(ctx, callee) ? ctx.file.qualifiedName(callee) : undefined;
      if (!qualified || !OPENERS.has(qualified)) continue;
      if (left.type === "identifier") {
        if (handledElsewhere(ctx, assignment, left.text)) continue;
        const args = { name: left.text, call: `${callee?.text ?? "open"}(...)` };
        const message = ctx.t(closedInScope(assignment, left.text) ? "local" : "neverClosed", args);
        findings.push(ctx.finding(call, message, withBlockFix(ctx, assignment, left.text, call, ctx.t("fix", args))));
      } else if (left.type === "attribute") {
        const object = left.childForFieldName("object");
        const attribute = left.childForFieldName("attribute");
        if (object?.type !== "identifier" || object.text !== "self" || !attribute) continue;
        if (attributeClosed(ctx, assignment, attribute.text)) continue;
        findings.push(ctx.finding(call, ctx.t("attribute", { name: attribute.text })));
      }
    }
    return findings;
  },
};

/** Before resolving a callee (which costs): it must end in `open`, or be a name imported as an opener. */
function maySpellOpen(ctx: RuleContext, callee: Node): boolean {
  const text = callee.text;
  return text.endsWith("open") || (callee.type === "identifier" && OPENERS.has(ctx.file.imports.get(text) ?? ""));
}

/** The function (or module) whose body the node belongs to. */
function scopeOf(node: Node): Node {
  let scope = node;
  for (let current = node.parent; current; current = current.parent) {
    scope = current;
    if (current.type === "function_definition" || current.type === "lambda") return current;
  }
  return scope;
}

function* descendants(node: Node): Generator<Node> {
  for (const child of node.namedChildren) {
    if (!child) continue;
    yield child;
    yield* descendants(child);
  }
}

function within(node: Node, types: readonly string[], stop: Node): Node | undefined {
  for (let current = node.parent; current && !current.equals(stop); current = current.parent) {
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
 * Whether the file object assigned to `name` is closed, or handed on, somewhere the rule cannot
 * follow, so that not closing it here is no bug: it is entered later (`with f:`), cleaned up in a
 * `finally` or `except` clause (`except: f.close(); raise` hands it on when all goes well),
 * closed right away (an existence check), returned or yielded to the caller, stored elsewhere or
 * aliased (`self.f = f`, `g = f`, `files.append(f)`, `a = f = open(p)`), registered for later
 * (`stack.enter_context(f)`, `atexit.register(f.close)`), captured by a nested function, declared
 * `global`/`nonlocal`, or sometimes bound to something else (`f = sys.stdin` in another branch, a
 * parameter), so that a `with open(...)` could not replace it. Code running under
 * `mock.patch(...)` is not opening real files either.
 */
function handledElsewhere(ctx: RuleContext, assignment: Node, name: string): boolean {
  if (assignment.parent?.type === "assignment" || assignment.childForFieldName("right")?.type === "assignment") return true;
  if (closedRightAway(assignment, name) || underMockPatch(ctx, assignment)) return true;
  const scope = scopeOf(assignment);
  const body = scope.type === "module" ? scope : scope.childForFieldName("body");
  if (!body) return true;
  const parameters = scope.childForFieldName("parameters");
  if (scope.type !== "module" && parameters && parameterNames(parameters).includes(name)) return true;
  for (const node of descendants(body)) {
    if (node.type === "global_statement" || node.type === "nonlocal_statement") {
      if (node.namedChildren.some((child) => child?.text === name)) return true;
      continue;
    }
    if (node.type !== "identifier" || node.text !== name) continue;
    const nested = nestedScopes(node, body);
    // A nested function with its own `name` means another variable; one without captures the file.
    if (nested.some((scope) => scope.type !== "class_definition" && localBindings(scope).has(name))) continue;
    if (nested.length > 0) return true;
    const parent = node.parent;
    if (!parent) continue;
    if (rebindsToOther(ctx, node)) return true;
    if (within(node, ["finally_clause", "except_clause"], body)) return true;
    // A with item that enters the file (or something built from it, like closing(f)).
    const item = within(node, ["with_item"], body);
    if (item) {
      const value = withItemValue(item);
      if (value && contains(value, node)) return true;
    }
    const isObject = parent.type === "attribute" && parent.childForFieldName("object")?.equals(node);
    if (isObject) {
      if (parent.childForFieldName("attribute")?.text !== "close") continue;
      // f.close passed on without being called.
      const called = parent.parent?.type === "call" && parent.parent.childForFieldName("function")?.equals(parent);
      if (!called) return true;
      continue;
    }
    if (within(node, ["return_statement", "yield"], body)) return true;
    if (parent.type === "assignment" && parent.childForFieldName("right")?.equals(node)) return true;
    if (["expression_list", "tuple", "list", "set", "pair", "dictionary"].includes(parent.type)) {
      const container = parent.type === "pair" ? parent.parent : parent;
      const holder = container?.parent;
      if (holder?.type === "assignment" && container && holder.childForFieldName("right")?.equals(container)) return true;
    }
    const argumentList = parent.type === "keyword_argument" ? parent.parent : parent;
    if (argumentList?.type === "argument_list" && isOwnershipCall(ctx, argumentList.parent)) return true;
  }
  return false;
}

/** `name` bound here to something that is not a file opened by one of the OPENERS. */
function rebindsToOther(ctx: RuleContext, identifier: Node): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (parent.type === "assignment" && parent.childForFieldName("left")?.equals(identifier)) {
    const right = parent.childForFieldName("right");
    const call = right ? unparenthesize(right) : null;
    const callee = call?.type === "call" ? call.childForFieldName("function") : null;
    const qualified = callee ? ctx.file.qualifiedName(callee) : undefined;
    return !qualified || !OPENERS.has(qualified);
  }
  if ((parent.type === "for_statement" || parent.type === "for_in_clause") && parent.childForFieldName("left")?.equals(identifier)) return true;
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

/** Inside `with mock.patch(...):` or a function decorated with `@mock.patch(...)`: `open` may be a mock. */
function underMockPatch(ctx: RuleContext, node: Node): boolean {
  const isPatch = (expression: Node | null | undefined): boolean => {
    const callee = expression?.type === "call" ? expression.childForFieldName("function") : expression;
    const qualified = callee ? ctx.file.qualifiedName(callee) : undefined;
    return qualified !== undefined && /^(unittest\.)?mock\.patch(\.|$)/.test(qualified);
  };
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === "with_statement") {
      for (const item of descendants(current.namedChildren.find((child) => child?.type === "with_clause") ?? current)) {
        if (item.type === "with_item" && isPatch(withItemValue(item))) return true;
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

/** The functions, lambdas and classes between a node and the body it is searched in. */
function nestedScopes(node: Node, body: Node): Node[] {
  const scopes: Node[] = [];
  for (let current = node.parent; current && !current.equals(body); current = current.parent) {
    if (["function_definition", "lambda", "class_definition"].includes(current.type)) scopes.push(current);
  }
  return scopes;
}

/** Whether `name.close()` is called somewhere in the scope of the assignment. */
function closedInScope(assignment: Node, name: string): boolean {
  const scope = scopeOf(assignment);
  const body = scope.type === "module" ? scope : scope.childForFieldName("body");
  if (!body) return false;
  for (const node of descendants(body)) {
    if (node.type !== "call") continue;
    const callee = node.childForFieldName("function");
    const object = callee?.type === "attribute" ? callee.childForFieldName("object") : null;
    if (object?.type !== "identifier" || object.text !== name || callee?.childForFieldName("attribute")?.text !== "close") continue;
    if (nestedScopes(node, body).length === 0) return true;
  }
  return false;
}

function isOwnershipCall(ctx: RuleContext, call: Node | null): boolean {
  const callee = call?.type === "call" ? call.childForFieldName("function") : null;
  if (!callee) return false;
  // `Reader(f, close_handle=True)`: the wrapper is told to close the file.
  const keywords = call?.childForFieldName("arguments")?.namedChildren ?? [];
  if (keywords.some((argument) => argument?.type === "keyword_argument" && /close/i.test(argument.childForFieldName("name")?.text ?? ""))) {
    return true;
  }
  if (callee.type === "attribute" && OWNERSHIP_METHODS.has(callee.childForFieldName("attribute")?.text ?? "")) return true;
  // Resolving a name costs; only a callee spelt like a wrapper, or a name imported as one, can be one.
  const text = callee.text;
  const spelt = WRAPPER_NAMES.has(text.slice(text.lastIndexOf(".") + 1));
  if (!spelt && !(callee.type === "identifier" && OWNING_WRAPPERS.has(ctx.file.imports.get(text) ?? ""))) return false;
  const qualified = ctx.file.qualifiedName(callee);
  return qualified !== undefined && OWNING_WRAPPERS.has(qualified);
}

/**
 * `self.x = open(...)` is a class that owns a file. It is closed elsewhere when the class has a
 * `close`/`__exit__`/`__del__` method, or when anything in the file closes, enters or hands on
 * `<something>.x`.
 */
function attributeClosed(ctx: RuleContext, assignment: Node, attribute: string): boolean {
  for (let current = assignment.parent; current; current = current.parent) {
    if (current.type === "class_definition" && ctx.file.classDefines(current, CLOSING_METHODS)) return true;
  }
  const closed = ctx.shared("open-without-with:closed-attributes", () => new Set(ctx.summaries().flatMap((summary) => summary.split(" "))));
  return closed.has(attribute);
}

/**
 * Names `x` of `<something>.x` that this part of the file closes (`job.log.close()`, or
 * `atexit.register(job.log.close)`), enters (`with job.log:`) or hands to an owner (`Reader(job.log)`).
 */
function closedAttributesHere(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  const attributeName = (node: Node | null) => (node?.type === "attribute" ? node.childForFieldName("attribute")?.text : undefined);
  /** `x` of `<something>.x.close`. */
  const closedThrough = (node: Node | null) => (attributeName(node) === "close" ? attributeName(node?.childForFieldName("object") ?? null) : undefined);
  // Most calls can be passed over on their text alone: nothing in them says close, owner or wrapper.
  const hint = ctx.shared("open-without-with:call-hint", () => {
    const aliases = [...ctx.file.imports].filter(([, qualified]) => OWNING_WRAPPERS.has(qualified)).map(([local]) => local);
    return new RegExp(`close|(?<![\\p{L}\\p{N}_])(?:${[...OWNERSHIP_METHODS, ...WRAPPER_NAMES, ...aliases].join("|")})(?![\\p{L}\\p{N}_])`, "u");
  });
  // Nor does a part of the file whose text says none of it need its calls at all.
  const calls = ctx.topLevelStatements().some((statement) => hint.test(statement.text)) ? ctx.nodes("call") : [];
  for (const call of calls) {
    if (!hint.test(call.text)) continue;
    const closed = closedThrough(call.childForFieldName("function"));
    if (closed) names.add(closed);
    const args = call.childForFieldName("arguments")?.namedChildren.filter((arg): arg is Node => arg?.type === "attribute") ?? [];
    if (args.length === 0) continue;
    for (const arg of args) {
      const handedClose = closedThrough(arg);
      if (handedClose) names.add(handedClose);
    }
    if (!isOwnershipCall(ctx, call)) continue;
    for (const arg of args) {
      const name = attributeName(arg);
      if (name) names.add(name);
    }
  }
  for (const item of ctx.nodes("with_item")) {
    const value = withItemValue(item);
    if (!value) continue;
    for (const node of [value, ...value.descendantsOfType("attribute")]) {
      const name = attributeName(node);
      if (name) names.add(name);
    }
  }
  return names;
}

/**
 * `f = open(p)` ... `f.close()` in one block becomes `with open(p) as f:` with the statements in
 * between indented one level and the close line removed. Offered only when both statements stand
 * on lines of their own, the name is not rebound in between, and the block's indentation is plain.
 */
function withBlockFix(ctx: RuleContext, assignment: Node, name: string, call: Node, title: string): Fix | undefined {
  const statement = assignment.parent;
  const block = statement?.parent;
  if (statement?.type !== "expression_statement" || statement.namedChildCount !== 1 || !block) return undefined;
  if (block.type !== "block" && block.type !== "module") return undefined;
  if (assignment.childForFieldName("type")) return undefined;
  const siblings = block.namedChildren.filter((child): child is Node => child !== null);
  const statements = siblings.filter((child) => child.type !== "comment");
  const index = statements.findIndex((child) => child.equals(statement));
  const closeIndex = statements.findIndex((child, i) => i > index && isCloseCall(child, name));
  if (index < 0 || closeIndex < 0) return undefined;
  const close = statements[closeIndex];
  const between = statements.slice(index + 1, closeIndex);
  if (between.length === 0) return undefined;
  if (between.some((node) => rebinds(node, name))) return undefined;
  const lines = ctx.text.split("\n");
  if (!aloneOnItsLines(statement, statements, lines) || !aloneOnItsLines(close, statements, lines)) return undefined;
  const indent = lines[statement.startPosition.row].slice(0, statement.startPosition.column);
  const unit = indentUnit(ctx, block, lines);
  if (!unit || !/^[ \t]*$/.test(indent)) return undefined;

  const frozen = new Set<number>(); // rows that start inside a multi-line string
  for (const node of between) {
    for (const inner of [node, ...descendants(node)]) {
      if (inner.type === "string" && inner.endPosition.row > inner.startPosition.row) {
        for (let row = inner.startPosition.row + 1; row <= inner.endPosition.row; row++) frozen.add(row);
      }
    }
  }
  const edits: TextEdit[] = [
    { range: { start: assignment.startPosition, end: assignment.endPosition }, newText: `with ${call.text} as ${name}:` },
  ];
  for (let row = statement.endPosition.row + 1; row < close.startPosition.row; row++) {
    if (frozen.has(row) || lines[row].trim() === "") continue;
    edits.push({ range: { start: { row, column: 0 }, end: { row, column: 0 } }, newText: unit });
  }
  const closeRow = close.startPosition.row;
  const trailing = lines[closeRow].slice(close.endPosition.column).trim();
  const kept = trailing.startsWith("#") ? `${indent}${trailing}` : "";
  const replacement = kept;
  if (closeRow + 1 < lines.length) {
    edits.push({
      range: { start: { row: closeRow, column: 0 }, end: { row: closeRow + 1, column: 0 } },
      newText: replacement ? `${replacement}\n` : "",
    });
  } else {
    edits.push({
      range: { start: { row: closeRow, column: 0 }, end: { row: closeRow, column: lines[closeRow].length } },
      newText: replacement,
    });
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

/** Whether the statement assigns, deletes or otherwise rebinds `name` anywhere inside. */
function rebinds(statement: Node, name: string): boolean {
  for (const node of [statement, ...descendants(statement)]) {
    if (node.type !== "identifier" || node.text !== name) continue;
    let target: Node = node;
    let parent = node.parent;
    while (parent && ["pattern_list", "tuple_pattern", "list_pattern", "expression_list", "tuple", "list", "parenthesized_expression", "list_splat_pattern"].includes(parent.type)) {
      target = parent;
      parent = parent.parent;
    }
    if (!parent) continue;
    const field = (type: string, fieldName: string) => parent?.type === type && parent.childForFieldName(fieldName)?.equals(target);
    if (
      field("assignment", "left") ||
      field("augmented_assignment", "left") ||
      field("for_statement", "left") ||
      field("named_expression", "name") ||
      field("function_definition", "name") ||
      field("class_definition", "name") ||
      ["as_pattern_target", "delete_statement", "global_statement", "nonlocal_statement"].includes(parent.type)
    ) {
      return true;
    }
  }
  return false;
}

/** Nothing else shares the statement's lines, apart from a trailing comment. */
function aloneOnItsLines(statement: Node, statements: readonly Node[], lines: readonly string[]): boolean {
  const index = statements.findIndex((child) => child.equals(statement));
  const before = statements[index - 1];
  const after = statements[index + 1];
  if (before && before.endPosition.row >= statement.startPosition.row) return false;
  if (after && after.startPosition.row <= statement.endPosition.row) return false;
  const prefix = lines[statement.startPosition.row].slice(0, statement.startPosition.column);
  const rest = lines[statement.endPosition.row].slice(statement.endPosition.column).trim();
  return /^[ \t]*$/.test(prefix) && (rest === "" || rest.startsWith("#"));
}

/**
 * One level of indentation as this block uses it: the block's indentation minus its header's. At
 * module level, the first indented block in the file decides; four spaces when there is none.
 */
function indentUnit(ctx: RuleContext, block: Node, lines: readonly string[]): string | undefined {
  const unitOf = (candidate: Node): string | undefined => {
    const header = candidate.parent;
    const first = candidate.namedChildren.find((child) => child && child.type !== "comment");
    if (!header || !first || first.startPosition.row === header.startPosition.row) return undefined;
    const outer = /^[ \t]*/.exec(lines[header.startPosition.row])?.[0] ?? "";
    const inner = lines[first.startPosition.row].slice(0, first.startPosition.column);
    if (!/^[ \t]*$/.test(inner) || !inner.startsWith(outer) || inner.length === outer.length) return undefined;
    return inner.slice(outer.length);
  };
  if (block.type === "block") return unitOf(block);
  for (const node of descendants(ctx.tree.rootNode)) {
    if (node.type !== "block") continue;
    const unit = unitOf(node);
    if (unit) return unit;
  }
  return "    ";
}
