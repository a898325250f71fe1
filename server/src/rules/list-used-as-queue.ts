import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import type { Binding, Scope } from "../analysis/model/scope";
import { defineFact, forEachUnitNode } from "../analysis/model/facts";
import { buildsList } from "../analysis/support/built-kind";
import { unparenthesize } from "../analysis/support/syntax";

/** What the visible bindings say a name holds. */
type Shape = "list" | "other" | "unknown";

const LOOPS = ["for_statement", "while_statement"];

/** A value assigned to an attribute, as far as syntax tells: `list(...)` is a list only while `list` is the builtin. */
type AssignedValue = "list" | "list-call" | "other";

/** What one unit of a class assigns to `self.<attribute>` (or, in the class body, to `<attribute>`), and which `self.<attribute>` it pops. */
interface AttributeFacts {
  assigned: [attribute: string, value: AssignedValue][];
  popped: string[];
}

const SELF_ATTRIBUTES = defineFact("list-used-as-queue:self-attributes", (nodes, unit): AttributeFacts => {
  const facts: AttributeFacts = { assigned: [], popped: [] };
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
  forEachUnitNode(nodes, unit, (node) => {
    const holder = node.type === "call" ? poppedHolder(node) : undefined;
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
      let shape: Shape;
      const attribute = target.type === "attribute" ? selfAttributeName(target) : undefined;
      if (target.type === "identifier") {
        shape = nameShape(ctx, call, target, method);
      } else if (attribute !== undefined) {
        const classNode = ctx.model.owner(call).class;
        const facts = classNode ? ctx.model.classFact(SELF_ATTRIBUTES, classNode).map((part) => part.value) : [];
        shape = attributeShape(ctx, facts, attribute);
        if (shape === "unknown") continue; // an attribute nothing in the class shows: stay quiet
        if (method === "insert" && !repeatsInLoop(call, callScope(ctx, call).node, []) && !facts.some((fact) => fact.popped.includes(attribute))) continue;
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
function selfAttributeName(node: Node): string | undefined {
  if (node.type !== "attribute" || node.childForFieldName("object")?.text !== "self") return undefined;
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
  if (!resolved) return repeatsInLoop(call, scope.node, []) ? "unknown" : "other";
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
    // A one-off prepend to a module list is no queue unless items also leave from the other end somewhere in the file.
    if (method === "pop" || repeatsInLoop(call, scope.node, [])) return shape;
    return ctx.model.fileFact(POPPED_NAMES).some((names) => names.includes(target.text)) ? shape : "other";
  }
  return repeatsInLoop(call, scope.node, sites.map((site) => site.node)) ? shape : "other";
}

/** Whether some loop around the call (inside its own function) does not also rebind the list. */
function repeatsInLoop(call: Node, scope: Node, bindings: readonly Node[]): boolean {
  for (let current = call.parent; current && !current.equals(scope); current = current.parent) {
    if (!LOOPS.includes(current.type)) continue;
    const loop = current;
    const inside = (node: Node) => loop.startIndex <= node.startIndex && node.endIndex <= loop.endIndex;
    if (!bindings.some(inside)) return true;
  }
  return false;
}

interface BindingSite {
  node: Node;
  shape: Shape;
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
    case "annotation": {
      const node = binding.site;
      let assignment = node.parent;
      while (assignment && assignment.type !== "assignment") assignment = assignment.parent;
      const left = assignment?.childForFieldName("left");
      const right = assignment?.childForFieldName("right");
      if (!assignment || !left) return { node, shape: "other" };
      if (left.equals(node)) {
        const listy = right ? buildsList(ctx.model, right) : isListAnnotation(assignment.childForFieldName("type"));
        return { node, shape: listy ? "list" : "other" };
      }
      const value = right ? unpackedValue(left, right, node.text) : undefined;
      return { node, shape: value && buildsList(ctx.model, value) ? "list" : "other" };
    }
    case "named-expression": {
      const value = binding.site.parent?.childForFieldName("value");
      return { node: binding.site, shape: value && buildsList(ctx.model, value) ? "list" : "other" };
    }
    default:
      return { node: binding.site, shape: "other" };
  }
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
  return shape;
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
