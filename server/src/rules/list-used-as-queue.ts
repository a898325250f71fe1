import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import type { Binding, Scope } from "../analysis/model/scope";
import { defineFact, forEachUnitNodeOfType } from "../analysis/model/facts";
import { decoratorsOf } from "../analysis/model/class-members";
import { buildsList } from "../analysis/support/built-kind";
import { isDocstring, unparenthesize } from "../analysis/support/syntax";

/** What the visible bindings say a name holds. */
type Shape = "list" | "other" | "unknown";

const LOOPS = ["for_statement", "while_statement"];

/** A value assigned to an attribute, as far as syntax tells: `list(...)` is a list only while `list` is the builtin. */
type AssignedValue = "list" | "list-call" | "other";

/**
 * What one unit of a class assigns to `self.<attribute>` (or, in the class body, to `<attribute>`),
 * which `self.<attribute>` it pops, and which it keeps in order (`self.x.sort()`, `insort(self.x, v)`).
 */
interface AttributeFacts {
  assigned: [attribute: string, value: AssignedValue][];
  popped: string[];
  ordered: string[];
  /** Every `self.<attribute>.append/extend/insert(...)`, and whether it is a push-back method's whole body. */
  grown: [attribute: string, pushBack: boolean][];
}

/** Methods that add items to a list. */
const GROWERS = new Set(["append", "extend", "insert"]);
/** Calls (by their last name) that keep the list given first in order: a deque has no place in them. */
const ORDERING_FUNCTIONS = new Set(["insort", "insort_left", "insort_right", "heappush", "heapify", "heappushpop", "heapreplace"]);

const SELF_ATTRIBUTES = defineFact("list-used-as-queue:self-attributes", (nodes, unit): AttributeFacts => {
  const facts: AttributeFacts = { assigned: [], popped: [], ordered: [], grown: [] };
  for (const top of nodes) {
    const definition = top.type === "decorated_definition" ? top.childForFieldName("definition") : top;
    const own = definition?.type === "class_definition" ? definition : undefined;
    const inHole = (node: Node) => unit.holes.some((hole) => node.startIndex >= hole.start && node.startIndex < hole.end);
    // Assignments in a nested class are that class's; its pops still show the attribute used as a queue.
    const visit = (node: Node, nested: boolean): void => {
      for (const child of node.namedChildren) {
        if (!child || inHole(child)) continue;
        const inNested = nested || (child.type === "class_definition" && !(own && child.equals(own)));
        if (child.type === "assignment" && !inNested) recordAssignment(child, facts.assigned);
        const popped = child.type === "call" ? poppedHolder(child) : undefined;
        const attribute = popped && selfAttributeName(popped);
        if (attribute) facts.popped.push(attribute);
        recordOrdering(child, facts);
        recordGrowth(child, facts);
        visit(child, inNested);
      }
    };
    visit(top, false);
  }
  return facts;
});

/** The plain names `x` of every `x.pop(...)` in a unit, for lists that live at module level. */
const POPPED_NAMES = defineFact("list-used-as-queue:popped-names", (nodes, unit): string[] => {
  const names = new Set<string>();
  forEachUnitNodeOfType(nodes, unit, ["call"], (node) => {
    const holder = poppedHolder(node);
    if (holder?.type === "identifier") names.add(holder.text);
  });
  return [...names].sort();
});

