import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { RuleContext } from "../analysis/rule-context";
import type { Fix, TextEdit } from "../analysis/finding";
import { localBindings } from "../analysis/scopes";
import { mutableKind } from "./mutable-default-argument";

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

/** Bases and decorators whose classes turn class-level values into per-instance fields or members. */
const FIELD_CLASSES = new Set([
  "pydantic.BaseModel",
  "pydantic.main.BaseModel",
  "pydantic.v1.BaseModel",
  "pydantic_settings.BaseSettings",
  "typing.NamedTuple",
  "typing.TypedDict",
  "typing_extensions.NamedTuple",
  "typing_extensions.TypedDict",
  "enum.Enum",
  "enum.IntEnum",
  "enum.StrEnum",
  "enum.Flag",
  "enum.IntFlag",
  "enum.ReprEnum",
  "builtins.type",
]);
/** The same classes when an import cannot be resolved (a relative import, a re-export). */
const FIELD_CLASS_NAMES = new Set(["BaseModel", "BaseSettings", "NamedTuple", "TypedDict", "Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"]);
/** Class decorators that leave the class body alone. Any other decorator (dataclass, attrs...) may not. */
const PLAIN_DECORATORS = new Set(["functools.total_ordering", "typing.final", "typing_extensions.final", "typing.runtime_checkable"]);
const PLAIN_METACLASSES = new Set(["abc.ABCMeta"]);
/** Imported bases whose `__init__` sets only its own, documented attributes. */
const TRANSPARENT_BASES = [
  "abc.ABC",
  "typing.Generic",
  "typing.Protocol",
  "collections.abc.",
  "unittest.TestCase",
  "unittest.IsolatedAsyncioTestCase",
  "threading.Thread",
];
/** Names that announce a deliberately shared object. */
const SHARED_NAMES = /cache|registry|memo|instances/i;
/** Methods whose first parameter is not an instance. */
const NOT_INSTANCE_METHODS = new Set(["__new__", "__init_subclass__", "__class_getitem__"]);

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
  // How the file's module-level classes are reached in this part of it (`return Owner`,
  // `Owner.items`): then a keystroke in another function's body re-checks the classes only when
  // it changes how they are used, and whole-file and incremental analyses agree.
  summarize(ctx) {
    const classes = moduleClassNames(ctx);
    if (classes.size === 0) return "";
    return serializeReferences(classReferencesIn(ctx.topLevelStatements(), classes));
  },
  check(ctx) {
    const findings = [];
    let moduleReferences: FileReferences | undefined;
    // A class nested in a function or class can only be named from inside its own top-level statement.
    const referencesFor = (owner: Node, ownerName: string): FileReferences => {
      if (localBindings(ctx.tree.rootNode).get(ownerName)?.node?.id === owner.id) {
        return (moduleReferences ??= mergeReferences(ctx.summaries()));
      }
      return classReferencesIn([topLevelStatementOf(owner)], new Set([ownerName]));
    };
    for (const owner of ctx.nodes("class_definition")) {
      const body = owner.childForFieldName("body");
      const ownerName = owner.childForFieldName("name")?.text;
      if (!body || !ownerName || !plainClass(ctx, owner, new Set())) continue;
      const candidates = mutableAttributes(ctx, body);
      if (candidates.length === 0) continue;
      const ancestors = localAncestors(ctx, owner, new Set());
      if (!ancestors) continue;
      const names = candidates.map((candidate) => candidate.name);
      const usage = instanceUsage(ctx, body, names);
      // A base class of this file that sets `self.items` in its methods gives each instance its own.
      for (const ancestor of ancestors) {
        const inherited = instanceUsage(ctx, ancestor.childForFieldName("body") ?? ancestor, names);
        for (const name of inherited.assigned) usage.assigned.add(name);
        usage.dynamic ||= inherited.dynamic;
      }
      if (usage.dynamic) continue;
      const references = referencesFor(owner, ownerName);
      if (references.values.has(ownerName)) continue;
      const sharedOnPurpose = classLevelReferences(references, body, ownerName);
      for (const candidate of candidates) {
        if (usage.assigned.has(candidate.name) || sharedOnPurpose.has(candidate.name)) continue;
        if (SHARED_NAMES.test(candidate.name)) continue;
        const mutation = usage.mutations.get(candidate.name);
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
    }
    return findings;
  },
};

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

