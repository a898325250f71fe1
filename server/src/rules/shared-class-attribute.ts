import type { Node, Tree } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import type { Finding, Fix, TextEdit } from "../analysis/finding";
import { decoratorsOf } from "../analysis/model/class-members";
import { defineFact } from "../analysis/model/facts";
import { defineQuery } from "../analysis/model/semantic-model";
import { mutableKind } from "../analysis/support/built-kind";
import { localAncestors, plainClass, subclassedInFile } from "../analysis/support/class-hierarchy";
import { definitionOf, firstParameter, parameterNames, referencedNames, topStatement } from "../analysis/support/syntax";

/** Methods that change a list, dict, set or deque in place. */
const MUTATORS = new Set([
  "append",
  "extend",
  "insert",
  "remove",
  "pop",
  "popitem",
  "clear",
  "sort",
  "reverse",
  "update",
  "setdefault",
  "add",
  "discard",
  "difference_update",
  "intersection_update",
  "symmetric_difference_update",
  "appendleft",
  "extendleft",
  "popleft",
  "rotate",
  "__setitem__",
  "__delitem__",
]);

/** Names that announce a deliberately shared object. */
const SHARED_NAMES = /cache|registry|memo|instances/i;

/** What an author writes beside a class attribute that every instance is meant to share. */
const SHARED_NOTE = /\bshar(?:e|ed|es|ing)\b|\b(?:all|every|each)\s+(?:\w+\s+)?instances?\b|\bclass[- ]wide\b|\bon purpose\b|\bintentional(?:ly)?\b|\bdeliberate(?:ly)?\b/i;

/**
 * The author says the sharing is meant: a comment at the end of the attribute's line, or in the
 * block of comment lines right above it. A reviewer would not move such an attribute.
 */
function documentedAsShared(statement: Node): boolean {
  const next = statement.nextNamedSibling;
  if (next?.type === "comment" && next.startPosition.row === statement.endPosition.row && SHARED_NOTE.test(next.text)) return true;
  let row = statement.startPosition.row;
  // A comment above a block's first statement is parsed as the class's child, before the block.
  const first = statement.previousNamedSibling ?? (statement.parent?.type === "block" ? statement.parent.previousNamedSibling : null);
  for (let above = first; above?.type === "comment" && above.endPosition.row === row - 1; above = above.previousNamedSibling) {
    if (SHARED_NOTE.test(above.text)) return true;
    row = above.startPosition.row;
  }
  return false;
}

interface Candidate {
  name: string;
  /** What the value builds: `list`, `dict`, `deque`... */
  kind: string;
  statement: Node;
  value: Node;
  annotation: Node | null;
}

/**
 * A mutable class attribute (`items = []`) changed in place through `self` (`self.items.append`,
 * `self.items[k] = v`, `del self.items[k]`, `self.items += ...`) when no method ever assigns
 * `self.items`: every instance then shares one object. Quiet for classes whose attributes are
 * fields or members (dataclasses, attrs, pydantic, NamedTuple, TypedDict, enums, metaclasses),
 * for `ClassVar` annotations, and when the class or `cls` is used to reach the attribute
 * (deliberate sharing). Reports the first such mutation per attribute.
 *
 * The unit that holds the mutation reports it: a method of a large class reports its own, and
 * learns what the class's other methods do from their facts.
 */