export const listUsedAsQueueRule: Rule = {
  code: "PYM006",
  name: "list-used-as-queue",
  knowledge: "list-used-as-queue",
  severity: "warning",
  nodeTypes: ["call"],
  messages: {
    pop: {
      en: "`{target}.pop(0)` removes the first item of a list, and every item after it has to move one place to the left: each call costs time proportional to the list's length. `collections.deque` removes from the front in constant time with `popleft()`.",
      ko: "`{target}.pop(0)`은 리스트의 첫 항목을 지우고, 그 뒤의 모든 항목을 한 칸씩 앞으로 옮겨야 합니다. 그래서 호출할 때마다 리스트 길이에 비례하는 시간이 듭니다. `collections.deque`의 `popleft()`는 맨 앞에서 상수 시간에 꺼냅니다.",
      "zh-cn": "`{target}.pop(0)` 删除列表的第一个元素，之后的每个元素都要向前移动一位：每次调用的耗时与列表长度成正比。`collections.deque` 的 `popleft()` 能在常数时间内从头部取出元素。",
    },
    insert: {
      en: "`{target}.insert(0, ...)` adds to the front of a list, and every item already in it has to move one place to the right: each call costs time proportional to the list's length. `collections.deque` adds to the front in constant time with `appendleft()`.",
      ko: "`{target}.insert(0, ...)`은 리스트 맨 앞에 항목을 넣고, 이미 있던 모든 항목을 한 칸씩 뒤로 옮겨야 합니다. 그래서 호출할 때마다 리스트 길이에 비례하는 시간이 듭니다. `collections.deque`의 `appendleft()`는 맨 앞에 상수 시간에 넣습니다.",
      "zh-cn": "`{target}.insert(0, ...)` 向列表头部插入元素，已有的每个元素都要向后移动一位：每次调用的耗时与列表长度成正比。`collections.deque` 的 `appendleft()` 能在常数时间内向头部添加元素。",
    },
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const call of ctx.nodes("call")) {
      // `pop(0)` and `insert(0, ...)` only: the text rules out most calls before any node is read.
      const text = call.text;
      if (!text.includes("pop") && !text.includes("insert")) continue;
      const method = frontOperation(call);
      if (!method) continue;
      const callee = call.childForFieldName("function");
      const target = callee?.childForFieldName("object");
      if (!target) continue;
      // A test step runs a fixed number of times; numba compiles code that has no deque to offer.
      if (fixedTestStep(call) || compiledByNumba(ctx, call)) continue;
      let shape: Shape;
      const attribute = target.type === "attribute" ? selfAttributeName(target) : undefined;
      if (target.type === "identifier") {
        shape = nameShape(ctx, call, target, method);
      } else if (attribute !== undefined) {
        const classNode = ctx.model.owner(call).class;
        const facts = classNode ? ctx.model.classFact(SELF_ATTRIBUTES, classNode).map((part) => part.value) : [];
        shape = attributeShape(ctx, facts, attribute);
        if (shape === "unknown") continue; // an attribute nothing in the class shows: stay quiet
        // A list that outlives the call takes items in at the front as a queue only when items also leave it.
        if (method === "insert" && !facts.some((fact) => fact.popped.includes(attribute))) continue;
        if (method === "pop" && lookaheadBuffer(call, target, facts, attribute)) continue;
      } else {
        continue;
      }
      if (shape === "other" || (shape === "unknown" && method === "insert")) continue;
      findings.push(ctx.finding(call, ctx.t(method, { target: target.text })));
    }
    return findings;
  },
};

/** `x.pop(0)` (one argument: `pop(0, default)` is a dict's) or `x.insert(0, v)`. */
function frontOperation(call: Node): "pop" | "insert" | undefined {
  const callee = call.childForFieldName("function");
  if (callee?.type !== "attribute") return undefined;
  const method = callee.childForFieldName("attribute")?.text;
  const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter(
    (child): child is Node => child !== null && child.type !== "comment",
  );
  const first = args[0] ? unparenthesize(args[0]) : undefined;
  if (first?.type !== "integer" || first.text !== "0") return undefined;
  if (method === "pop" && args.length === 1) return "pop";
  if (method === "insert" && args.length === 2 && args[1].type !== "keyword_argument") return "insert";
  return undefined;
}

/** `x` of `x.pop(...)`. */
function poppedHolder(call: Node): Node | undefined {
  const callee = call.childForFieldName("function");
  if (callee?.type !== "attribute" || callee.childForFieldName("attribute")?.text !== "pop") return undefined;
  return callee.childForFieldName("object") ?? undefined;
}

