import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import { decoratorsOf } from "../analysis/model/class-members";
import { containsYield, keywordArgument, unparenthesize } from "../analysis/support/syntax";

/**
 * How a statement (or block) ends, for the one question this rule asks: does every way through
 * `__exit__` end in `return <constant true>`?
 * - "true": every path that finishes normally returns a constant truthy value;
 * - "falls": it may finish normally and go on to the next statement, and returns nothing else;
 * - "unknown": anything else (another return value, raise, break, try with exits, match...).
 */
type Outcome = "true" | "falls" | "unknown";

/** Statements that always go on to the next one (apart from exceptions they may raise). */
const SIMPLE_STATEMENTS = new Set([
  "expression_statement",
  "pass_statement",
  "import_statement",
  "import_from_statement",
  "future_import_statement",
  "global_statement",
  "nonlocal_statement",
  "delete_statement",
  "assert_statement",
  "print_statement",
  "function_definition",
  "class_definition",
  "decorated_definition",
  "type_alias_statement",
  "comment",
]);

/**
 * Functions that never return normally. A manager that calls one of them on some path (say
 * `pytest.fail(...)` when the exception does not match) lets those exceptions out in another form,
 * so it does not swallow everything.
 */
const NO_RETURN = new Set([
  "builtins.exit",
  "builtins.quit",
  "sys.exit",
  "os._exit",
  "os.abort",
  "pytest.fail",
  "pytest.skip",
  "pytest.xfail",
  "pytest.exit",
  "_pytest.outcomes.fail",
  "_pytest.outcomes.skip",
  "_pytest.outcomes.xfail",
  "_pytest.outcomes.exit",
]);

/**
 * Functions that capture the exception being handled (in `__exit__`, the one the `with` block
 * raised): what they return carries it, as the exception parameters do.
 */
const CAPTURES = new Set(["sys.exc_info", "sys.exception", "traceback.format_exc", "twisted.python.failure.Failure"]);

/** Calls that report the exception being handled with its traceback. */
const REPORTS = new Set(["traceback.print_exc", "logging.exception"]);

/** Methods of a logger (or `print`) that turn what they are given into a line of text. */
const MESSAGE_METHODS = new Set(["debug", "info", "warning", "warn", "error", "critical", "fatal", "log"]);

/**
 * What `__exit__` does with the exception it suppresses:
 * - "kept": it records it (`self.exception = exc`, `self.errors.append(exc)`), hands it to a
 *   callback (`self._fail(Failure())`), or logs it with its traceback (`log.exception(...)`,
 *   `exc_info=`): an assertRaises-style manager or a failure logger, suppressing on purpose;
 * - "mentioned": it only formats it into a log line or a print (`log.warning("%s", exc)`);
 * - "ignored": nothing of the exception leaves the method.
 */
type Handling = "kept" | "mentioned" | "ignored";

export const exitSwallowsExceptionsRule: Rule = {
  code: "PYM011",
  name: "exit-swallows-exceptions",
  knowledge: "exit-swallows-exceptions",
  severity: "warning",
  nodeTypes: ["function_definition"],
  messages: {
    message: {
      en: "`{method}` always returns `{value}`, and a true result tells the `with` statement that the exception was handled, so every exception raised in the `with` block is silently discarded. Return a condition that names the exceptions you mean to suppress, or return `False`.",
      ko: "`{method}`이 항상 `{value}`를 반환합니다. 참인 반환값은 `with` 문에 예외를 처리했다고 알리는 것이므로 `with` 블록에서 생긴 모든 예외가 조용히 사라집니다. 억제할 예외만 가려내는 조건을 반환하거나 `False`를 반환하세요.",
      "zh-cn": "`{method}` 总是返回 `{value}`，而真值返回值会告诉 `with` 语句异常已被处理，因此 `with` 块中抛出的所有异常都会被悄悄吞掉。请返回一个只针对想抑制的异常的条件，或者返回 `False`。",
    },
  },
  check(ctx) {
    const findings = [];
    for (const definition of ctx.nodes("function_definition")) {
      const method = definition.childForFieldName("name")?.text;
      if (method !== "__exit__" && method !== "__aexit__") continue;
      // `async with` awaits what __aexit__ returns, so only an `async def __aexit__` returns a plain value.
      if ((method === "__aexit__") !== (definition.firstChild?.type === "async")) continue;
      const body = definition.childForFieldName("body");
      if (!body || !isPlainMethod(ctx, definition, body) || containsYield(definition)) continue;
      const returns: Node[] = [];
      if (blockOutcome(ctx, body, returns) !== "true") continue;
      const handling = exceptionHandling(ctx, definition, body);
      if (handling === "kept") continue;
      for (const statement of returns) {
        const value = statement.namedChild(0);
        // Logged, if without its traceback: the manager may mean to swallow what it logs; say so quietly.
        const message = ctx.t("message", { method, value: value ? unparenthesize(value).text : "" });
        findings.push(ctx.finding(statement, message, undefined, { quieter: handling === "mentioned" }));
      }
    }
    return findings;
  },
};

