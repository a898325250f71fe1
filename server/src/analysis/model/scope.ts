import type { Node } from "web-tree-sitter";

/** Python's kinds of scope. A comprehension (and a generator expression) has one of its own. */
export type ScopeKind = "module" | "class" | "function" | "lambda" | "comprehension";

/** How a name gets bound. `global` and `nonlocal` declare where a name lives rather than bind it. */
export type BindingKind =
  | "parameter"
  | "assignment"
  | "augmented-assignment"
  | "annotation"
  | "import"
  | "function"
  | "class"
  | "for-target"
  | "with-target"
  | "except-target"
  | "named-expression"
  | "comprehension-target"
  | "match-capture"
  | "deletion";

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The identifier (or, for `def`, `class` and imports, the statement) that binds it. */
  site: Node;
  /** For `import` bindings, what the name means: `import numpy as np` binds np -> numpy. */
  qualified?: string;
}

/** How code uses a name. A call's callee is `call`; `x` in `x.y` is `attribute-base`; `for _ in x` iterates x. */
export type ReferenceKind = "load" | "store" | "delete" | "call" | "attribute-base" | "iteration";

export interface Reference {
  name: string;
  kind: ReferenceKind;
  node: Node;
}

/**
 * One scope of a unit: its bindings and references. The module's scope is shared by every unit;
 * its bindings there come from every unit's facts (see `module-facts.ts`), folded, so no unit
 * walks another.
 */
export class Scope {
  readonly children: Scope[] = [];
  readonly references: Reference[] = [];
  /** Every binding of each name in this scope, in source order. */
  private readonly byName = new Map<string, Binding[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();

  constructor(
    readonly kind: ScopeKind,
    /** The module, `class_definition`, `function_definition`, `lambda` or comprehension node. */
    readonly node: Node,
    readonly parent: Scope | undefined,
  ) {
    parent?.children.push(this);
  }

  bind(binding: Binding): void {
    let list = this.byName.get(binding.name);
    if (!list) this.byName.set(binding.name, (list = []));
    list.push(binding);
  }

  /** The bindings of `name` in this very scope (not its parents), in source order; empty when it binds none. */
  bindingsOf(name: string): readonly Binding[] {
    if (this.globals.has(name) || this.nonlocals.has(name)) return [];
    return this.byName.get(name) ?? [];
  }

  binds(name: string): boolean {
    return this.bindingsOf(name).length > 0;
  }

  /** The names this scope binds itself. */
  names(): string[] {
    return [...this.byName.keys()].filter((name) => !this.globals.has(name) && !this.nonlocals.has(name));
  }
}

/**
 * The module's scope: its bindings are folded from every unit's facts by the semantic model, which
 * answers for them (and notes the read), instead of being added by a walk.
 */
export class ModuleScope extends Scope {
  constructor(
    node: Node,
    private readonly lookup: (name: string) => readonly Binding[],
    private readonly allNames: () => string[],
  ) {
    super("module", node, undefined);
  }

  override bindingsOf(name: string): readonly Binding[] {
    return this.lookup(name);
  }

  override names(): string[] {
    return this.allNames();
  }
}

export const SCOPE_NODE_KINDS: Readonly<Record<string, ScopeKind>> = {
  function_definition: "function",
  lambda: "lambda",
  class_definition: "class",
  list_comprehension: "comprehension",
  set_comprehension: "comprehension",
  dictionary_comprehension: "comprehension",
  generator_expression: "comprehension",
};