/** `x` of `self.x`. */
function selfAttributeName(node: Node | null): string | undefined {
  if (node?.type !== "attribute" || node.childForFieldName("object")?.text !== "self") return undefined;
  return node.childForFieldName("attribute")?.text;
}

function isListAnnotation(annotation: Node | null): boolean {
  if (!annotation) return false;
  const text = annotation.text.replace(/^["']|["']$/g, "").trim();
  return /^(typing\.)?(list|List)(\[.*\])?$/s.test(text);
}

/** The function (or lambda) whose calls repeat the code at `node`, else the module: classes and comprehensions do not count. */
function callScope(ctx: RuleContext, node: Node): Scope {
  let scope = ctx.model.scopeOf(node);
  while ((scope.kind === "comprehension" || scope.kind === "class") && scope.parent) scope = scope.parent;
  return scope;
}

/**
 * What a name holds, judged from every binding of it in the scope that owns it: "list" when each
 * binding is a list display, comprehension, `list(...)` or a list-annotated parameter; "other"
 * when any binding is something else (a `deque(...)`, a dict, a loop variable, an import, a
 * differently annotated parameter...); "unknown" when nothing in the file binds it or only an
 * unannotated parameter does.
 *
 * A list that is local to the function is a queue only when the front operation repeats: it must
 * sit in a loop that does not also rebuild the list. A list that outlives the call (a module
 * global used in a function) is popped across calls, so no loop is needed.
 */
function nameShape(ctx: RuleContext, call: Node, target: Node, method: "pop" | "insert"): Shape {
  const resolved = ctx.model.resolve(target);
  const scope = callScope(ctx, call);
  if (!resolved) return repeatsInLoop(ctx, call, scope.node, []) ? "unknown" : "other";
  const sites: BindingSite[] = [];
  for (const binding of resolved.bindings) {
    const site = bindingSite(ctx, binding);
    if (site?.shape === "other") return "other";
    // Two module bindings of one kind in one statement may come back as the same node: their values are unknown.
    if (site && sites.some((seen) => seen.node.equals(site.node))) return "other";
    if (site) sites.push(site);
  }
  const shape: Shape = sites.some((site) => site.shape === "list") ? "list" : "unknown";
  if (resolved.scope === ctx.model.module && scope !== ctx.model.module) {
    // A prepend to a module list is no queue unless items also leave from the front somewhere in the file.
    if (method === "pop") return shape;
    return ctx.model.fileFact(POPPED_NAMES).some((names) => names.includes(target.text)) ? shape : "other";
  }
  // Kept sorted while it is popped: a deque cannot be sorted (`heapq` would be the change).
  if (keptInOrder(call, target.text, scope.node)) return "other";
  // Split parts, or `list(range(4))`, that nothing adds to: small by construction.
  if (method === "pop" && sites.length > 0 && sites.every((site) => site.small) && !grows(scope.node, target.text)) return "other";
  // A list built here from a display grows only by what the loops add: a small loop keeps it small.
  const builtHere = sites.length > 0 && sites.every((site) => site.display || site.small);
  return repeatsInLoop(ctx, call, scope.node, sites.map((site) => site.node), builtHere) ? shape : "other";
}

/**
 * Whether some loop around the call (inside its own function) repeats it without bound: a loop
 * that also rebinds the list does not, nor one that runs the call at most once (it is followed by
 * `break`, or it sits under `if key == k` in a loop over a mapping's keys, which are unique), nor,
 * for a list the function builds from a display, one bounded by a small collection (the parts of
 * a split string, `range(4)`): that list never holds more than a handful of items.
 */
function repeatsInLoop(ctx: RuleContext, call: Node, scope: Node, bindings: readonly Node[], builtHere = false): boolean {
  for (let current = call.parent; current && !current.equals(scope); current = current.parent) {
    if (!LOOPS.includes(current.type)) continue;
    const loop = current;
    const inside = (node: Node) => loop.startIndex <= node.startIndex && node.endIndex <= loop.endIndex;
    if (bindings.some(inside)) continue;
    if ((builtHere && boundedLoop(ctx, loop)) || runsOnceIn(ctx, loop, call)) continue;
    return true;
  }
  return false;
}

/** A loop whose number of rounds is bounded by a small collection: `for part in path.split("/")`, `while parts:` on split parts. */
function boundedLoop(ctx: RuleContext, loop: Node): boolean {
  if (loop.type === "for_statement") {
    const iterable = loop.childForFieldName("right");
    return iterable !== null && smallCollection(ctx, iterable, loop, 0);
  }
  const condition = loop.childForFieldName("condition");
  return condition !== null && conditionOperands(condition).some((operand) => smallCollection(ctx, operand, loop, 0));
}

/** What `while a and b` or `while len(a) > 0` tests: `a`, `b`. */
function conditionOperands(condition: Node): Node[] {
  const node = unparenthesize(condition);
  if (node.type === "boolean_operator" && node.childForFieldName("operator")?.text === "and") {
    return [node.childForFieldName("left"), node.childForFieldName("right")].flatMap((side) => (side ? conditionOperands(side) : []));
  }
  if (node.type === "comparison_operator") {
    const first = node.namedChild(0);
    return first ? conditionOperands(first) : [];
  }
  if (node.type === "call" && node.childForFieldName("function")?.text === "len") {
    const args = node.childForFieldName("arguments")?.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== "comment") ?? [];
    return args.length === 1 ? [args[0]] : [];
  }
  return [node];
}

/** Calls that keep the size of the one collection they are given. */
const SIZE_KEEPING = new Set(["builtins.list", "builtins.tuple", "builtins.reversed", "builtins.sorted", "builtins.enumerate"]);

/**
 * A collection small by construction: the parts of a string split on a separator (or with a
 * `maxsplit`), `range` over literal bounds of at most 16, a list, tuple, slice, comprehension or
 * enumeration of one, or a name bound only to one of those that the loop does not add to.
 */
function smallCollection(ctx: RuleContext, expression: Node, loop: Node | undefined, depth: number): boolean {
  const node = unparenthesize(expression);
  if (node.type === "subscript") {
    const value = node.childForFieldName("value");
    return node.namedChildren.some((child) => child?.type === "slice") && value !== null && smallCollection(ctx, value, loop, depth);
  }
  if (node.type === "list_comprehension" || node.type === "generator_expression") {
    const clauses = node.namedChildren.filter((child): child is Node => child?.type === "for_in_clause");
    const source = clauses.length === 1 ? clauses[0].childForFieldName("right") : null;
    return source !== null && smallCollection(ctx, source, loop, depth);
  }
  if (node.type === "call") {
    if (splitsOnSeparator(node)) return true;
    const callee = node.childForFieldName("function");
    const args = (node.childForFieldName("arguments")?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== "comment");
    const qualified = callee?.type === "identifier" ? ctx.model.qualifiedName(callee) : undefined;
    if (qualified === "builtins.range") return smallRange(args);
    return qualified !== undefined && SIZE_KEEPING.has(qualified) && args.length === 1 && args[0].type !== "keyword_argument" && smallCollection(ctx, args[0], loop, depth);
  }
  if (node.type !== "identifier" || depth > 0) return false;
  const resolved = ctx.model.resolve(node);
  if (!resolved || resolved.scope === ctx.model.module || resolved.bindings.length === 0) return false;
  if (loop && grows(loop, node.text)) return false;
  return resolved.bindings.every((binding) => {
    const value = boundValue(binding);
    return value !== undefined && smallCollection(ctx, value, loop, depth + 1);
  });
}

/** `s.split(sep)` or `s.rsplit(sep)` with a separator that is no line break, or any split with a literal `maxsplit`. */
function splitsOnSeparator(call: Node): boolean {
  const callee = call.childForFieldName("function");
  const method = callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : undefined;
  if (method !== "split" && method !== "rsplit") return false;
  const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== "comment");
  const positional = args.filter((arg) => arg.type !== "keyword_argument");
  const keyword = (name: string) => args.find((arg) => arg.type === "keyword_argument" && arg.childForFieldName("name")?.text === name)?.childForFieldName("value");
  const maxsplit = positional[1] ?? keyword("maxsplit");
  if (maxsplit?.type === "integer") return true;
  const separator = positional[0] ?? keyword("sep");
  if (!separator || separator.type === "none") return false;
  return !(separator.type === "string" && /\\n|\\r|\n|\r/.test(separator.text));
}