/**
 * Follows the exception through the method's own code (nested functions and classes aside):
 * the parameters after the receiver (or a `*exc_info`), what a capture call returns, and the
 * locals assigned from either.
 */
function exceptionHandling(ctx: RuleContext, definition: Node, body: Node): Handling {
  const carriers = new Set<string>();
  const parameters = definition.childForFieldName("parameters")?.namedChildren.filter((child) => child !== null && child.type !== "comment") ?? [];
  for (const [index, parameter] of parameters.entries()) {
    if (!parameter || index === 0) continue;
    const name =
      parameter.type === "identifier" ? parameter : parameter.type === "list_splat_pattern" ? parameter.namedChild(0) : parameter.childForFieldName("name") ?? parameter.namedChild(0);
    if (name?.type === "identifier") carriers.add(name.text);
  }
  const nodes: Node[] = [];
  const collect = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child || child.type === "function_definition" || child.type === "class_definition" || child.type === "lambda") continue;
      nodes.push(child);
      collect(child);
    }
  };
  collect(body);
  const isCapture = (node: Node) => node.type === "call" && CAPTURES.has(ctx.model.qualifiedName(node.childForFieldName("function") ?? node) ?? "");
  // Names that are read, not attribute names (`self.exc`) or keywords (`f(exc=...)`).
  const carries = (node: Node | null): boolean => {
    if (node === null) return false;
    if (node.type === "identifier") return carriers.has(node.text);
    if (node.type === "attribute") return carries(node.childForFieldName("object"));
    if (node.type === "keyword_argument") return carries(node.childForFieldName("value"));
    return isCapture(node) || node.namedChildren.some((child) => carries(child));
  };
  // Locals that hold the exception, in two rounds for `failure = Failure(); reason = failure.value`.
  for (let round = 0; round < 2; round++) {
    for (const node of nodes) {
      if (node.type !== "assignment") continue;
      const left = node.childForFieldName("left");
      if (left?.type === "identifier" && carries(node.childForFieldName("right"))) carriers.add(left.text);
    }
  }
  let handling: Handling = "ignored";
  for (const node of nodes) {
    if (node.type === "assignment" || node.type === "augmented_assignment") {
      const left = node.childForFieldName("left");
      if ((left?.type === "attribute" || left?.type === "subscript") && carries(node.childForFieldName("right"))) return "kept";
      continue;
    }
    // A call made for its effect (not a test such as `isinstance(exc, E)` in a condition).
    if (node.type !== "call" || !isStatementCall(node)) continue;
    const callee = node.childForFieldName("function");
    const qualified = callee ? ctx.model.qualifiedName(callee) : undefined;
    const method = callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : undefined;
    if ((qualified && REPORTS.has(qualified)) || (method === "exception" && !qualified)) return "kept";
    const traceback = keywordArgument(node, "exc_info");
    if (traceback && traceback.type !== "false" && traceback.type !== "none") return "kept";
    if (!carries(node.childForFieldName("arguments"))) continue;
    const message = qualified === "builtins.print" || (method !== undefined && MESSAGE_METHODS.has(method));
    if (!message) return "kept";
    handling = "mentioned";
  }
  return handling;
}

/** A call whose value nobody uses: a statement of its own, awaited or not. */
function isStatementCall(call: Node): boolean {
  const parent = call.parent?.type === "await" ? call.parent.parent : call.parent;
  return parent?.type === "expression_statement";
}

/** A `def` directly in a class body, without decorators (they would change what the method is). */
function isPlainMethod(ctx: RuleContext, definition: Node, body: Node): boolean {
  return ctx.model.owner(body).method !== undefined && decoratorsOf(definition).length === 0;
}

/** The statements of a block in order; the first one that always returns true decides. */
function blockOutcome(ctx: RuleContext, block: Node, returns: Node[]): Outcome {
  for (const statement of block.namedChildren) {
    if (!statement) continue;
    const outcome = statementOutcome(ctx, statement, returns);
    if (outcome !== "falls") return outcome;
  }
  return "falls";
}