function decoratorsOf(owner: Node): Node[] {
  const parent = owner.parent;
  if (parent?.type !== "decorated_definition") return [];
  return parent.namedChildren.filter((child): child is Node => child?.type === "decorator");
}

function decoratorTarget(decorator: Node): Node | null {
  let expression = decorator.namedChildren.find((child) => child?.type !== "comment") ?? null;
  if (expression?.type === "call") expression = expression.childForFieldName("function");
  return expression;
}

/** Whether this class (and every base this file defines) is an ordinary class: no field-declaring base, decorator or metaclass. */
function plainClass(ctx: RuleContext, owner: Node, seen: Set<number>): boolean {
  if (seen.has(owner.id)) return false;
  seen.add(owner.id);
  for (const decorator of decoratorsOf(owner)) {
    const target = decoratorTarget(decorator);
    const qualified = target ? ctx.file.qualifiedName(target) : undefined;
    if (!qualified || !PLAIN_DECORATORS.has(qualified)) return false;
  }
  for (const base of owner.childForFieldName("superclasses")?.namedChildren ?? []) {
    if (!base || base.type === "comment") continue;
    if (base.type === "keyword_argument") {
      if (base.childForFieldName("name")?.text !== "metaclass") continue;
      const value = base.childForFieldName("value");
      const qualified = value ? ctx.file.qualifiedName(value) : undefined;
      if (!qualified || !PLAIN_METACLASSES.has(qualified)) return false;
      continue;
    }
    const target = base.type === "subscript" ? base.childForFieldName("value") : base;
    if (!target) return false;
    const qualified = ctx.file.qualifiedName(target);
    if (qualified && FIELD_CLASSES.has(qualified)) return false;
    const lastName = target.text.split(".").pop() ?? "";
    if (FIELD_CLASS_NAMES.has(lastName)) return false;
    const local = target.type === "identifier" ? ctx.file.localClass(target) : undefined;
    if (local && !plainClass(ctx, local, seen)) return false;
  }
  return true;
}

/**
 * The ancestors this file defines, when every base is one whose `__init__` we can rule out as
 * the place that gives each instance its own value: builtins, a few stdlib frameworks, and
 * classes of this file (checked the same way). Undefined for any other base: a base class
 * from elsewhere may well assign `self.items` itself (numpy's FCompiler copies `executables`).
 */
function localAncestors(ctx: RuleContext, owner: Node, seen: Set<number>): Node[] | undefined {
  if (seen.has(owner.id)) return undefined;
  seen.add(owner.id);
  const ancestors: Node[] = [];
  for (const base of owner.childForFieldName("superclasses")?.namedChildren ?? []) {
    if (!base || base.type === "comment" || base.type === "keyword_argument") continue;
    const target = base.type === "subscript" ? base.childForFieldName("value") : base;
    if (!target) return undefined;
    const qualified = ctx.file.qualifiedName(target);
    if (qualified?.startsWith("builtins.") || (qualified && TRANSPARENT_BASES.some((prefix) => qualified.startsWith(prefix)))) continue;
    const local = target.type === "identifier" ? ctx.file.localClass(target) : undefined;
    const above = local ? localAncestors(ctx, local, seen) : undefined;
    if (!local || !above) return undefined;
    ancestors.push(local, ...above);
  }
  return ancestors;
}