export const sharedClassAttributeRule: Rule = {
  code: "PYM017",
  name: "shared-class-attribute",
  knowledge: "shared-class-attribute",
  severity: "warning",
  nodeTypes: ["class_definition"],
  messages: {
    message: {
      en: "`{name}` is a class attribute, so this changes the one `{kind}` that every `{owner}` instance shares. Create it per instance in `__init__` (`self.{name} = {value}`), or annotate it `ClassVar` if sharing is intended.",
      ko: "`{name}`은 클래스 속성이므로 이 코드는 모든 `{owner}` 인스턴스가 함께 쓰는 `{kind}` 하나를 바꿉니다. `__init__`에서 인스턴스마다 만들거나(`self.{name} = {value}`), 공유가 의도라면 `ClassVar`로 주석을 다세요.",
      "zh-cn": "`{name}` 是类属性，所以这里修改的是所有 `{owner}` 实例共用的同一个 `{kind}`。请在 `__init__` 中为每个实例单独创建（`self.{name} = {value}`）；如果本来就想共享，请用 `ClassVar` 注解它。",
    },
    fix: { en: "Create {name} in __init__", ko: "__init__에서 {name} 생성", "zh-cn": "在 __init__ 中创建 {name}" },
  },
  check(ctx) {
    const findings = ctx.nodes("class_definition").flatMap((each) => checkClass(ctx, each));
    // A method of a class split into units sees its class only through the model.
    const [method] = ctx.unit.kind === "method" ? ctx.unit.nodes : [];
    const owner = method ? ctx.model.owner(method).class : undefined;
    if (method && owner && assignedOnce(owner).length > 0 && !owner.hasError) findings.push(...checkClass(ctx, owner, method));
    return findings;
  },
};