/** `range(4)`, `range(1, 5)`: literal bounds, at most 16 rounds. */
function smallRange(args: readonly Node[]): boolean {
  if (args.length === 0 || args.length > 2 || args.some((arg) => arg.type !== "integer")) return false;
  const bounds = args.map((arg) => Number(arg.text));
  const rounds = bounds.length === 1 ? bounds[0] : bounds[1] - bounds[0];
  return Number.isFinite(rounds) && rounds <= 16;
}

/** Whether code in `node` adds to the list `name`: `name.append(...)`, `extend`, `insert`, `name += ...`, `name[i:j] = ...`. */
function grows(node: Node, name: string): boolean {
  if (!node.text.includes(name)) return false;
  // `name.append(v)`, or `name.append` handed on to be called later.
  for (const attribute of node.descendantsOfType("attribute")) {
    if (!attribute || !GROWERS.has(attribute.childForFieldName("attribute")?.text ?? "")) continue;
    const object = attribute.childForFieldName("object");
    if (object?.type === "identifier" && object.text === name) return true;
  }
  for (const assignment of node.descendantsOfType(["augmented_assignment", "assignment"])) {
    const left = assignment?.childForFieldName("left");
    if (!assignment || !left) continue;
    if (assignment.type === "augmented_assignment" && left.type === "identifier" && left.text === name) return true;
    if (left.type === "subscript" && left.childForFieldName("value")?.text === name) return true;
  }
  return false;
}

