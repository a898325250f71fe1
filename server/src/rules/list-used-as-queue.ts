import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Finding } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { localBindings } from "../analysis/scopes";
import { unparenthesize } from "./comparisons";

/** What the visible bindings say a name holds. */
type Shape = "list" | "other" | "unknown";

const LOOPS = ["for_statement", "while_statement"];
const SCOPES = ["function_definition", "lambda"];

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
    if (!ctx.text.includes("pop") && !ctx.text.includes("insert")) return findings;
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
      if (target.type === "identifier") {
        shape = nameShape(ctx, call, target.text, method);
      } else if (target.type === "attribute" && target.childForFieldName("object")?.text === "self") {
        const attribute = target.childForFieldName("attribute")?.text ?? "";
        shape = attributeShape(ctx, call, attribute);
        if (shape === "unknown") continue; // an attribute nothing in the class shows: stay quiet
        const isHolder = (node: Node) =>
          node.type === "attribute" && node.childForFieldName("object")?.text === "self" && node.childForFieldName("attribute")?.text === attribute;
        if (method === "insert" && !prependIsQueueLike(call, enclosingClass(call), isHolder)) continue;
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

function isListValue(ctx: RuleContext, value: Node): boolean {
  const node = unparenthesize(value);
  if (node.type === "list" || node.type === "list_comprehension") return true;
  if (node.type === "call") {
    const callee = node.childForFieldName("function");
    return callee !== null && ctx.file.qualifiedName(callee) === "builtins.list";
  }
  return false;
}

function isListAnnotation(annotation: Node | null): boolean {
  if (!annotation) return false;
  const text = annotation.text.replace(/^["']|["']$/g, "").trim();
  return /^(typing\.)?(list|List)(\[.*\])?$/s.test(text);
}

/**
 * What a name holds, judged from every binding in the scope that owns it (the innermost function
 * that binds it, else the module): "list" when each binding is a list display, comprehension,
 * `list(...)` or a list-annotated parameter; "other" when any binding is something else (a
 * `deque(...)`, a dict, a loop variable, an import, a differently annotated parameter...);
 * "unknown" when nothing in the file binds it or only an unannotated parameter does.
 *
 * A list that is local to the function is a queue only when the front operation repeats: it must
 * sit in a loop that does not also rebuild the list. A list that outlives the call (a module
 * global used in a function) is popped across calls, so no loop is needed.
 */
function nameShape(ctx: RuleContext, call: Node, name: string, method: "pop" | "insert"): Shape {
  let scope: Node | undefined;
  for (let current = call.parent; current; current = current.parent) {
    if (SCOPES.includes(current.type) && localBindings(current).has(name)) {
      scope = current;
      break;
    }
  }
  if (!scope) {
    if (ctx.file.imports.has(name)) return "other";
    if (localBindings(ctx.tree.rootNode).has(name)) scope = ctx.tree.rootNode;
  }
  const callScope = enclosingScope(call);
  if (!scope) return repeatsInLoop(call, callScope, []) ? "unknown" : "other";
  const bindings = bindingSites(ctx, scope, name);
  if (bindings.some((site) => site.shape === "other")) return "other";
  const shape: Shape = bindings.some((site) => site.shape === "list") ? "list" : "unknown";
  const persistent = scope.type === "module" && callScope.type !== "module";
  if (persistent) {
    const isHolder = (node: Node) => node.type === "identifier" && node.text === name;
    return method === "pop" || prependIsQueueLike(call, scope, isHolder) ? shape : "other";
  }
  return repeatsInLoop(call, callScope, bindings.map((site) => site.node)) ? shape : "other";
}

function enclosingScope(node: Node): Node {
  let last = node;
  for (let current = node.parent; current; current = current.parent) {
    if (SCOPES.includes(current.type)) return current;
    last = current;
  }
  return last;
}

function enclosingClass(node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (current.type === "class_definition") return current;
  return undefined;
}

/**
 * A list that outlives the call (an attribute, a module global) and gets `insert(0, v)` outside
 * any loop is a queue only when items also leave from the other end: `.pop()` on it somewhere in
 * the class or module. Otherwise it is a one-off prepend, like putting a path first.
 */
function prependIsQueueLike(call: Node, owner: Node | undefined, isHolder: (node: Node) => boolean): boolean {
  if (repeatsInLoop(call, enclosingScope(call), [])) return true;
  if (!owner) return false;
  const stack: Node[] = [owner];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    if (node.type === "call") {
      const callee = node.childForFieldName("function");
      const object = callee?.type === "attribute" ? callee.childForFieldName("object") : null;
      if (object && isHolder(object) && callee?.childForFieldName("attribute")?.text === "pop") return true;
    }
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return false;
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

/** Every place in the scope's own body (not nested functions or classes) that binds `name`. */
function bindingSites(ctx: RuleContext, scope: Node, name: string): BindingSite[] {
  const sites: BindingSite[] = [];
  const parameters = scope.childForFieldName("parameters");
  for (const parameter of parameters?.namedChildren ?? []) {
    if (!parameter) continue;
    const identifier = parameter.type === "identifier" ? parameter : (parameter.childForFieldName("name") ?? parameter.namedChild(0));
    if (identifier?.text !== name) continue;
    if (parameter.type === "list_splat_pattern" || parameter.type === "dictionary_splat_pattern") {
      sites.push({ node: parameter, shape: "other" });
    } else if (parameter.type === "typed_parameter" || parameter.type === "typed_default_parameter") {
      sites.push({ node: parameter, shape: isListAnnotation(parameter.childForFieldName("type")) ? "list" : "other" });
    } else {
      sites.push({ node: parameter, shape: "unknown" });
    }
  }
  const body = scope.type === "module" ? scope : scope.childForFieldName("body");
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (["function_definition", "class_definition"].includes(child.type)) {
        if (child.childForFieldName("name")?.text === name) sites.push({ node: child, shape: "other" });
        continue;
      }
      if (child.type === "lambda") continue;
      if (child.type === "assignment") {
        const left = child.childForFieldName("left");
        const right = child.childForFieldName("right");
        if (left?.type === "identifier" && left.text === name) {
          const listy = right ? isListValue(ctx, right) : isListAnnotation(child.childForFieldName("type"));
          sites.push({ node: child, shape: listy ? "list" : "other" });
        } else if (left && bindsName(left, name)) {
          const value = right ? unpackedValue(left, right, name) : undefined;
          sites.push({ node: child, shape: value && isListValue(ctx, value) ? "list" : "other" });
        }
      } else if (child.type === "named_expression" && child.childForFieldName("name")?.text === name) {
        const value = child.childForFieldName("value");
        sites.push({ node: child, shape: value && isListValue(ctx, value) ? "list" : "other" });
      } else if (child.type === "for_statement" || child.type === "for_in_clause") {
        const left = child.childForFieldName("left");
        if (left && bindsName(left, name)) sites.push({ node: child, shape: "other" });
      } else if (child.type === "as_pattern_target" || child.type === "except_clause") {
        if (bindsName(child, name)) sites.push({ node: child, shape: "other" });
      } else if (child.type === "global_statement" || child.type === "nonlocal_statement") {
        if (child.namedChildren.some((item) => item?.text === name)) sites.push({ node: child, shape: "other" });
      }
      visit(child);
    }
  };
  if (body) visit(body);
  return sites;
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

function bindsName(target: Node, name: string): boolean {
  if (target.type === "identifier") return target.text === name;
  if (target.type === "attribute" || target.type === "subscript") return false;
  return target.namedChildren.some((child) => child !== null && child.type !== "block" && bindsName(child, name));
}

/**
 * What `self.<attribute>` holds, judged from the assignments to it in the enclosing class (its
 * methods and its body): "list" when all are lists, "other" when any is not, "unknown" when none.
 */
function attributeShape(ctx: RuleContext, call: Node, attribute: string): Shape {
  let classNode: Node | undefined;
  for (let current = call.parent; current; current = current.parent) {
    if (current.type === "class_definition") {
      classNode = current;
      break;
    }
  }
  const body = classNode?.childForFieldName("body");
  if (!body) return "unknown";
  const shapes: Shape[] = [];
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "class_definition") continue;
      if (child.type === "assignment") {
        const left = child.childForFieldName("left");
        const right = child.childForFieldName("right");
        const selfAttribute =
          left?.type === "attribute" &&
          left.childForFieldName("object")?.text === "self" &&
          left.childForFieldName("attribute")?.text === attribute;
        const classAttribute = left?.type === "identifier" && left.text === attribute && child.parent?.parent?.parent?.type === "class_definition";
        if (selfAttribute || classAttribute) {
          const listy = right ? isListValue(ctx, right) : isListAnnotation(child.childForFieldName("type"));
          shapes.push(listy ? "list" : "other");
        } else if (left && left.type !== "attribute" && containsSelfAttribute(left, attribute)) {
          shapes.push("other");
        }
      }
      visit(child);
    }
  };
  visit(body);
  if (shapes.includes("other")) return "other";
  return shapes.length > 0 ? "list" : "unknown";
}

function containsSelfAttribute(target: Node, attribute: string): boolean {
  if (target.type === "attribute") {
    return target.childForFieldName("object")?.text === "self" && target.childForFieldName("attribute")?.text === attribute;
  }
  if (target.type === "subscript") return false;
  return target.namedChildren.some((child) => child !== null && containsSelfAttribute(child, attribute));
}
