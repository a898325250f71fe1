import type { Node } from "web-tree-sitter";
import { BUILTIN_NAMES } from "./builtin-names";

/**
 * File-level facts every rule may need: what each imported name means, which names the module
 * binds itself, and the classes it defines. Built once per analysis from the shared node index.
 */
export class FileContext {
  /** Local name -> qualified name: `import aiohttp as ah` gives ah -> aiohttp. */
  readonly imports = new Map<string, string>();
  /** Names bound at module level by def, class or assignment (they shadow builtins). */
  readonly moduleBindings = new Set<string>();
  /** Classes defined anywhere in the file, by name (the last definition wins, as at run time). */
  readonly classes = new Map<string, Node>();

  constructor(root: Node, nodesOfType: (type: string) => readonly Node[]) {
    for (const node of nodesOfType("import_statement")) this.addImport(node);
    for (const node of nodesOfType("import_from_statement")) this.addFromImport(node);
    for (const node of nodesOfType("class_definition")) {
      const name = node.childForFieldName("name");
      if (name) this.classes.set(name.text, node);
    }
    this.collectModuleBindings(root);
  }

  /**
   * The qualified name an expression refers to (`aiohttp.ClientSession`, `builtins.open`), or
   * undefined when it is local, unknown or not a plain name/attribute chain.
   */
  qualifiedName(node: Node): string | undefined {
    if (node.type === "identifier") {
      const name = node.text;
      const imported = this.imports.get(name);
      if (imported) return imported;
      if (this.moduleBindings.has(name) || isParameterOfEnclosingFunction(node, name)) return undefined;
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

  /** The class this identifier names, when it is defined in this file and not shadowed by an import or parameter. */
  localClass(identifier: Node): Node | undefined {
    const name = identifier.text;
    if (identifier.type !== "identifier" || this.imports.has(name) || isParameterOfEnclosingFunction(identifier, name)) {
      return undefined;
    }
    return this.classes.get(name);
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

  private addImport(node: Node): void {
    for (const item of node.childrenForFieldName("name")) {
      if (item.type === "dotted_name") {
        // `import os.path` binds `os`, which means the module os.
        const first = item.namedChild(0)?.text;
        if (first) this.imports.set(first, first);
      } else if (item.type === "aliased_import") {
        const module = item.childForFieldName("name")?.text;
        const alias = item.childForFieldName("alias")?.text;
        if (module && alias) this.imports.set(alias, module);
      }
    }
  }

  private addFromImport(node: Node): void {
    const moduleNode = node.childForFieldName("module_name");
    if (!moduleNode || moduleNode.type !== "dotted_name") return; // relative imports name nothing we know
    const module = moduleNode.text;
    for (const item of node.childrenForFieldName("name")) {
      if (item.type === "dotted_name") {
        this.imports.set(item.text, `${module}.${item.text}`);
      } else if (item.type === "aliased_import") {
        const name = item.childForFieldName("name")?.text;
        const alias = item.childForFieldName("alias")?.text;
        if (name && alias) this.imports.set(alias, `${module}.${name}`);
      }
    }
  }

  private collectModuleBindings(root: Node): void {
    for (const statement of root.namedChildren) {
      if (!statement) continue;
      const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
      if (definition?.type === "function_definition" || definition?.type === "class_definition") {
        const name = definition.childForFieldName("name")?.text;
        if (name) this.moduleBindings.add(name);
      } else if (statement.type === "expression_statement") {
        const assignment = statement.namedChild(0);
        if (assignment?.type === "assignment" || assignment?.type === "augmented_assignment") {
          const left = assignment.childForFieldName("left");
          if (left?.type === "identifier") this.moduleBindings.add(left.text);
        }
      }
    }
    // An explicit import of the same name wins over a local binding that came before it and vice
    // versa; without flow analysis the import is the better guess, so imports are not shadowed here.
    for (const name of this.imports.keys()) this.moduleBindings.delete(name);
  }
}

function isParameterOfEnclosingFunction(node: Node, name: string): boolean {
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (scope.type !== "function_definition" && scope.type !== "lambda") continue;
    const parameters = scope.childForFieldName("parameters");
    if (parameters && parameterNames(parameters).includes(name)) return true;
  }
  return false;
}

function parameterNames(parameters: Node): string[] {
  const names: string[] = [];
  for (const parameter of parameters.namedChildren) {
    if (!parameter) continue;
    if (parameter.type === "identifier") names.push(parameter.text);
    else {
      const name = parameter.childForFieldName("name") ?? parameter.namedChild(0);
      if (name?.type === "identifier") names.push(name.text);
    }
  }
  return names;
}
