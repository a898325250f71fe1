import type { Node, Point, Tree } from "web-tree-sitter";
import type { SemanticModel } from "./model/semantic-model";
import { instanceType } from "./support/instance-types";

export interface HoverTarget {
  /** Candidate triggers, most specific first: `aiohttp.ClientSession`, `keyword:async with`. */
  triggers: string[];
  /** The node the hover is about, for the hover's range. */
  node: Node;
}

/**
 * What the code under a position is, in the vocabulary of knowledge triggers: a keyword
 * (`keyword:is`), a qualified name (`builtins.staticmethod`, the module `threading`), a method of
 * an object whose class the file shows (`collections.deque.popleft`), a special method's
 * definition (`def:__enter__`), a special attribute (`attr:__mro__`) or a piece of syntax
 * (`syntax:decorator`). A tree walk and no analysis: hovers stay cheap.
 */
export function hoverTarget(tree: Tree, file: SemanticModel, point: Point): HoverTarget | undefined {
  const node = tree.rootNode.descendantForPosition(point);
  if (!node || node.type === "comment" || node.type === "string_content") return undefined;
  if (!node.isNamed) return tokenTarget(node);
  if (node.type !== "identifier") return undefined;
  const parent = node.parent;
  if (!parent) return undefined;
  const imported = importTarget(node);
  if (imported !== undefined) return imported ? { triggers: [imported], node } : undefined;
  if (parent.type === "function_definition" && parent.childForFieldName("name")?.equals(node)) {
    return /^__\w+__$/.test(node.text) ? { triggers: [`def:${node.text}`], node } : undefined;
  }
  if (parent.type === "attribute" && parent.childForFieldName("attribute")?.equals(node)) {
    return attributeTarget(file, parent, node);
  }
  const qualified = file.qualifiedName(node);
  return qualified ? { triggers: [qualified], node } : undefined;
}

/** `ClientSession` in `aiohttp.ClientSession` means the whole chain; `x.popleft` needs x's class. */
function attributeTarget(file: SemanticModel, attribute: Node, name: Node): HoverTarget | undefined {
  const qualified = file.qualifiedName(attribute);
  if (qualified) return { triggers: [qualified], node: attribute };
  const object = attribute.childForFieldName("object");
  const owner = object ? instanceType(file, object) : undefined;
  const triggers = owner ? [`${owner}.${name.text}`] : [];
  if (/^__\w+__$/.test(name.text)) triggers.push(`attr:${name.text}`);
  return triggers.length > 0 ? { triggers, node: name } : undefined;
}

/**
 * Inside an import statement, the module or name an identifier spells: `futures` in
 * `from concurrent.futures import X` is `concurrent.futures`, `TPE` in `import X as TPE` is X.
 * Null inside an import that names nothing we know (a relative import); undefined outside imports.
 */
function importTarget(identifier: Node): string | null | undefined {
  let dotted: Node | null = identifier.parent;
  let alias: Node | null = null;
  if (dotted?.type === "aliased_import") {
    alias = dotted;
    dotted = dotted.childForFieldName("name");
  } else if (dotted?.type === "dotted_name" && dotted.parent?.type === "aliased_import") {
    alias = dotted.parent;
  }
  if (!dotted || dotted.type !== "dotted_name") return undefined;
  const statement = (alias ?? dotted).parent;
  if (statement?.type !== "import_statement" && statement?.type !== "import_from_statement") return undefined;
  // The alias means the whole name; a part of a dotted name means the prefix up to it.
  const parts: string[] = [];
  for (const part of dotted.namedChildren) {
    if (!part) continue;
    parts.push(part.text);
    if (part.equals(identifier)) break;
  }
  const spelled = parts.join(".");
  if (statement.type === "import_statement") return spelled;
  const module = statement.childForFieldName("module_name");
  if (!module || module.type !== "dotted_name") return null;
  return module.equals(dotted) ? spelled : `${module.text}.${spelled}`;
}

/** Keywords, operators and punctuation that stand for a concept. */
function tokenTarget(token: Node): HoverTarget | undefined {
  const parent = token.parent;
  if (!parent) return undefined;
  // `is not` is one operator node with `is` and `not` inside it.
  if (parent.type === "is not") return { triggers: ["keyword:is not", "keyword:is"], node: parent };
  if (token.type === "is not") return { triggers: ["keyword:is not", "keyword:is"], node: token };
  if (token.type === "@" && parent.type === "decorator") return { triggers: ["syntax:decorator"], node: token };
  if (parent.type === "generator_expression" && (token.type === "(" || token.type === ")")) {
    return { triggers: ["syntax:generator-expression"], node: token };
  }
  if (!/^[a-z]+$/.test(token.type)) return undefined;
  if (token.type === "for" && parent.type === "for_in_clause" && parent.parent?.type === "generator_expression") {
    return { triggers: ["syntax:generator-expression", "keyword:for"], node: token };
  }
  if (parent.type === "yield" && (token.type === "yield" || token.type === "from")) {
    const delegates = parent.children.some((child) => child?.type === "from");
    return { triggers: delegates ? ["keyword:yield from", "keyword:yield"] : ["keyword:yield"], node: token };
  }
  if (parent.type === "with_statement") {
    const isAsync = parent.firstChild?.type === "async";
    return { triggers: isAsync ? ["keyword:async with", "keyword:with"] : ["keyword:with"], node: token };
  }
  return { triggers: [`keyword:${token.type}`], node: token };
}