/**
 * Whether the call runs at most once each time the loop runs: the statements after it in its
 * block (up to the loop) end with `break`, `return` or `raise`, or it sits under `if k == v` in a
 * loop over a mapping's keys or items, with `v` fixed while the loop runs.
 */
function runsOnceIn(ctx: RuleContext, loop: Node, call: Node): boolean {
  for (let node: Node | null = call; node && !node.equals(loop); node = node.parent) {
    const current: Node = node;
    const parent: Node | null = current.parent;
    if (parent?.type === "block") {
      // A `break` ends this loop only when no inner loop lies between.
      const breaksThis = nearestLoop(parent)?.equals(loop) ?? false;
      const exits = parent.namedChildren.some(
        (sibling: Node | null) =>
          sibling !== null &&
          sibling.startIndex > current.startIndex &&
          (sibling.type === "return_statement" || sibling.type === "raise_statement" || (breaksThis && sibling.type === "break_statement")),
      );
      if (exits) return true;
    }
    if (parent?.type === "if_statement" && parent.childForFieldName("consequence")?.equals(current) && uniqueKeyTest(ctx, loop, parent)) return true;
  }
  return false;
}

function nearestLoop(node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (LOOPS.includes(current.type)) return current;
    if (current.type === "function_definition" || current.type === "lambda" || current.type === "class_definition") return undefined;
  }
  return undefined;
}