/** `method`: the one method of the class that is this unit, when the unit is a method. */
function checkClass(ctx: RuleContext, owner: Node, method?: Node): Finding[] {
  const once = assignedOnce(owner);
  if (once.length === 0) return [];
  const body = owner.childForFieldName("body");
  const ownerName = owner.childForFieldName("name")?.text;
  if (!body || !ownerName) return [];
  // Only this unit's own methods' mutations are its to report, and only methods whose text
  // mentions `.<name>` for a candidate can change one.
  const mentions = (statement: Node) => once.some((candidate) => statement.text.includes(`.${candidate.name}`));
  const own = new Map<number, ScannedMethod>();
  const definition = method && definitionOf(method);
  if (method && definition) {
    if (mentions(method)) own.set(method.id, scanMethod(method, definition));
  } else {
    for (const [statement, each] of methodStatements(body)) if (ctx.model.unitOf(statement) === ctx.unit && mentions(statement)) own.set(statement.id, scanMethod(statement, each));
  }
  const mutated = once.filter((candidate) => [...own.values()].some((scanned) => scanned.mutations.has(candidate.name)));
  if (mutated.length === 0) return [];
  const reportable = withKinds(ctx, mutated);
  const statements = methodStatements(body);
  if (reportable.length === 0) return [];
  if (!plainClass(ctx.model, owner)) return [];
  const ancestors = localAncestors(ctx.model, owner);
  if (!ancestors) return [];

  const names = reportable.map((candidate) => candidate.name);
  const all = classMethods(ctx, owner, statements, own);
  const methods = instanceMethods(ctx, all, names);
  const assigned = new Set(methods.flatMap((method) => method.use.instance?.assigned ?? []));
  let dynamic = methods.some((method) => method.use.instance?.dynamic);
  // A base class of this file that sets `self.items` in its methods gives each instance its own.
  for (const ancestor of ancestors) {
    const body = ancestor.childForFieldName("body");
    const scanned = body ? methodStatements(body).map(([statement, definition]) => ({ definition, ...scanMethod(statement, definition) })) : [];
    for (const method of instanceMethods(ctx, scanned, names)) {
      for (const name of method.use.instance?.assigned ?? []) assigned.add(name);
      dynamic ||= method.use.instance?.dynamic ?? false;
    }
  }
  if (dynamic) return [];
  const references = classReferences(ctx, owner, ownerName);
  if (references.value) return [];
  // Reached through the class anywhere in it (any method, whatever its kind): shared on purpose.
  const sharedOnPurpose = new Set([...references.attributes, ...all.flatMap((method) => method.use.viaClass)]);
  for (const statement of body.namedChildren) {
    if (statement && definitionOf(statement)?.type !== "function_definition") for (const name of reachedThroughClass(statement.descendantsOfType("attribute"))) sharedOnPurpose.add(name);
  }

  const findings: Finding[] = [];
  for (const candidate of reportable) {
    if (assigned.has(candidate.name) || sharedOnPurpose.has(candidate.name)) continue;
    if (SHARED_NAMES.test(candidate.name) || documentedAsShared(candidate.statement)) continue;
    // The first method that changes it reports it; when that method is another unit's, that unit does.
    const first = methods.find((method) => method.use.instance?.mutated.includes(candidate.name));
    const mutation = first?.mutations?.get(candidate.name);
    if (!mutation) continue;
    const value = oneLine(candidate.value.text);
    findings.push(
      ctx.finding(
        reportedNode(mutation),
        ctx.t("message", { name: candidate.name, owner: ownerName, kind: candidate.kind, value }),
        moveToInit(ctx, owner, body, candidate),
      ),
    );
  }
  return findings;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

/** The class body's method statements, with their `def`s. */
function methodStatements(body: Node): [Node, Node][] {
  const methods: [Node, Node][] = [];
  for (const statement of body.namedChildren) {
    const definition = statement ? definitionOf(statement) : undefined;
    if (statement && definition?.type === "function_definition") methods.push([statement, definition]);
  }
  return methods;
}

/** The candidates whose value builds something mutable: `name = []`, `name = deque()`. */
function withKinds(ctx: RuleContext, assigned: readonly Omit<Candidate, "kind">[]): Candidate[] {
  return assigned.flatMap((candidate) => {
    // One list, dict, set, deque... built once, at class creation: what every instance then shares.
    const kind = mutableKind(ctx.model, candidate.value);
    return kind ? [{ ...candidate, kind }] : [];
  });
}

/**
 * The class body's `name = value` statements for names it binds only there: read from the tree
 * alone, so every method of a large class asks once per parse (the class's skeleton, which each
 * method's unit is keyed by, decides it).
 */
function assignedOnce(owner: Node): Omit<Candidate, "kind">[] {
  let byClass = assignedOnceByTree.get(owner.tree);
  if (!byClass) assignedOnceByTree.set(owner.tree, (byClass = new Map()));
  let found = byClass.get(owner.id);
  if (!found) {
    const body = owner.childForFieldName("body");
    byClass.set(owner.id, (found = body ? scanAssignedOnce(body) : []));
  }
  return found;
}

const assignedOnceByTree = new WeakMap<Tree, Map<number, Omit<Candidate, "kind">[]>>();

function scanAssignedOnce(body: Node): Omit<Candidate, "kind">[] {
  const counts = new Map<string, number>();
  const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const candidates: Omit<Candidate, "kind">[] = [];
  for (const statement of body.namedChildren) {
    if (!statement || statement.type === "comment") continue;
    const definition = definitionOf(statement);
    const defined = definition?.type === "function_definition" || definition?.type === "class_definition" ? definition.childForFieldName("name")?.text : undefined;
    if (defined) {
      count(defined);
      continue;
    }
    if (statement.type !== "expression_statement") {
      // Conditional definitions (`if ...: items = []`) and loops: count every name they bind.
      for (const name of boundNames(statement)) count(name);
      continue;
    }
    for (const child of statement.namedChildren) {
      if (!child) continue;
      if (child.type !== "assignment" && child.type !== "augmented_assignment") continue;
      for (const name of boundNames(child)) count(name);
      const left = child.childForFieldName("left");
      const value = child.childForFieldName("right");
      if (child.type !== "assignment" || left?.type !== "identifier" || !value || statement.namedChildCount !== 1) continue;
      const annotation = child.childForFieldName("type");
      if (annotation && /\bClassVar\b/.test(annotation.text)) continue;
      candidates.push({ name: left.text, statement, value, annotation });
    }
  }
  return candidates.filter((candidate) => counts.get(candidate.name) === 1);
}

/** Every plain name an assignment-like statement binds (targets of `=`, augmented, `for`, nested). */
function boundNames(node: Node): string[] {
  const names: string[] = [];
  const targets = (target: Node | null): void => {
    if (!target) return;
    if (target.type === "identifier") names.push(target.text);
    else if (target.type !== "attribute" && target.type !== "subscript") for (const child of target.namedChildren) targets(child);
  };
  // Found inside the WebAssembly, in document order and parents first, instead of a walk of
  // every node (a long literal on the right of `=` holds many). A definition's subtree is the run
  // of nodes that start before its end: none of these types is ever empty.
  let skipEnd = -1;
  for (const current of node.descendantsOfType(BINDING_TYPES)) {
    if (!current || current.startIndex < skipEnd) continue;
    const type = current.type;
    if (type === "function_definition" || type === "class_definition") {
      const name = current.childForFieldName("name")?.text;
      if (name) names.push(name);
      skipEnd = current.endIndex;
      continue;
    }
    targets(current.childForFieldName("left"));
  }
  return names;
}

const BINDING_TYPES = ["function_definition", "class_definition", "assignment", "augmented_assignment", "for_statement"];

/** What a method does with the class's attributes: plain data, so a method's unit can give it as a fact. */
interface MethodUse {
  /** Attributes reached through the class: `cls.items`, `type(self).items`, `self.__class__.items`. */
  viaClass: string[];
  /** What it does through its first parameter; null when it has none. */
  instance: {
    /** Attributes it assigns (`self.items = ...`). */
    assigned: string[];
    /** Attributes it changes in place (`self.items.append(...)`). */
    mutated: string[];
    /** `setattr(self, ...)`, `self.__dict__`, `vars(self)`: attributes we cannot see being set. */
    dynamic: boolean;
  } | null;
}

interface ScannedMethod {
  use: MethodUse;
  /** The first in-place change of each attribute. */
  mutations: Map<string, Node>;
}

interface ClassMethod {
  definition: Node;
  use: MethodUse;
  /** Only for methods this unit holds. */
  mutations?: Map<string, Node>;
}

/** Each method of the class, in order: this unit's own read from their nodes, the others' from their units' facts. */
function classMethods(ctx: RuleContext, owner: Node, statements: readonly [Node, Node][], own: ReadonlyMap<number, ScannedMethod>): ClassMethod[] {
  let elsewhere: Map<number, MethodUse[]> | undefined;
  const taken = new Map<number, number>();
  const methods: ClassMethod[] = [];
  for (const [statement, definition] of statements) {
    const scanned = own.get(statement.id);
    if (scanned) {
      methods.push({ definition, ...scanned });
      continue;
    }
    const unit = ctx.model.unitOf(statement);
    if (!unit) continue;
    elsewhere ??= new Map(ctx.model.classFact(METHOD_USES, owner).map(({ unit, value }) => [unit.index, value]));
    // A class unit's fact lists the methods it kept, in order; a method unit's, its one method.
    const index = taken.get(unit.index) ?? 0;
    taken.set(unit.index, index + 1);
    const use = elsewhere.get(unit.index)?.[index];
    if (use) methods.push({ definition, use });
  }
  return methods;
}

/**
 * The methods bound to an instance that touch one of these attributes or set attributes
 * dynamically (how a method is bound is asked only of those).
 */
function instanceMethods<T extends { definition: Node; use: MethodUse }>(ctx: RuleContext, methods: readonly T[], names: readonly string[]): T[] {
  return methods.filter(({ definition, use }) => {
    const instance = use.instance;
    if (!instance) return false;
    const touches = instance.dynamic || names.some((name) => instance.assigned.includes(name) || instance.mutated.includes(name));
    const inside = definition.childForFieldName("body");
    return touches && inside !== null && ctx.model.owner(inside).method?.kind === "instance";
  });
}

const METHOD_USES = defineFact("shared-class-attribute:method-uses", (nodes, unit): MethodUse[] => {
  if (unit.kind === "method") {
    return nodes.flatMap((statement) => {
      const definition = definitionOf(statement);
      return definition?.type === "function_definition" ? [scanMethod(statement, definition).use] : [];
    });
  }
  const body = unit.kind === "class" && nodes[0] ? definitionOf(nodes[0])?.childForFieldName("body") : undefined;
  if (!body) return [];
  const kept = methodStatements(body).filter(([statement]) => !unit.holes.some((hole) => statement.startIndex >= hole.start && statement.startIndex < hole.end));
  return kept.map(([statement, definition]) => scanMethod(statement, definition).use);
});

/** `self.<name>` -> name, when the node is exactly that. */
function instanceAttribute(node: Node | null, receiver: string): string | undefined {
  if (node?.type !== "attribute") return undefined;
  const object = node.childForFieldName("object");
  if (object?.type !== "identifier" || object.text !== receiver) return undefined;
  return node.childForFieldName("attribute")?.text;
}

/** The node types `scanMethod` acts on, or whose subtree it may have to leave out. */
const ATTRIBUTE_WORDS = /cls|type|__class__|__dict__/;
const SCANNED_TYPES = ["class_definition", "function_definition", "lambda", "assignment", "augmented_assignment", "for_statement", "delete_statement", "call", "attribute"];

function scanMethod(statement: Node, method: Node): ScannedMethod {
  // One search inside the WebAssembly gives both the statement's attributes (for `viaClass`) and
  // the body's nodes of interest: a walk of every node from JavaScript costs several times more.
  // Attributes matter only through `cls`, `type(...)`, `__class__` or `__dict__`, and most
  // methods name none of them: then their many attributes need not be looked at.
  const types = ATTRIBUTE_WORDS.test(statement.text) ? SCANNED_TYPES : SCANNED_TYPES.filter((type) => type !== "attribute");
  const found: [Node, string][] = [];
  for (const node of statement.descendantsOfType(types)) if (node) found.push([node, node.type]);
  const viaClass = reachedThroughClass(found.filter(([, type]) => type === "attribute").map(([node]) => node));
  const receiver = firstParameter(method);
  const mutations = new Map<string, Node>();
  if (!receiver) return { use: { viaClass, instance: null }, mutations };
  const assigned = new Set<string>();
  let dynamic = false;
  const mutate = (name: string | undefined, node: Node) => {
    if (name && !mutations.has(name)) mutations.set(name, node);
  };
  const assignTargets = (target: Node | null): void => {
    if (!target) return;
    const name = instanceAttribute(target, receiver);
    if (name) assigned.add(name);
    else if (target.type !== "attribute" && target.type !== "subscript") for (const child of target.namedChildren) assignTargets(child);
  };
  const body = method.childForFieldName("body");
  if (!body) return { use: { viaClass, instance: { assigned: [], mutated: [], dynamic } }, mutations };
  const bodyStart = body.startIndex;
  const bodyEnd = body.endIndex;
  // The search gives nodes in document order, parents first: a left-out subtree is the run of
  // nodes that start before its end (none of these types is ever empty).
  let skipEnd = -1;
  for (const [child, type] of found) {
    const start = child.startIndex;
    // Starting inside the body is being inside it: none of these types is ever empty.
    if (start < bodyStart || start >= bodyEnd || start < skipEnd) continue;
    if (type === "class_definition") {
      skipEnd = child.endIndex;
      continue;
    }
    // A nested function or lambda with a parameter of that name sees another object.
    if (type === "function_definition" || (type === "lambda" && child.isNamed)) {
      const parameters = child.childForFieldName("parameters");
      if (parameters && parameterNames(parameters).includes(receiver)) skipEnd = child.endIndex;
      continue;
    }
    switch (type) {
      case "assignment": {
        const left = child.childForFieldName("left");
        assignTargets(left);
        if (left?.type === "subscript") mutate(instanceAttribute(left.childForFieldName("value"), receiver), child);
        break;
      }
      case "augmented_assignment": {
        const left = child.childForFieldName("left");
        const direct = instanceAttribute(left, receiver);
        // `self.items += [...]` extends the shared list in place before rebinding the name.
        if (direct) mutate(direct, child);
        else if (left?.type === "subscript") mutate(instanceAttribute(left.childForFieldName("value"), receiver), child);
        break;
      }
      case "for_statement":
        assignTargets(child.childForFieldName("left"));
        break;
      case "delete_statement":
        for (const target of child.namedChildren) {
          if (target?.type === "subscript") mutate(instanceAttribute(target.childForFieldName("value"), receiver), child);
          else if (target?.type === "expression_list") {
            for (const item of target.namedChildren) {
              if (item?.type === "subscript") mutate(instanceAttribute(item.childForFieldName("value"), receiver), child);
            }
          }
        }
        break;
      case "call": {
        const callee = child.childForFieldName("function");
        if (callee?.type === "attribute" && MUTATORS.has(callee.childForFieldName("attribute")?.text ?? "")) {
          mutate(instanceAttribute(callee.childForFieldName("object"), receiver), child);
        }
        if (callee?.type === "identifier" && (callee.text === "setattr" || callee.text === "vars")) dynamic = true;
        break;
      }
      case "attribute":
        if (instanceAttribute(child, receiver) === "__dict__") dynamic = true;
        break;
    }
  }
  return { use: { viaClass, instance: { assigned: [...assigned], mutated: [...mutations.keys()], dynamic } }, mutations };
}

/** Of these `attribute` nodes, the attributes reached through the class: `cls.items`, `type(self).items`, `self.__class__.items`. */
function reachedThroughClass(attributes: readonly (Node | null)[]): string[] {
  const names = new Set<string>();
  for (const node of attributes) {
    const object = node?.childForFieldName("object");
    const attribute = node?.childForFieldName("attribute")?.text;
    const viaClass =
      (object?.type === "identifier" && object.text === "cls") ||
      (object?.type === "call" && object.childForFieldName("function")?.text === "type") ||
      (object?.type === "attribute" && object.childForFieldName("attribute")?.text === "__class__");
    if (viaClass && attribute) names.add(attribute);
  }
  return [...names];
}

/** How some code reaches names as classes: as values (`return Handler`) and through attributes (`Handler.items`). */
interface References {
  /** Names used as plain values (`return Handler`, `serve(Handler)`): classes handed around as objects. */
  values: string[];
  /** `[name, attribute]` for every `name.attribute` and `<expr>.name.attribute`. */
  attributes: [string, string][];
}

/**
 * How a unit reaches any name, since a unit cannot tell which of its names are the module's
 * classes: the rule looks up the classes it checks (through a query, so a keystroke that leaves
 * a class's references alone leaves its findings alone).
 */
const REFERENCES = defineFact("shared-class-attribute:references", (nodes, unit) => referencesIn(nodes, unit.holes));

function referencesIn(nodes: readonly Node[], holes: readonly { start: number; end: number }[]): References {
  const values = new Set<string>();
  const attributes = new Set<string>();
  // The search runs inside the WebAssembly, cheaper than a walk of every node.
  for (const identifier of nodes.flatMap((node) => node.descendantsOfType("identifier"))) {
    if (!identifier || holes.some((hole) => identifier.startIndex >= hole.start && identifier.startIndex < hole.end)) continue;
    const parent = identifier.parent;
    const parentType = parent?.type;
    if (parent && parentType === "attribute") {
      const object = parent.childForFieldName("object");
      // `Owner.items`, and `<expr>.Owner.items`.
      const attribute = object?.id === identifier.id
        ? parent.childForFieldName("attribute")
        : parent.parent?.type === "attribute" && parent.parent.childForFieldName("object")?.id === parent.id
          ? parent.parent.childForFieldName("attribute")
          : null;
      if (attribute) attributes.add(JSON.stringify([identifier.text, attribute.text]));
    }
    if (parent && parentType && usedAsValue(identifier, parent, parentType)) values.add(identifier.text);
  }
  return { values: [...values], attributes: [...attributes].map((pair) => JSON.parse(pair) as [string, string]) };
}

/** How the code these references describe reaches one class, by its name. */
function referencesTo(all: readonly References[], name: string): { value: boolean; attributes: string[] } {
  const attributes = new Set<string>();
  for (const references of all) for (const [through, attribute] of references.attributes) if (through === name) attributes.add(attribute);
  return { value: all.some((references) => references.values.includes(name)), attributes: [...attributes].sort() };
}

const MODULE_CLASS_REFERENCES = defineQuery("shared-class-attribute:module-class-references", (model, name) => referencesTo(model.fileFact(REFERENCES), name));

/**
 * How the class is reached: as a value (`return Owner`) and through attributes (`Owner.items`).
 * A class handed around as an object (to a server, a factory's caller) usually gets its instances
 * made elsewhere, and its class attributes are often shared on purpose.
 */
function classReferences(ctx: RuleContext, owner: Node, ownerName: string): { value: boolean; attributes: string[] } {
  const name = owner.childForFieldName("name");
  const binding = name ? ctx.model.binding(name) : undefined;
  if (binding?.kind === "class" && binding.scope === ctx.model.module) return ctx.model.query(MODULE_CLASS_REFERENCES, ownerName);
  // A class nested in a function or class can only be named from inside its own top-level statement,
  // which is this unit, or a class split into units.
  const top = topStatement(owner);
  if (ctx.unit.kind === "statements") return referencesTo([referencesIn([top], [])], ownerName);
  const split = definitionOf(top);
  return referencesTo(split ? ctx.model.classFact(REFERENCES, split).map(({ value }) => value) : [], ownerName);
}

/** An identifier read as a value: not a call's callee, a definition's name, a base class, an attribute's object... */
function usedAsValue(identifier: Node, parent: Node, parentType: string): boolean {
  switch (parentType) {
    case "call":
    case "attribute":
    case "class_definition":
    case "function_definition":
    case "decorator":
    case "keyword_argument":
    case "dotted_name":
    case "aliased_import":
    case "parameters":
    case "default_parameter":
    case "typed_parameter":
    case "typed_default_parameter":
    case "type":
    case "generic_type":
    case "global_statement":
    case "nonlocal_statement":
      return parentType === "keyword_argument" ? (parent.childForFieldName("value")?.equals(identifier) ?? false) : false;
    case "argument_list": {
      // Base classes, and isinstance(x, Owner) / issubclass(...), only inspect the class.
      const call = parent.parent;
      if (call?.type === "class_definition") return false;
      const callee = call?.type === "call" ? call.childForFieldName("function")?.text : undefined;
      return callee !== "isinstance" && callee !== "issubclass" && callee !== "super" && callee !== "type";
    }
    case "assignment":
    case "augmented_assignment":
      return parent.childForFieldName("right")?.equals(identifier) ?? false;
    default:
      return true;
  }
}

/** The statement holding a mutation, when it is a simple one; else the mutation itself. */
function reportedNode(mutation: Node): Node {
  for (let node: Node | null = mutation; node; node = node.parent) {
    if (node.type === "expression_statement" || node.type === "delete_statement" || node.type === "return_statement") return node;
    if (node.type === "block" || node.type.endsWith("_clause") || node.type.endsWith("_statement") || node.type === "lambda") break;
  }
  return mutation;
}

/**
 * Moves `name = value` into `__init__` as `self.name = value` (after its docstring), or replaces
 * it with a new `__init__` when the class has none. Only for classes without bases, decorators
 * or `__slots__`, that no class in the file extends, and when the value uses no name of the
 * class body (methods cannot see those).
 */
function moveToInit(ctx: RuleContext, owner: Node, body: Node, candidate: Candidate): Fix | undefined {
  const ownerName = owner.childForFieldName("name")?.text ?? "";
  const bases = owner.childForFieldName("superclasses")?.namedChildren.filter((child) => child && child.type !== "comment") ?? [];
  if (bases.some((base) => !base || ctx.model.qualifiedName(base) !== "builtins.object")) return undefined;
  if (decoratorsOf(owner).length > 0) return undefined;
  const classNames = new Set<string>();
  for (const statement of body.namedChildren) if (statement) for (const name of boundNames(statement)) classNames.add(name);
  if (classNames.has("__slots__")) return undefined;
  if (referencedNames(candidate.value).some((name) => classNames.has(name))) return undefined;
  if (subclassedInFile(ctx.model, ownerName)) return undefined;

  const { statement } = candidate;
  const startLine = ctx.line(statement.startPosition.row);
  const indent = startLine.slice(0, statement.startPosition.column);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const rest = ctx.line(statement.endPosition.row).slice(statement.endPosition.column);
  const trailing = rest.trim();
  if (trailing !== "" && !trailing.startsWith("#")) return undefined;
  const annotation = candidate.annotation ? `: ${candidate.annotation.text}` : "";
  const valueText = candidate.value.text;
  const title = ctx.t("fix", { name: candidate.name });

  const init = body.namedChildren.find(
    (child) => child?.type === "function_definition" && child.childForFieldName("name")?.text === "__init__",
  );
  const decoratedInit = body.namedChildren.some(
    (child) => child?.type === "decorated_definition" && child.childForFieldName("definition")?.childForFieldName("name")?.text === "__init__",
  );
  if (decoratedInit) return undefined;
  if (!init) {
    const step = indent.includes("\t") ? "\t" : "    ";
    const newText = `def __init__(self):\n${indent}${step}self.${candidate.name}${annotation} = ${valueText}`;
    return { title, edits: [{ range: { start: statement.startPosition, end: statement.endPosition }, newText }], safe: false };
  }
  const receiver = init.childForFieldName("parameters")?.namedChildren.find((child) => child?.type !== "comment");
  // The edit goes into `__init__`'s body, which may be another unit's: a read of the whole class.
  ctx.model.wholeClass(owner);
  const initBody = init.childForFieldName("body");
  if (receiver?.type !== "identifier" || !initBody) return undefined;
  // `def __init__(self): pass` on one line has no body block to insert into.
  if (initBody.startPosition.row === init.startPosition.row) return undefined;
  const statements = initBody.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment");
  const first = statements[0];
  if (!first) return undefined;
  const assignment = `${receiver.text}.${candidate.name}${annotation} = ${valueText}${trailing ? `  ${trailing}` : ""}`;
  const isDocstring = (node: Node) =>
    node.type === "expression_statement" && node.namedChildCount === 1 && ["string", "concatenated_string"].includes(node.namedChild(0)?.type ?? "");
  const bodyIndent = ctx.line(first.startPosition.row).slice(0, first.startPosition.column);
  if (!/^[ \t]*$/.test(bodyIndent)) return undefined;
  let insert: TextEdit;
  if (isDocstring(first)) {
    const next = statements[1];
    if (next) {
      if (next.startPosition.row === first.endPosition.row) return undefined;
      const nextIndent = ctx.line(next.startPosition.row).slice(0, next.startPosition.column);
      if (nextIndent !== bodyIndent) return undefined;
      const at = { row: next.startPosition.row, column: 0 };
      insert = { range: { start: at, end: at }, newText: `${bodyIndent}${assignment}\n` };
    } else {
      const lineEnd = { row: first.endPosition.row, column: ctx.line(first.endPosition.row).replace(/\r$/, "").length };
      insert = { range: { start: lineEnd, end: lineEnd }, newText: `\n${bodyIndent}${assignment}` };
    }
  } else {
    const at = { row: first.startPosition.row, column: 0 };
    insert = { range: { start: at, end: at }, newText: `${bodyIndent}${assignment}\n` };
  }
  // Remove the class-level line(s), trailing comment included (it moved along with the value).
  const removal: TextEdit = {
    range: { start: { row: statement.startPosition.row, column: 0 }, end: { row: statement.endPosition.row + 1, column: 0 } },
    newText: "",
  };
  if (ctx.model.isLastRow(statement.endPosition.row)) return undefined;
  // The class body must keep a statement: `__init__` stays, so it does.
  return { title, edits: [removal, insert], safe: false };
}
