import type { Node, Tree } from "web-tree-sitter";
import { BUILTIN_NAMES } from "../builtin-names";
import { ownsRow, unitAtRow, type Unit } from "../engine/units";
import { factNamed, type UnitFact } from "./facts";
import { ReadLog } from "./reads";
import { ModuleScope, Scope, type Binding, type BindingKind } from "./scope";
import type { FoldedBinding, ModuleBind, ModuleFold } from "./module-fold";
import { buildScopes, runsInside } from "./scope-builder";
import { queryNamed, type QueryDefinition, type QueryRecord } from "./queries";
import { MODULE_BINDS, MODULE_BINDS_FACT, UNIT_IMPORTS_FACT } from "./unit-facts";
import { classMembersOf, methodKindOf, type ClassMember, type MethodKind } from "./class-members";

/** What a unit keeps between analyses that the model reads: its facts, by fact name. */
export interface UnitStore {
  facts: Map<string, unknown>;
  /**
   * A number no other record of this cache has: a record is reused only for the same text, so a
   * fingerprint built from serials changes exactly when the text it stands for does (or when the
   * unit has syntax errors, whose records are never reused).
   */
  serial: number;
}

/** How a name is bound where it is used, summed up: what most rules want to know. */
export interface NameBinding {
  name: string;
  /** A name bound twice in different ways (a class, then an assignment) counts as an assignment. */
  kind: "parameter" | "assignment" | "class" | "function" | "import";
  scope: Scope;
  /** Every binding of the name in that scope. */
  bindings: readonly Binding[];
  /** The `def` or `class` node, for a name bound once by one of those. */
  readonly definition: Node | undefined;
  /** For an import: what it means (`numpy` for `np`). */
  qualified?: string;
}

/** Where a node sits: the function and class around it, and what kind of method that function is. */
export interface Owner {
  /** The innermost `def` around the node (lambdas do not count). */
  function?: Node;
  /** The innermost class around the node. */
  class?: Node;
  /** When `function` is defined directly in a class body: that class, and how the method is bound. */
  method?: { class: Node; kind: MethodKind };
}


/**
 * One semantic model per analysis, shared by every rule: the scopes of each unit (built when a rule
 * first asks), the module's bindings folded from every unit's facts, qualified names through
 * imports, owners and class members. Rules use it through `RuleContext.model`.
 *
 * Whenever an answer depends on another unit than the one being analysed, the model notes a read
 * in the current `ReadLog` (see `reads.ts`), which is how the engine knows when a unit's findings
 * can be reused: no rule writes a cache key of its own.
 */
export class SemanticModel {
  readonly module: Scope;
  private readonly scopes = new Map<number, Scope>();
  private readonly built = new Set<number>();
  /** Each name's module-level bindings in file order, looked up once per analysis. */
  private readonly foldedMemo = new Map<string, FoldedBinding[]>();
  private readonly indexOfStore: Map<UnitStore, number>;
  /** Names whose module-level bindings changed since the last analysis of this document. */
  readonly changedNames: ReadonlySet<string>;
  private readonly fingerprints = new Map<string, string>();
  private readonly queriesDone = new Map<string, QueryRecord>();
  private log: ReadLog | undefined;
  private current: Unit | undefined;
  private readonly logs: { log: ReadLog | undefined; unit: Unit | undefined }[] = [];

  constructor(
    readonly tree: Tree,
    readonly text: string,
    /** Where each row starts in `text`. */
    private readonly lineStarts: readonly number[],
    readonly units: readonly Unit[],
    private readonly stores: readonly UnitStore[],
    /** Queries' values from earlier analyses, reused while their reads still hold. */
    private readonly queryCache: Map<string, QueryRecord>,
    /** The module's bindings as the last analysis left them; brought up to date here. */
    private readonly fold: ModuleFold<UnitStore>,
    /** What changed since then: the units whose records are new, and the records that went. */
    changes: { fresh: readonly number[]; dropped: readonly UnitStore[] },
  ) {
    this.module = new ModuleScope(
      tree.rootNode,
      (name) => this.moduleBindings(name),
      () => {
        this.note("module-names");
        return [...this.fold.names()];
      },
    );
    this.indexOfStore = new Map(stores.map((store, index) => [store, index]));
    const removed = changes.dropped.map((store) => ({ store, binds: (store.facts.get(MODULE_BINDS) as ModuleBind[] | undefined) ?? [] }));
    const added = changes.fresh.map((index) => ({ store: stores[index], binds: this.fact(units[index], MODULE_BINDS_FACT) }));
    this.changedNames = fold.update(removed, added);
  }