/** `if k == v:` in `for k in d.keys()` or `for k, x in d.items()`, where nothing in the loop rebinds `v`. */
function uniqueKeyTest(ctx: RuleContext, loop: Node, test: Node): boolean {
  if (loop.type !== "for_statement") return false;
  const iterable = unparenthesize(loop.childForFieldName("right") ?? loop);
  const callee = iterable.type === "call" ? iterable.childForFieldName("function") : null;
  const view = callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : undefined;
  if ((view !== "keys" && view !== "items") || (iterable.childForFieldName("arguments")?.namedChildCount ?? 1) !== 0) return false;
  const left = loop.childForFieldName("left");
  const key = view === "keys" ? left : left?.type === "pattern_list" || left?.type === "tuple_pattern" ? left.namedChild(0) : null;
  if (key?.type !== "identifier") return false;
  const condition = unparenthesize(test.childForFieldName("condition") ?? test);
  if (condition.type !== "comparison_operator" || condition.namedChildCount !== 2) return false;
  const operators = condition.children.filter((child) => child !== null && !child.isNamed).map((child) => child?.text);
  if (operators.length !== 1 || operators[0] !== "==") return false;
  const [a, b] = [condition.namedChild(0), condition.namedChild(1)];
  const other = a?.type === "identifier" && a.text === key.text ? b : b?.type === "identifier" && b.text === key.text ? a : null;
  if (!other) return false;
  const inLoop = (site: Node) => loop.startIndex <= site.startIndex && site.endIndex <= loop.endIndex;
  const names = other.type === "identifier" ? [other] : other.descendantsOfType("identifier").filter((name): name is Node => name !== null);
  return names.every((name) => !(ctx.model.resolve(name)?.bindings.some((binding) => inLoop(binding.site)) ?? false));
}

/** Whether a loop around the call also sorts the list, or keeps it in order with `bisect.insort` or `heapq`. */
function keptInOrder(call: Node, name: string, scope: Node): boolean {
  for (let current = call.parent; current && !current.equals(scope); current = current.parent) {
    if (!LOOPS.includes(current.type) || !current.text.includes(name)) continue;
    for (const each of current.descendantsOfType("call")) {
      if (each && ordersList(each, (object) => object.type === "identifier" && object.text === name)) return true;
    }
  }
  return false;
}

/** `x.sort(...)`, or `insort(x, v)` / `heappush(x, v)` (any spelling ending so), for the `x` that `holds` picks. */
function ordersList(call: Node, holds: (object: Node) => boolean): boolean {
  const callee = call.childForFieldName("function");
  if (callee?.type === "attribute" && callee.childForFieldName("attribute")?.text === "sort") {
    const object = callee.childForFieldName("object");
    return object !== null && holds(object);
  }
  const last = callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : callee?.text;
  if (!ORDERING_FUNCTIONS.has(last ?? "")) return false;
  const first = call.childForFieldName("arguments")?.namedChildren.find((arg) => arg !== null && arg.type !== "comment");
  return first !== null && first !== undefined && holds(first);
}

/** Code compiled by numba (`@numba.jit`, `@njit`...), where lists work and `collections.deque` does not. */
function compiledByNumba(ctx: RuleContext, call: Node): boolean {
  for (let current = call.parent; current; current = current.parent) {
    if (current.type !== "function_definition") continue;
    for (const decorator of decoratorsOf(current)) {
      const target = decorator.type === "call" ? decorator.childForFieldName("function") : decorator;
      const qualified = target ? ctx.model.qualifiedName(target) : undefined;
      if (qualified?.startsWith("numba.")) return true;
    }
  }
  return false;
}

/**
 * In a test (`def test_x`, `def testX`), which the test runner calls once: a front operation
 * outside any loop, or only in `for ... in range(...)`, runs a fixed number of times, stepping
 * through the few items the test put there. A `while` loop or a loop over data still drains a list.
 */
function fixedTestStep(call: Node): boolean {
  for (let current = call.parent; current; current = current.parent) {
    if (current.type === "while_statement") return false;
    if (current.type === "for_statement") {
      const iterable = unparenthesize(current.childForFieldName("right") ?? current);
      if (iterable.type !== "call" || iterable.childForFieldName("function")?.text !== "range") return false;
    }
    if (current.type === "function_definition" && /^test($|_|[A-Z0-9])/.test(current.childForFieldName("name")?.text ?? "")) return true;
  }
  return false;
}

interface BindingSite {
  node: Node;
  shape: Shape;
  /** A list small by construction: `list(path.split("/"))`, `list(range(4))`. */
  small?: boolean;
  /** A list display: `[]`, `[root]`. */
  display?: boolean;
}

