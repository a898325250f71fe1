import type { Node } from "web-tree-sitter";
import { BUILTIN_NAMES } from "./builtin-names";
import { localBindings, type Binding } from "./scopes";

/** One name an import statement binds, and what it means: ["ah", "aiohttp"]. */
export type ImportBinding = readonly [local: string, qualified: string];

/**
 * The names import statements bind, in the order given: `import os.path` binds os -> os,
 * `from a import b as c` binds c -> a.b. Relative imports name nothing we know and bind nothing.
 */
export function importBindings(statements: readonly Node[]): ImportBinding[] {
  const bindings: ImportBinding[] = [];
  for (const node of statements) {
    if (node.type === "import_statement") {
      for (const item of node.childrenForFieldName("name")) {
        if (item.type === "dotted_name") {
          // `import os.path` binds `os`, which means the module os.
          const first = item.namedChild(0)?.text;
          if (first) bindings.push([first, first]);
        } else if (item.type === "aliased_import") {
          const module = item.childForFieldName("name")?.text;
          const alias = item.childForFieldName("alias")?.text;
          if (module && alias) bindings.push([alias, module]);
        }
      }
    } else if (node.type === "import_from_statement") {
      const moduleNode = node.childForFieldName("module_name");
      if (!moduleNode || moduleNode.type !== "dotted_name") continue;
      const module = moduleNode.text;
      for (const item of node.childrenForFieldName("name")) {
        if (item.type === "dotted_name") {
          bindings.push([item.text, `${module}.${item.text}`]);
        } else if (item.type === "aliased_import") {
          const name = item.childForFieldName("name")?.text;
          const alias = item.childForFieldName("alias")?.text;
          if (name && alias) bindings.push([alias, `${module}.${name}`]);
        }
      }
    }
  }
  return bindings;
}

/**
 * File-level facts every rule may need: what each imported name means and which names each
 * scope binds itself. Built once per analysis; scopes are read lazily, only when a rule asks.
 */
export class FileContext {
  /** Local name -> qualified name: `import aiohttp as ah` gives ah -> aiohttp. */
  readonly imports = new Map<string, string>();

  /** `imports` are the file's import bindings in source order (see `importBindings`). */
  constructor(
    private readonly root: Node,
    imports: Iterable<ImportBinding>,
  ) {
    for (const [local, qualified] of imports) this.imports.set(local, qualified);
  }

  /**
   * The qualified name an expression refers to (`aiohttp.ClientSession`, `builtins.open`), or
   * undefined when it is a local name, unknown, or not a plain name/attribute chain.
   */
  qualifiedName(node: Node): string | undefined {
    if (node.type === "identifier") {
      const name = node.text;
      const binding = this.binding(node);
      if (binding) return undefined;
      const imported = this.imports.get(name);
      if (imported) return imported;
      return BUILTIN_NAMES.has(name) ? `builtins.${name}` : undefined;
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

  /** The class an identifier names, when this file defines it exactly once in a visible scope. */
  localClass(identifier: Node): Node | undefined {
    if (identifier.type !== "identifier") return undefined;
    const binding = this.binding(identifier);
    return binding?.kind === "class" ? binding.node : undefined;
  }

  /** True when the class has a method with one of these names in its own body. */
  classDefines(classNode: Node, methods: readonly string[]): boolean {
    const body = classNode.childForFieldName("body");
    if (!body) return false;
    for (const statement of body.namedChildren) {
      const definition = statement?.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
      if (definition?.type !== "function_definition") continue;
      const name = definition.childForFieldName("name")?.text;
      if (name && methods.includes(name)) return true;
    }
    return false;
  }

  /**
   * How the innermost enclosing function, or else the module, binds this name (Python's LEGB
   * without the class-body step, which nested functions do not see). Undefined when only an
   * import or a builtin can explain it. A module name that is also imported counts as the import.
   */
  binding(identifier: Node): Binding | undefined {
    const scope = this.bindingScope(identifier);
    return scope ? this.bindingsOf(scope).get(identifier.text) : undefined;
  }

  /**
   * The function, lambda or module whose own scope binds this name (see `binding`), or undefined
   * when only an import or a builtin explains it.
   */
  bindingScope(identifier: Node): Node | undefined {
    const name = identifier.text;
    for (let scope = identifier.parent; scope; scope = scope.parent) {
      if (scope.type !== "function_definition" && scope.type !== "lambda") continue;
      if (this.bindingsOf(scope).has(name)) return scope;
    }
    if (this.imports.has(name)) return undefined;
    return this.bindingsOf(this.root).has(name) ? this.root : undefined;
  }

  private bindingsOf(scope: Node): ReadonlyMap<string, Binding> {
    return localBindings(scope);
  }
}