  /** A name's module-level bindings, in file order. */
  private folded(name: string): FoldedBinding[] {
    let entries = this.foldedMemo.get(name);
    if (!entries) this.foldedMemo.set(name, (entries = this.fold.get(name, this.indexOfStore)));
    return entries;
  }

  // ---- The engine's side -------------------------------------------------------------------

  /** Runs `body` with reads noted in `log` on behalf of `unit`. */
  reading<T>(unit: Unit | undefined, log: ReadLog | undefined, body: () => T): T {
    this.logs.push({ log: this.log, unit: this.current });
    this.log = log;
    this.current = unit;
    try {
      return body();
    } finally {
      const previous = this.logs.pop();
      this.log = previous?.log;
      this.current = previous?.unit;
    }
  }

  /** The queries this analysis ran or found still valid, for the engine to file their reads. */
  queriesRun(): IterableIterator<QueryRecord> {
    return this.queriesDone.values();
  }

  /** The fingerprint a read key has in this analysis, as seen from `unit` (see `reads.ts`). */
  fingerprint(key: string, unit: Unit): string {
    const memoKey = key.startsWith("class-") ? `${key}\u0000${this.classUnit(unit)?.index ?? -1}` : key;
    let value = this.fingerprints.get(memoKey);
    if (value === undefined) {
      value = this.reading(unit, undefined, () => this.evaluate(key, unit));
      this.fingerprints.set(memoKey, value);
    }
    return value;
  }

  private evaluate(key: string, unit: Unit): string {
    const colon = key.indexOf(":");
    const kind = colon === -1 ? key : key.slice(0, colon);
    const argument = colon === -1 ? "" : key.slice(colon + 1);
    switch (kind) {
      case "name":
        return this.nameFingerprint(argument);
      case "def": {
        const entries = this.folded(argument);
        const [only] = entries;
        return entries.length === 1 && (only.kind === "function" || only.kind === "class") ? `${this.serials(this.units[only.unit])}#${only.nth}` : "";
      }
      case "sites":
        return this.folded(argument)
          .map((entry) => `${this.serials(this.units[entry.unit])}#${entry.nth}`)
          .join(",");
      case "members": {
        // A class with syntax errors may list other members next time for the same text.
        const unstable = this.folded(argument).find((entry) => !this.units[entry.unit].stable);
        return `${membersFingerprint(this.moduleDefinition(argument))}${unstable ? `#${this.serials(this.units[unstable.unit])}` : ""}`;
      }
      case "fold":
        return this.units.map((each) => this.factPrint(each, argument)).join("\u0001");
      case "class-fold": {
        const owner = this.classUnit(unit);
        return owner ? [owner, ...(owner.methods ?? [])].map((each) => this.factPrint(each, argument)).join("\u0001") : "";
      }
      case "class-text": {
        const owner = this.classUnit(unit);
        return owner ? this.serials(owner) : "";
      }
      case "newline":
        return this.newlineNow();
      case "module-names":
        return [...this.fold.names()].sort().join(",");
      case "imports":
        return JSON.stringify([...this.importsNow()]);
      case "q": {
        const record = this.runQuery(argument);
        return record ? record.fingerprint : "";
      }
    }
    return "\u0000unknown";
  }

  /** What stands for a unit's whole text: its record's serial, and a class's methods' too. */
  private serials(unit: Unit): string {
    const all = unit.kind === "class" ? [unit, ...(unit.methods ?? [])] : [unit];
    return all.map((each) => this.store(each).serial).join(".");
  }