/** What one binding puts in the name; undefined for `+=` and `del`, which leave that to the others. */
function bindingSite(ctx: RuleContext, binding: Binding): BindingSite | undefined {
  switch (binding.kind) {
    case "augmented-assignment":
    case "deletion":
      return undefined;
    case "parameter": {
      const node = binding.site;
      const parameter = node.parent;
      if (parameter?.type === "typed_parameter" || parameter?.type === "typed_default_parameter") {
        return { node, shape: isListAnnotation(parameter.childForFieldName("type")) ? "list" : "other" };
      }
      const starred = parameter?.type === "list_splat_pattern" || parameter?.type === "dictionary_splat_pattern";
      return { node, shape: starred ? "other" : "unknown" };
    }
    case "assignment":
    case "annotation":
    case "named-expression": {
      const node = binding.site;
      const value = boundValue(binding);
      if (value) {
        const listy = buildsList(ctx.model, value);
        const display = unparenthesize(value).type === "list";
        return { node, shape: listy ? "list" : "other", small: listy && smallCollection(ctx, value, undefined, 1), display };
      }
      // `x: list[int]` with no value, or a target whose value cannot be told.
      const annotated = binding.kind === "annotation" ? node.parent : null;
      const listy = annotated?.type === "assignment" && annotated.childForFieldName("left")?.equals(node) && isListAnnotation(annotated.childForFieldName("type"));
      return { node, shape: listy ? "list" : "other" };
    }
    default:
      return { node: binding.site, shape: "other" };
  }
}

/** The value an assignment, `:=` or unpacking (`a, b = [], [x]`) puts in the name it binds, when syntax tells. */
function boundValue(binding: Binding): Node | undefined {
  const node = binding.site;
  if (binding.kind === "named-expression") return node.parent?.childForFieldName("value") ?? undefined;
  if (binding.kind !== "assignment" && binding.kind !== "annotation") return undefined;
  let assignment = node.parent;
  while (assignment && assignment.type !== "assignment") assignment = assignment.parent;
  const left = assignment?.childForFieldName("left");
  const right = assignment?.childForFieldName("right");
  if (!left || !right) return undefined;
  return left.equals(node) ? right : unpackedValue(left, right, node.text);
}

/** In `a, b = [], [x]`, the value that lands in `name` (flat unpacking of equal length only). */
function unpackedValue(left: Node, right: Node, name: string): Node | undefined {
  const targets = ["pattern_list", "tuple_pattern", "tuple", "expression_list"];
  const values = unparenthesize(right);
  if (!targets.includes(left.type) || !["expression_list", "tuple"].includes(values.type)) return undefined;
  const names = left.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
  const items = values.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
  if (names.length !== items.length || names.some((target) => target.type !== "identifier")) return undefined;
  const index = names.findIndex((target) => target.text === name);
  return index >= 0 ? items[index] : undefined;
}

/**
 * What `self.<attribute>` holds, judged from the assignments to it in the enclosing class (its
 * methods and its body): "list" when all are lists, "other" when any is not, "unknown" when none.
 */
function attributeShape(ctx: RuleContext, facts: readonly AttributeFacts[], attribute: string): Shape {
  let shape: Shape = "unknown";
  for (const { assigned } of facts) {
    for (const [name, value] of assigned) {
      if (name !== attribute) continue;
      if (value === "other" || (value === "list-call" && !ctx.model.builtinVisible("list"))) return "other";
      shape = "list";
    }
  }
  // Kept sorted between pops: a deque cannot be sorted (`heapq` would be the change).
  if (shape === "list" && facts.some((fact) => fact.ordered.includes(attribute))) return "other";
  return shape;
}

/**
 * A reader's push-back buffer (`if self.pushback: return self.pushback.pop(0)`, filled only by a
 * method whose whole body is `self.pushback.append(token)`): it holds what the caller gave back,
 * a token or two, never a queue of work, and a reviewer would leave it a list.
 */