/** `name = <mutable value>` statements of the class body, for names the body binds only there. */
function mutableAttributes(ctx: RuleContext, body: Node): Candidate[] {
  const counts = new Map<string, number>();
  const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const candidates: Candidate[] = [];
  for (const statement of body.namedChildren) {
    if (!statement || statement.type === "comment") continue;
    const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
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
      // One list, dict, set, deque... built once, at class creation: what every instance then shares.
      const kind = mutableKind(ctx, value);
      if (!kind) continue;
      candidates.push({ name: left.text, statement, value, annotation, kind });
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
  const visit = (current: Node): void => {
    if (current.type === "function_definition" || current.type === "class_definition") {
      const name = current.childForFieldName("name")?.text;
      if (name) names.push(name);
      return;
    }
    if (current.type === "assignment" || current.type === "augmented_assignment" || current.type === "for_statement") {
      targets(current.childForFieldName("left"));
    }
    for (const child of current.namedChildren) if (child) visit(child);
  };
  visit(node);
  return names;
}

interface InstanceUsage {
  /** Attributes some method assigns through the instance (`self.items = ...`). */
  assigned: Set<string>;
  /** First in-place change of each attribute through the instance. */
  mutations: Map<string, Node>;
  /** `setattr(self, ...)`, `self.__dict__`, `vars(self)`: attributes we cannot see being set. */
  dynamic: boolean;
}

function instanceUsage(ctx: RuleContext, body: Node, names: readonly string[]): InstanceUsage {
  const usage: InstanceUsage = { assigned: new Set(), mutations: new Map(), dynamic: false };
  // Only the candidates' names matter, and the dynamic spellings: a method that mentions none of
  // them (most methods of a big class) has nothing to tell and is not walked.
  const mentions = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${[...names, "setattr", "vars", "__dict__"].join("|")})(?![\\p{L}\\p{N}_])`, "u");
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    const method = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
    if (method?.type !== "function_definition") continue;
    if (NOT_INSTANCE_METHODS.has(method.childForFieldName("name")?.text ?? "")) continue;
    if (statement.type === "decorated_definition" && hasClassOrStaticDecorator(ctx, statement)) continue;
    const receiver = method.childForFieldName("parameters")?.namedChildren.find((child) => child?.type !== "comment");
    if (receiver?.type !== "identifier" || !mentions.test(method.text)) continue;
    scanMethod(method, receiver.text, usage);
  }
  return usage;
}

function hasClassOrStaticDecorator(ctx: RuleContext, decorated: Node): boolean {
  return decorated.namedChildren.some((child) => {
    if (child?.type !== "decorator") return false;
    const target = decoratorTarget(child);
    const qualified = target ? ctx.file.qualifiedName(target) : undefined;
    return qualified === "builtins.classmethod" || qualified === "builtins.staticmethod";
  });
}

/** `self.<name>` -> name, when the node is exactly that. */
function instanceAttribute(node: Node | null, receiver: string): string | undefined {
  if (node?.type !== "attribute") return undefined;
  const object = node.childForFieldName("object");
  if (object?.type !== "identifier" || object.text !== receiver) return undefined;
  return node.childForFieldName("attribute")?.text;
}

function scanMethod(method: Node, receiver: string, usage: InstanceUsage): void {
  const mutate = (name: string | undefined, node: Node) => {
    if (name && !usage.mutations.has(name)) usage.mutations.set(name, node);
  };
  const assignTargets = (target: Node | null): void => {
    if (!target) return;
    const name = instanceAttribute(target, receiver);
    if (name) usage.assigned.add(name);
    else if (target.type !== "attribute" && target.type !== "subscript") for (const child of target.namedChildren) assignTargets(child);
  };
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "class_definition") continue;
      if ((child.type === "function_definition" || child.type === "lambda") && rebinds(child, receiver)) continue;
      switch (child.type) {
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
          if (callee?.type === "identifier" && (callee.text === "setattr" || callee.text === "vars")) usage.dynamic = true;
          break;
        }
        case "attribute":
          if (instanceAttribute(child, receiver) === "__dict__") usage.dynamic = true;
          break;
      }
      visit(child);
    }
  };
  const body = method.childForFieldName("body");
  if (body) visit(body);
}

/** Whether a nested function or lambda takes a parameter with this name (then it is not the instance). */
function rebinds(scope: Node, name: string): boolean {
  const parameters = scope.childForFieldName("parameters");
  if (!parameters) return false;
  return parameters.namedChildren.some((parameter) => {
    if (!parameter) return false;
    if (parameter.type === "identifier") return parameter.text === name;
    const inner = parameter.childForFieldName("name") ?? parameter.namedChild(0);
    return inner?.text === name;
  });
}

interface FileReferences {
  /** For every name `X` used as `X.attr` or `<expr>.X.attr`, the attributes read through it. */
  attributes: Map<string, Set<string>>;
  /** Names used as plain values (`return Handler`, `serve(Handler)`): classes handed around as objects. */
  values: Set<string>;
}

/**
 * How these classes are reached in some statements: as values (`return Owner`) and through
 * attributes (`Owner.items`). A class handed around as an object (to a server, a factory's
 * caller) usually gets its instances made elsewhere, and its class attributes are often shared on
 * purpose. Only where the text mentions one of the names is the tree looked at.
 */
function classReferencesIn(statements: readonly Node[], classes: ReadonlySet<string>): FileReferences {
  const references: FileReferences = { attributes: new Map(), values: new Set() };
  if (classes.size === 0) return references;
  const addAttribute = (through: string, attribute: Node | null) => {
    if (!attribute) return;
    let names = references.attributes.get(through);
    if (!names) references.attributes.set(through, (names = new Set()));
    names.add(attribute.text);
  };
  // Identifiers may be any Unicode letters, which `\b` does not know. Each mention in the text
  // is looked up in the tree (one node each), rather than every identifier of the statement.
  const mentions = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${[...classes].join("|")})(?![\\p{L}\\p{N}_])`, "gu");
  for (const statement of statements) {
    for (const match of statement.text.matchAll(mentions)) {
      const start = statement.startIndex + (match.index ?? 0);
      const identifier = statement.descendantForIndex(start, start + match[0].length);
      // A mention in a string or a comment is no reference.
      if (identifier?.type !== "identifier" || identifier.text !== match[0]) continue;
      const parent = identifier.parent;
      if (parent?.type === "attribute") {
        const object = parent.childForFieldName("object");
        // `Owner.items`, and `<expr>.Owner.items`.
        if (object?.id === identifier.id) addAttribute(identifier.text, parent.childForFieldName("attribute"));
        else if (parent.parent?.type === "attribute" && parent.parent.childForFieldName("object")?.id === parent.id) {
          addAttribute(identifier.text, parent.parent.childForFieldName("attribute"));
        }
      }
      if (usedAsValue(identifier)) references.values.add(identifier.text);
    }
  }
  return references;
}