  /** A unit's fact as text, kept with the unit: a fold's fingerprint joins these. */
  private factPrint(unit: Unit, name: string): string {
    const facts = this.store(unit).facts;
    const key = `print\u0000${name}`;
    let print = facts.get(key) as string | undefined;
    if (print === undefined) facts.set(key, (print = JSON.stringify(this.factByName(unit, name)) ?? ""));
    return print;
  }

  private factByName(unit: Unit, name: string): unknown {
    const fact = factNamed(name);
    return fact ? this.fact(unit, fact) : undefined;
  }

  // ---- Reads ------------------------------------------------------------------------------

  private note(key: string): void {
    if (!this.log || !this.current || this.log.reads.has(key)) return;
    this.log.note(key, this.fingerprint(key, this.current));
  }

  /** Marks what is being computed as not reusable: it read something no key can name. */
  volatile(): void {
    if (this.log) this.log.volatile = true;
  }

  // ---- Units and facts ----------------------------------------------------------------------

  unitOf(node: Node): Unit | undefined {
    const unit = unitAtRow(this.units, node.startPosition.row);
    if (unit?.kind === "class") {
      // A node inside a method's bytes belongs to that method even on a shared row.
      for (const method of unit.methods ?? []) {
        const [first] = method.nodes;
        if (first && node.startIndex >= first.startIndex && node.startIndex < first.endIndex) return method;
      }
    }
    return unit;
  }

  private store(unit: Unit): UnitStore {
    return this.stores[unit.index];
  }

  /** A unit's value of a fact: computed from its nodes once per unit text, then kept. */
  fact<T>(unit: Unit, fact: UnitFact<T>): T {
    const facts = this.store(unit).facts;
    if (facts.has(fact.name)) return facts.get(fact.name) as T;
    const value = fact.extract(unit.nodes, { kind: unit.kind, holes: unit.holes ?? [] });
    facts.set(fact.name, value);
    return value;
  }

  /** Every unit's value of a fact, in file order (a read of the whole file's facts of that kind). */
  fileFact<T>(fact: UnitFact<T>): T[] {
    this.note(`fold:${fact.name}`);
    return this.units.map((unit) => this.fact(unit, fact));
  }

  /**
   * The values of a fact for the innermost class around `node` (or `node` itself, a class): for
   * a top-level class split into units, the class unit's and each method's, class first (a read of
   * that fold); for any other class, one value computed from the whole class statement now.
   */
  classFact<T>(fact: UnitFact<T>, node: Node): { unit: Unit; value: T }[] {
    let classNode: Node | null = node;
    while (classNode && classNode.type !== "class_definition") classNode = classNode.parent;
    const unit = classNode && this.unitOf(classNode);
    if (!classNode || !unit) return [];
    const owner = unit && this.classUnit(unit);
    if (owner && classDefinitionOf(owner.nodes[0])?.equals(classNode)) {
      if (this.current && this.classUnit(this.current) === owner) this.note(`class-fold:${fact.name}`);
      else this.volatile();
      return [owner, ...(owner.methods ?? [])].map((each) => ({ unit: each, value: this.fact(each, fact) }));
    }
    // A class inside one unit: reading it is reading that unit, the current one or not.
    const current = this.current;
    if (!current || !current.nodes.some((top) => classNode.startIndex >= top.startIndex && classNode.endIndex <= top.endIndex)) this.volatile();
    const statement = classNode.parent?.type === "decorated_definition" ? classNode.parent : classNode;
    return [{ unit, value: fact.extract([statement], { kind: "statements", holes: [] }) }];
  }

  private classUnit(unit: Unit): Unit | undefined {
    return unit.kind === "class" ? unit : unit.owner;
  }

  /** The file's newline: "\r\n" when it uses any, else "\n" (fixes write new lines with it). */
  get newline(): string {
    this.note("newline");
    return this.newlineNow();
  }

  private newlineNow(): string {
    return this.text.includes("\r\n") ? "\r\n" : "\n";
  }

