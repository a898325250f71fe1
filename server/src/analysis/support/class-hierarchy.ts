import type { Node } from "web-tree-sitter";
import type { SemanticModel } from "../model/semantic-model";
import { defineFact } from "../model/facts";
import { defineQuery } from "../model/semantic-model";
import { decoratorsOf } from "../model/class-members";
import { referencedNames } from "./syntax";

/**
 * Questions about a class's place among the file's classes: its bases, the classes of this file
 * above it, and whether one below it exists.
 */

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

/** The class a base expression names: `Base` of `Base` and of `Base[T]`. */
function baseTarget(base: Node): Node | null {
  return base.type === "subscript" ? base.childForFieldName("value") : base;
}

function basesOf(classNode: Node): Node[] {
  return (classNode.childForFieldName("superclasses")?.namedChildren ?? []).filter((base): base is Node => base !== null && base.type !== "comment");
}

/**
 * Whether the class (and every base this file defines) is an ordinary class, whose class-level
 * values stay class attributes: no field-declaring base (pydantic, NamedTuple, TypedDict, enums,
 * `type`), no decorator but a few that leave the body alone, no metaclass but `ABCMeta`.
 */
export function plainClass(model: SemanticModel, classNode: Node, seen = new Set<number>()): boolean {
  if (seen.has(classNode.id)) return false;
  seen.add(classNode.id);
  for (const decorator of decoratorsOf(classNode)) {
    const target = decorator.type === "call" ? decorator.childForFieldName("function") : decorator;
    const qualified = target ? model.qualifiedName(target) : undefined;
    if (!qualified || !PLAIN_DECORATORS.has(qualified)) return false;
  }
  for (const base of basesOf(classNode)) {
    if (base.type === "keyword_argument") {
      if (base.childForFieldName("name")?.text !== "metaclass") continue;
      const value = base.childForFieldName("value");
      const qualified = value ? model.qualifiedName(value) : undefined;
      if (!qualified || !PLAIN_METACLASSES.has(qualified)) return false;
      continue;
    }
    const target = baseTarget(base);
    if (!target) return false;
    const qualified = model.qualifiedName(target);
    if (qualified && FIELD_CLASSES.has(qualified)) return false;
    const lastName = target.text.split(".").pop() ?? "";
    if (FIELD_CLASS_NAMES.has(lastName)) return false;
    const local = target.type === "identifier" ? model.localClass(target) : undefined;
    if (local && !plainClass(model, local, seen)) return false;
  }
  return true;
}

/**
 * The ancestors this file defines, when every base is one whose `__init__` can be ruled out as
 * the place that sets an instance's attributes: builtins, a few stdlib frameworks, and classes of
 * this file (checked the same way). Undefined for any other base: a class from elsewhere may set
 * anything on its instances (numpy's FCompiler copies `executables`).
 */
export function localAncestors(model: SemanticModel, classNode: Node, seen = new Set<number>()): Node[] | undefined {
  if (seen.has(classNode.id)) return undefined;
  seen.add(classNode.id);
  const ancestors: Node[] = [];
  for (const base of basesOf(classNode)) {
    if (base.type === "keyword_argument") continue;
    const target = baseTarget(base);
    if (!target) return undefined;
    const qualified = model.qualifiedName(target);
    if (qualified?.startsWith("builtins.") || (qualified && TRANSPARENT_BASES.some((prefix) => qualified.startsWith(prefix)))) continue;
    const local = target.type === "identifier" ? model.localClass(target) : undefined;
    const above = local ? localAncestors(model, local, seen) : undefined;
    if (!local || !above) return undefined;
    ancestors.push(local, ...above);
  }
  return ancestors;
}

/** The names each class of a unit reads in its bases (`Base` of `class C(Base, metaclass=M)`, and `M`), sorted. */
const BASE_NAMES = defineFact("class-hierarchy:base-names", (nodes, unit): string[] => {
  const names = new Set<string>();
  const inHole = (node: Node) => unit.holes.some((hole) => node.startIndex >= hole.start && node.startIndex < hole.end);
  // The search runs inside the WebAssembly, cheaper than a walk of every node.
  for (const classNode of nodes.flatMap((node) => node.descendantsOfType("class_definition"))) {
    if (!classNode || classNode.hasError || inHole(classNode)) continue;
    const bases = classNode.childForFieldName("superclasses");
    if (bases) for (const name of referencedNames(bases)) names.add(name);
  }
  return [...names].sort();
});

const SUBCLASSED = defineQuery("class-hierarchy:subclassed", (model, name) => model.fileFact(BASE_NAMES).some((names) => names.includes(name)));

/** True when some class of the file names `name` among its bases: the class of that name has a subclass here. */
export function subclassedInFile(model: SemanticModel, name: string): boolean {
  return model.query(SUBCLASSED, name);
}