function lookaheadBuffer(call: Node, target: Node, facts: readonly AttributeFacts[], attribute: string): boolean {
  const returned = call.parent;
  const branch = returned?.type === "return_statement" ? returned.parent : null;
  const guard = branch?.type === "block" ? branch.parent : null;
  const condition = guard?.type === "if_statement" ? guard.childForFieldName("condition") : null;
  if (!condition || unparenthesize(condition).text !== target.text) return false;
  const growth = facts.flatMap((fact) => fact.grown.filter(([name]) => name === attribute));
  return growth.length > 0 && growth.every(([, pushBack]) => pushBack);
}

/** Notes a call that adds to `self.<attribute>`, and whether it is a method that only hands back its one argument. */
function recordGrowth(node: Node, facts: AttributeFacts): void {
  if (node.type !== "call") return;
  const callee = node.childForFieldName("function");
  const grower = callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : undefined;
  const attribute = grower && GROWERS.has(grower) ? selfAttributeName(callee?.childForFieldName("object") ?? null) : undefined;
  if (attribute === undefined) return;
  facts.grown.push([attribute, grower === "append" && handsBackArgument(node)]);
}

/** `def push_token(self, token): self.pushback.append(token)`: the call is the method's only statement, appending a parameter. */
function handsBackArgument(call: Node): boolean {
  const args = call.childForFieldName("arguments")?.namedChildren ?? [];
  const statement = call.parent;
  const body = statement?.type === "expression_statement" ? statement.parent : null;
  const method = body?.type === "block" ? body.parent : null;
  if (args.length !== 1 || args[0]?.type !== "identifier" || method?.type !== "function_definition") return false;
  const statements = body?.namedChildren.filter((child) => child && child.type !== "comment" && !isDocstring(child)) ?? [];
  const parameters = method.childForFieldName("parameters")?.namedChildren ?? [];
  return statements.length === 1 && parameters.some((parameter) => parameter?.type === "identifier" && parameter.text === args[0]?.text);
}


/** Notes which `self.<attribute>` a call keeps in order. */
function recordOrdering(node: Node, facts: AttributeFacts): void {
  if (node.type !== "call") return;
  let ordered: string | undefined;
  if (ordersList(node, (object) => (ordered = selfAttributeName(object)) !== undefined) && ordered !== undefined) facts.ordered.push(ordered);
}

/** Notes what an assignment in a class puts in `self.<attribute>`, or in `<attribute>` at class level. */
function recordAssignment(assignment: Node, assigned: AttributeFacts["assigned"]): void {
  const left = assignment.childForFieldName("left");
  if (!left) return;
  const attribute = selfAttributeName(left);
  const classLevel = left.type === "identifier" && assignment.parent?.parent?.parent?.type === "class_definition";
  if (attribute !== undefined || classLevel) {
    assigned.push([attribute ?? left.text, assignedValue(assignment.childForFieldName("right"), assignment.childForFieldName("type"))]);
  } else if (left.type !== "attribute") {
    for (const name of selfAttributesIn(left)) assigned.push([name, "other"]);
  }
}

function assignedValue(right: Node | null, annotation: Node | null): AssignedValue {
  if (!right) return isListAnnotation(annotation) ? "list" : "other";
  const node = unparenthesize(right);
  if (node.type === "list" || node.type === "list_comprehension") return "list";
  const callee = node.type === "call" ? node.childForFieldName("function") : null;
  return callee?.type === "identifier" && callee.text === "list" ? "list-call" : "other";
}

/** The `self.<attribute>` names an unpacking target binds (`self.a, b = ...`). */
function selfAttributesIn(target: Node): string[] {
  const attribute = selfAttributeName(target);
  if (attribute !== undefined) return [attribute];
  if (target.type === "attribute" || target.type === "subscript") return [];
  return target.namedChildren.flatMap((child) => (child ? selfAttributesIn(child) : []));
}