  /**
   * The module's top-level statements, for the rare fix that must see them all (where to put an
   * import, which statements a guard must cover). What depends on them is made afresh every time.
   */
  moduleStatements(): Node[] {
    this.volatile();
    return this.tree.rootNode.namedChildren.filter((node): node is Node => node !== null);
  }

  /**
   * Whether a row is the file's last. Rows inside the current unit answer from the unit itself;
   * the unit's last row depends on what follows it, so asking about that one is volatile.
   */
  isLastRow(row: number): boolean {
    const unit = this.current;
    if (!unit || row + 1 >= unit.endRow || !ownsRow(unit, row + 1)) this.volatile();
    return row + 1 >= this.lineStarts.length;
  }

  /**
   * A row's text up to its "\n" (a CRLF file's rows keep their "\r", as tree-sitter's columns
   * do); a row the current unit does not own makes the result volatile.
   */
  lineText(row: number): string {
    if (!this.current || !ownsRow(this.current, row)) this.volatile();
    const start = this.lineStarts[row];
    if (start === undefined) return "";
    const next = this.lineStarts[row + 1];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }

  /**
   * A class in full, its methods' bodies included, for a rule that must read all of it (say,
   * how every method uses an attribute). When the class's methods are units of their own this is
   * a read of the class's whole text: prefer a fact and `classFact` where one will do.
   */
  wholeClass(classNode: Node): Node {
    const unit = this.current;
    const owner = unit && this.classUnit(unit);
    const top = classDefinitionOf(owner?.nodes[0]);
    if (unit && top && classNode.startIndex >= top.startIndex && classNode.endIndex <= top.endIndex) this.note("class-text");
    else if (unit && !unit.nodes.some((node) => classNode.startIndex >= node.startIndex && classNode.endIndex <= node.endIndex)) this.volatile();
    return classNode;
  }

  // ---- Scopes ------------------------------------------------------------------------------

  /** The scopes a unit opens, in the order its walk met them. */
  private unitScopes(unit: Unit): Scope[] {
    let list = this.scopesByUnit.get(unit.index);
    if (!list) this.scopesByUnit.set(unit.index, (list = []));
    return list;
  }

  private readonly scopesByUnit = new Map<number, Scope[]>();

  /** Builds a unit's scopes (once per analysis), and its class's first for a method. */
  private ensureScopes(unit: Unit): void {
    if (this.built.has(unit.index)) return;
    this.built.add(unit.index);
    if (unit.kind === "method" && unit.owner) {
      this.ensureScopes(unit.owner);
      const classNode = classDefinitionOf(unit.owner.nodes[0]);
      const classScope = classNode ? this.scopes.get(classNode.id) : undefined;
      buildScopes(unit.nodes, classScope ?? this.module, { bindInStart: false, scopes: this.scopes, built: this.unitScopes(unit) });
      return;
    }
    const skip = new Set((unit.holes ?? []).map((hole) => hole.start));
    buildScopes(unit.nodes, this.module, { bindInStart: false, skip, scopes: this.scopes, built: this.unitScopes(unit) });
  }