/** Statements whose blocks still belong to the module's scope: a class defined in them is a module-level name. */
const MODULE_SCOPE_BLOCKS = new Set([
  "block", "if_statement", "elif_clause", "else_clause", "try_statement", "except_clause", "except_group_clause",
  "finally_clause", "with_statement", "for_statement", "while_statement", "match_statement", "case_clause", "ERROR",
]);

/**
 * The names of the classes defined in the module's own scope (under `if`, `try` and the like
 * too): at least every name `localBindings` gives the kind "class". Statements only, with a
 * cursor: a keystroke must not pay for a walk of every expression of the file.
 */
function moduleClassNames(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  const cursor = ctx.tree.rootNode.walk();
  const visitChildren = (): void => {
    if (!cursor.gotoFirstChild()) return;
    do {
      const type = cursor.nodeType;
      if (type === "class_definition" || type === "decorated_definition") {
        const node = cursor.currentNode;
        const definition = type === "decorated_definition" ? node.childForFieldName("definition") : node;
        const name = definition?.type === "class_definition" ? definition.childForFieldName("name")?.text : undefined;
        if (name) names.add(name);
      } else if (MODULE_SCOPE_BLOCKS.has(type)) {
        visitChildren();
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };
  try {
    visitChildren();
  } finally {
    cursor.delete();
  }
  return names;
}

/** `v Name` for a name used as a value, `a Name attr` for `Name.attr`: one per line, sorted. */
function serializeReferences(references: FileReferences): string {
  const lines = [...references.values].map((name) => `v ${name}`);
  for (const [through, attributes] of references.attributes) for (const attribute of attributes) lines.push(`a ${through} ${attribute}`);
  return lines.sort().join("\n");
}

function mergeReferences(summaries: readonly string[]): FileReferences {
  const references: FileReferences = { attributes: new Map(), values: new Set() };
  for (const summary of summaries) {
    for (const line of summary.split("\n")) {
      const [kind, name, attribute] = line.split(" ");
      if (kind === "v" && name) references.values.add(name);
      else if (kind === "a" && name && attribute) {
        let names = references.attributes.get(name);
        if (!names) references.attributes.set(name, (names = new Set()));
        names.add(attribute);
      }
    }
  }
  return references;
}

function topLevelStatementOf(node: Node): Node {
  let current = node;
  while (current.parent && current.parent.type !== "module") current = current.parent;
  return current;
}

/** An identifier read as a value: not a call's callee, a definition's name, a base class, an attribute's object... */
function usedAsValue(identifier: Node): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  switch (parent.type) {
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
      return parent.type === "keyword_argument" ? (parent.childForFieldName("value")?.equals(identifier) ?? false) : false;
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

/**
 * Attributes reached through the class itself: `Owner.items` (or `self.Owner.items`) anywhere in the file, or
 * `cls.items`, `type(self).items`, `self.__class__.items` in the class. Sharing is deliberate there.
 */
function classLevelReferences(references: FileReferences, body: Node, ownerName: string): Set<string> {
  const names = new Set(references.attributes.get(ownerName) ?? []);
  const visit = (node: Node): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === "attribute") {
        const object = child.childForFieldName("object");
        const attribute = child.childForFieldName("attribute")?.text;
        const viaClass =
          (object?.type === "identifier" && object.text === "cls") ||
          (object?.type === "call" && object.childForFieldName("function")?.text === "type") ||
          (object?.type === "attribute" && object.childForFieldName("attribute")?.text === "__class__");
        if (viaClass && attribute) names.add(attribute);
      }
      visit(child);
    }
  };
  visit(body);
  return names;
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
  if (bases.some((base) => !base || ctx.file.qualifiedName(base) !== "builtins.object")) return undefined;
  if (decoratorsOf(owner).length > 0) return undefined;
  const classNames = new Set<string>();
  for (const statement of body.namedChildren) if (statement) for (const name of boundNames(statement)) classNames.add(name);
  if (classNames.has("__slots__")) return undefined;
  if (identifiersIn(candidate.value).some((name) => classNames.has(name))) return undefined;
  if (subclassedInFile(ctx, ownerName)) return undefined;

  const lines = ctx.text.split("\n");
  const { statement } = candidate;
  const startLine = lines[statement.startPosition.row] ?? "";
  const indent = startLine.slice(0, statement.startPosition.column);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const rest = (lines[statement.endPosition.row] ?? "").slice(statement.endPosition.column);
  const trailing = rest.trim();
  if (trailing !== "" && !trailing.startsWith("#")) return undefined;
  const annotation = candidate.annotation ? `: ${candidate.annotation.text}` : "";
  const valueText = ctx.text.slice(candidate.value.startIndex, candidate.value.endIndex);
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
  const bodyIndent = (lines[first.startPosition.row] ?? "").slice(0, first.startPosition.column);
  if (!/^[ \t]*$/.test(bodyIndent)) return undefined;
  let insert: TextEdit;
  if (isDocstring(first)) {
    const next = statements[1];
    if (next) {
      if (next.startPosition.row === first.endPosition.row) return undefined;
      const nextIndent = (lines[next.startPosition.row] ?? "").slice(0, next.startPosition.column);
      if (nextIndent !== bodyIndent) return undefined;
      const at = { row: next.startPosition.row, column: 0 };
      insert = { range: { start: at, end: at }, newText: `${bodyIndent}${assignment}\n` };
    } else {
      const lineEnd = { row: first.endPosition.row, column: (lines[first.endPosition.row] ?? "").replace(/\r$/, "").length };
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
  if (statement.endPosition.row + 1 >= lines.length) return undefined;
  // The class body must keep a statement: `__init__` stays, so it does.
  return { title, edits: [removal, insert], safe: false };
}

function identifiersIn(node: Node): string[] {
  const names: string[] = [];
  const visit = (current: Node): void => {
    if (current.type === "identifier") {
      const parent = current.parent;
      const isAttributeName = parent?.type === "attribute" && parent.childForFieldName("attribute")?.equals(current);
      const isKeyword = parent?.type === "keyword_argument" && parent.childForFieldName("name")?.equals(current);
      if (!isAttributeName && !isKeyword) names.push(current.text);
    }
    for (const child of current.namedChildren) if (child) visit(child);
  };
  visit(node);
  return names;
}

function subclassedInFile(ctx: RuleContext, ownerName: string): boolean {
  return ctx
    .nodes("class_definition")
    .some((other) => (other.childForFieldName("superclasses")?.namedChildren ?? []).some((base) => base !== null && identifiersIn(base).includes(ownerName)));
}