function statementOutcome(ctx: RuleContext, statement: Node, returns: Node[]): Outcome {
  if (statement.type === "expression_statement" && callsNoReturn(ctx, statement.namedChild(0))) return "unknown";
  if (SIMPLE_STATEMENTS.has(statement.type)) return "falls";
  switch (statement.type) {
    case "return_statement": {
      const value = statement.namedChild(0);
      if (!value || !isConstantTrue(value)) return "unknown";
      returns.push(statement);
      return "true";
    }
    case "if_statement":
      return ifOutcome(ctx, statement, returns);
    case "for_statement":
    case "while_statement": {
      // The body may run zero times and has no `else` we model: only a quiet loop is fine.
      if (statement.namedChildren.some((child) => child?.type === "else_clause")) return "unknown";
      const body = statement.childForFieldName("body");
      if (!body) return "unknown";
      const outcome = blockOutcome(ctx, body, returns);
      return outcome === "unknown" ? "unknown" : "falls";
    }
    case "with_statement": {
      // A context manager may itself suppress an exception from the body and carry on after it.
      const body = statement.childForFieldName("body");
      if (!body) return "unknown";
      return blockOutcome(ctx, body, returns) === "unknown" ? "unknown" : "falls";
    }
    case "try_statement": {
      // Only a try whose every clause runs straight through: whatever it catches, it goes on.
      for (const child of statement.namedChildren) {
        if (!child || child.type === "comment") continue;
        const block = child.type === "block" ? child : blockOf(child);
        if (!block || blockOutcome(ctx, block, []) !== "falls") return "unknown";
      }
      return "falls";
    }
    default:
      return "unknown";
  }
}

function blockOf(clause: Node): Node | null {
  if (clause.type === "block") return clause;
  for (const child of clause.namedChildren) if (child?.type === "block") return child;
  return null;
}

/**
 * `if` with `elif`/`else`: "true" only when there is an `else` and every branch is "true"; a
 * branch that falls through makes the whole statement fall through to what follows.
 */
function ifOutcome(ctx: RuleContext, statement: Node, returns: Node[]): Outcome {
  const branches: Node[] = [];
  const consequence = statement.childForFieldName("consequence");
  if (!consequence) return "unknown";
  branches.push(consequence);
  let hasElse = false;
  for (const clause of statement.childrenForFieldName("alternative")) {
    if (!clause) continue;
    const body = clause.childForFieldName("body") ?? clause.childForFieldName("consequence") ?? blockOf(clause);
    if (!body) return "unknown";
    if (clause.type === "else_clause") hasElse = true;
    branches.push(body);
  }
  let allTrue = hasElse;
  for (const branch of branches) {
    const outcome = blockOutcome(ctx, branch, returns);
    if (outcome === "unknown") return "unknown";
    if (outcome === "falls") allTrue = false;
  }
  return allTrue ? "true" : "falls";
}

/**
 * A call of a known never-returning function, or of a function of this file whose body ends
 * with `raise` (a helper such as `def fail(msg): raise AssertionError(msg)`).
 */
function callsNoReturn(ctx: RuleContext, expression: Node | null): boolean {
  if (expression?.type !== "call") return false;
  const callee = expression.childForFieldName("function");
  if (!callee) return false;
  const qualified = ctx.model.qualifiedName(callee);
  if (qualified) return NO_RETURN.has(qualified);
  if (callee.type !== "identifier") return false;
  const definition = ctx.model.binding(callee)?.definition;
  const body = definition?.type === "function_definition" ? definition.childForFieldName("body") : null;
  const last = body?.namedChildren.filter((child) => child?.type !== "comment").at(-1);
  return last?.type === "raise_statement";
}

/** `True`, a non-zero number, a non-empty plain string (parentheses and a sign allowed). */
function isConstantTrue(expression: Node): boolean {
  const node = unparenthesize(expression);
  switch (node.type) {
    case "true":
      return true;
    case "integer":
    case "float":
      return isNonZeroNumber(node.text);
    case "unary_operator": {
      const operator = node.childForFieldName("operator")?.text;
      const argument = node.childForFieldName("argument");
      return (operator === "-" || operator === "+") && argument !== null && (argument.type === "integer" || argument.type === "float") && isNonZeroNumber(argument.text);
    }
    case "string":
      if (node.namedChildren.some((child) => child?.type === "interpolation")) return false;
      return node.namedChildren.some((child) => (child?.type === "string_content" || child?.type === "escape_sequence") && child.text.length > 0);
    default:
      return false;
  }
}

function isNonZeroNumber(text: string): boolean {
  const clean = text.replace(/_/g, "").replace(/[jJlL]$/, "");
  const value = /^0[0-7]+$/.test(clean) ? Number.parseInt(clean, 8) : Number(clean);
  return Number.isFinite(value) && value !== 0;
}