  /** The scope a node's code runs in: a `def`'s defaults and decorators run in the enclosing one. */
  scopeOf(node: Node): Scope {
    const unit = this.unitOf(node);
    if (unit) this.ensureScopes(unit);
    let child = node;
    for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
      const scope = this.scopes.get(parent.id);
      if (scope && runsInside(parent, child, node)) return scope;
    }
    return this.module;
  }

  /** The scope a `def`, `class`, `lambda` or comprehension node opens. */
  scopeFor(node: Node): Scope | undefined {
    const unit = this.unitOf(node);
    if (unit) this.ensureScopes(unit);
    return node.type === "module" ? this.module : this.scopes.get(node.id);
  }

  /** Every scope the unit around `node` opens, outermost first. */
  scopesIn(node: Node): Scope[] {
    const unit = this.unitOf(node);
    if (!unit) return [];
    this.ensureScopes(unit);
    const found: Scope[] = [];
    for (const scope of this.unitScopes(unit)) {
      const start = scope.node.startIndex;
      if (start >= node.startIndex && start < node.endIndex) found.push(scope);
    }
    return found;
  }

  /**
   * Which scope binds the name an identifier uses, by Python's rules: the innermost function-like
   * scope that binds it, skipping class bodies seen from inside their methods, then the module.
   * Undefined when nothing in the file binds it (a builtin, or a name Python cannot find).
   */
  resolve(identifier: Node): { scope: Scope; bindings: readonly Binding[] } | undefined {
    return this.resolveName(identifier.text, identifier);
  }

  /** How `name` would resolve if code at `at` used it (see `resolve`). */
  resolveName(name: string, at: Node): { scope: Scope; bindings: readonly Binding[] } | undefined {
    const start = this.scopeOf(at);
    for (let scope: Scope | undefined = start; scope; scope = scope.parent) {
      if (scope.kind === "module") break;
      if (scope.globals.has(name)) break;
      if (scope.kind === "class" && scope !== start) continue;
      const bindings = scope.bindingsOf(name);
      if (bindings.length > 0) return { scope, bindings };
    }
    const bindings = this.moduleBindings(name);
    return bindings.length > 0 ? { scope: this.module, bindings } : undefined;
  }

  /** The module-level bindings of a name, from every unit (a read of how the module binds it). */
  moduleBindings(name: string): Binding[] {
    this.note(`name:${name}`);
    const entries = this.folded(name);
    if (entries.length === 0) return [];
    // The node lies in another unit (or may): reading it is a read of the units that bind the name.
    const siteOf = (kind: BindingKind, unit: number, nth: number): Node => {
      this.note(`sites:${name}`);
      return this.moduleSite(name, kind, unit, nth) ?? this.tree.rootNode;
    };
    return entries.map(({ kind, qualified, unit, nth }) => {
      const binding: Binding = {
        name,
        kind,
        get site(): Node {
          return siteOf(kind, unit, nth);
        },
      };
      if (qualified !== null) binding.qualified = qualified;
      return binding;
    });
  }

  private moduleSite(name: string, kind: BindingKind, unitIndex: number, nth: number): Node | undefined {
    const unit = this.units[unitIndex];
    // The usual case, a top-level `def` or `class` bound once in its unit, without a walk.
    const once = this.folded(name).filter((entry) => entry.unit === unitIndex).length === 1;
    if (once && (kind === "function" || kind === "class")) {
      for (const node of unit.nodes) {
        const definition = node.type === "decorated_definition" ? node.childForFieldName("definition") : node;
        const type = kind === "class" ? "class_definition" : "function_definition";
        if (definition?.type === type && definition.childForFieldName("name")?.text === name) return definition;
      }
    }
    let scratch = this.unitBindings.get(unitIndex);
    if (!scratch) {
      scratch = new Scope("module", this.tree.rootNode, undefined);
      const skip = new Set((unit.holes ?? []).map((hole) => hole.start));
      buildScopes(unit.nodes, scratch, { bindInStart: true, skip, scopes: new Map(), shallow: true });
      this.unitBindings.set(unitIndex, scratch);
    }
    return scratch.bindingsOf(name)[nth]?.site;
  }

  /** Each unit's own module-level bindings with their nodes, walked when a binding's node is asked for. */
  private readonly unitBindings = new Map<number, Scope>();

  private nameFingerprint(name: string): string {
    return this.folded(name)
      .map((each) => `${each.kind}=${each.qualified ?? ""}`)
      .join(",");
  }

  /** The `def` or `class` node a module-level name is bound to, when bound once and that way. */
  private moduleDefinition(name: string): Node | undefined {
    const entries = this.folded(name);
    if (entries.length !== 1) return undefined;
    const [only] = entries;
    if (only.kind !== "function" && only.kind !== "class") return undefined;
    return this.moduleSite(name, only.kind, only.unit, only.nth);
  }

  /** How a name is bound where `identifier` uses it (see `NameBinding`); undefined for imports-only or unbound names. */
  binding(identifier: Node): NameBinding | undefined {
    if (identifier.type !== "identifier") return undefined;
    const resolved = this.resolve(identifier);
    if (!resolved) return undefined;
    const summary = this.summed(identifier.text, resolved.scope, resolved.bindings);
    return summary.kind === "import" ? undefined : summary;
  }

  /** Like `binding`, but imports count too (`kind: "import"`, with `qualified`). */
  bindingOrImport(identifier: Node): NameBinding | undefined {
    if (identifier.type !== "identifier") return undefined;
    const resolved = this.resolve(identifier);
    return resolved ? this.summed(identifier.text, resolved.scope, resolved.bindings) : undefined;
  }

  private summed(name: string, scope: Scope, bindings: readonly Binding[]): NameBinding {
    const imported = bindings.find((binding) => binding.kind === "import");
    if (imported) {
      const summary: NameBinding = { name, kind: "import", scope, bindings, definition: undefined };
      if (imported.qualified !== undefined) summary.qualified = imported.qualified;
      return summary;
    }
    const [first] = bindings;
    const kind = bindings.length === 1 ? simpleKind(first.kind) : "assignment";
    const definitionOf = (): Node | undefined => {
      if (kind !== "function" && kind !== "class") return undefined;
      if (scope !== this.module) return first.site;
      this.note(`def:${name}`);
      return this.moduleDefinition(name);
    };
    return {
      name,
      kind,
      scope,
      bindings,
      get definition(): Node | undefined {
        return definitionOf();
      },
    };
  }

  /** The scope that binds the name an identifier uses (see `resolve`), imports aside: undefined for them. */
  bindingScope(identifier: Node): Scope | undefined {
    return this.binding(identifier)?.scope;
  }

  /**
   * The qualified name an expression refers to (`aiohttp.ClientSession`, `builtins.open`), or
   * undefined when it is a local name, unknown, or not a plain name or attribute chain.
   */
  qualifiedName(node: Node): string | undefined {
    if (node.type === "identifier") {
      const resolved = this.resolve(node);
      if (!resolved) return BUILTIN_NAMES.has(node.text) ? `builtins.${node.text}` : undefined;
      const imported = resolved.bindings.find((binding) => binding.kind === "import");
      return imported?.qualified;
    }
    if (node.type === "attribute") {
      const object = node.childForFieldName("object");
      const attribute = node.childForFieldName("attribute");
      if (!object || !attribute) return undefined;
      const base = this.qualifiedName(object);
      return base && !base.startsWith("builtins.") ? `${base}.${attribute.text}` : undefined;
    }
    return undefined;
  }

  /** True when `builtins.name` is what `name` means at module level (nothing there shadows it). */
  builtinVisible(name: string): boolean {
    return BUILTIN_NAMES.has(name) && this.moduleBindings(name).length === 0;
  }

  /** The module-level imports: local name -> qualified name, in source order (a read of all of them). */
  moduleImports(): Map<string, string> {
    this.note("imports");
    return this.importsNow();
  }

  private importsMemo: Map<string, string> | undefined;

  private importsNow(): Map<string, string> {
    if (this.importsMemo) return this.importsMemo;
    const imports = new Map<string, string>();
    const names = [...this.fold.importNames()].map((name) => ({ name, entries: this.folded(name) }));
    // Source order, as a walk of the module would meet them.
    const order = (entries: FoldedBinding[]) => entries.find((each) => each.kind === "import")?.unit ?? -1;
    names.sort((a, b) => order(a.entries) - order(b.entries));
    for (const { name, entries } of names) {
      for (const each of entries) if (each.kind === "import" && each.qualified !== null) imports.set(name, each.qualified);
    }
    return (this.importsMemo = imports);
  }

  /**
   * True when the module imports one of these modules (or something from them), or the unit being
   * analysed does in a function: names resolve to, say, `requests.get` only through an import.
   */
  importsAny(modules: readonly string[]): boolean {
    const matches = (qualified: string) => modules.some((module) => qualified === module || qualified.startsWith(`${module}.`));
    for (const qualified of this.moduleImports().values()) if (matches(qualified)) return true;
    const unit = this.current;
    return unit !== undefined && this.fact(unit, UNIT_IMPORTS_FACT).some(matches);
  }

  /** The class a name means where `identifier` uses it, when the file defines it exactly once there. */
  localClass(identifier: Node): Node | undefined {
    const binding = this.binding(identifier);
    return binding?.kind === "class" ? binding.definition : undefined;
  }

  /** The members of a class module-level `name` binds (a read of that class's members only). */
  moduleClassMembers(name: string): ReadonlyMap<string, ClassMember> | undefined {
    this.note(`members:${name}`);
    const definition = this.moduleDefinition(name);
    return definition?.type === "class_definition" ? classMembersOf(definition) : undefined;
  }

  /** The members a class defines in its own body: methods (with their kind) and class-level names. */
  classMembers(classNode: Node): ReadonlyMap<string, ClassMember> {
    return classMembersOf(classNode);
  }

  /** True when the class defines a method with one of these names in its own body. */
  classDefines(classNode: Node, methods: readonly string[]): boolean {
    const members = this.classMembers(classNode);
    return methods.some((name) => members.get(name)?.kind === "method");
  }

  /** The function and class around a node, and the method kind when the function is a method. */
  owner(node: Node): Owner {
    const owner: Owner = {};
    for (let parent = node.parent; parent; parent = parent.parent) {
      if (parent.type === "function_definition" && !owner.function && !owner.class) owner.function = parent;
      else if (parent.type === "class_definition" && !owner.class) {
        owner.class = parent;
        break;
      }
    }
    if (owner.function) {
      const classNode = methodClass(owner.function);
      if (classNode) owner.method = { class: classNode, kind: methodKindOf(owner.function, (decorator) => this.qualifiedName(decorator)) };
    }
    return owner;
  }

  // ---- Queries ------------------------------------------------------------------------------

  /** A query's value (see `defineQuery`), reused from earlier analyses while what it read holds. */
  query<T>(definition: QueryDefinition<T>, argument: string): T {
    const key = `${definition.name}\u0000${argument}`;
    const record = this.runQuery(key, definition as QueryDefinition<unknown>);
    this.note(`q:${key}`);
    return record?.value as T;
  }

  private runQuery(key: string, given?: QueryDefinition<unknown>): QueryRecord | undefined {
    const done = this.queriesDone.get(key);
    if (done) return done;
    const separator = key.indexOf("\u0000");
    const definition = given ?? queryNamed(key.slice(0, separator));
    if (!definition) return undefined;
    const argument = key.slice(separator + 1);
    const cached = this.queryCache.get(key);
    const unit = this.current ?? this.units[0];
    if (cached && !cached.reads.volatile && unit && [...cached.reads.reads].every(([read, print]) => this.fingerprint(read, unit) === print)) {
      this.queriesDone.set(key, cached);
      return cached;
    }
    const reads = new ReadLog();
    const value = this.reading(unit, reads, () => definition.compute(this, argument));
    const record: QueryRecord = { value, fingerprint: JSON.stringify(value) ?? "", reads };
    this.queryCache.set(key, record);
    this.queriesDone.set(key, record);
    return record;
  }
}

function simpleKind(kind: BindingKind): NameBinding["kind"] {
  if (kind === "parameter" || kind === "class" || kind === "function") return kind;
  if (kind === "import") return "import";
  return "assignment";
}

function classDefinitionOf(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  const definition = node.type === "decorated_definition" ? node.childForFieldName("definition") : node;
  return definition?.type === "class_definition" ? definition : undefined;
}

/** The class whose body defines this function directly (a decorated one too), if any. */
export function methodClass(definition: Node): Node | undefined {
  let parent = definition.parent;
  if (parent?.type === "decorated_definition") parent = parent.parent;
  if (parent?.type !== "block") return undefined;
  return parent.parent?.type === "class_definition" ? parent.parent : undefined;
}

function membersFingerprint(definition: Node | undefined): string {
  if (definition?.type !== "class_definition") return "";
  return [...classMembersOf(definition)].map(([name, member]) => `${name}=${member.kind}/${member.methodKind ?? ""}`).join(",");
}

export type { ClassMember, MethodKind, QueryDefinition, QueryRecord };
export { defineQuery } from "./queries";
