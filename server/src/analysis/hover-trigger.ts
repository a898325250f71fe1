import type { Node, Point, Tree } from "web-tree-sitter";
import type { FileContext } from "./file-context";

export interface HoverTarget {
  /** Candidate triggers, most specific first: `aiohttp.ClientSession`, `keyword:async with`. */
  triggers: string[];
  /** The node the hover is about, for the hover's range. */
  node: Node;
}

/**
 * What the code under a position is, in the vocabulary of knowledge triggers: a keyword
 * (`keyword:is`), a qualified name (`builtins.staticmethod`), or a special method's definition
 * (`def:__enter__`).
 */
export function hoverTarget(tree: Tree, file: FileContext, point: Point): HoverTarget | undefined {
  const node = tree.rootNode.descendantForPosition(point);
  if (!node || node.type === "comment" || node.type === "string_content") return undefined;
  if (!node.isNamed) return keywordTarget(node);
  if (node.type !== "identifier") return undefined;
  const parent = node.parent;
  if (parent?.type === "function_definition" && parent.childForFieldName("name")?.equals(node)) {
    return /^__\w+__$/.test(node.text) ? { triggers: [`def:${node.text}`], node } : undefined;
  }
  // `ClientSession` in `aiohttp.ClientSession` means the whole attribute chain.
  const expression =
    parent?.type === "attribute" && parent.childForFieldName("attribute")?.equals(node) ? parent : node;
  const qualified = file.qualifiedName(expression);
  return qualified ? { triggers: [qualified], node: expression } : undefined;
}

function keywordTarget(node: Node): HoverTarget | undefined {
  const parent = node.parent;
  // `is not` is one operator node with `is` and `not` inside it.
  if (parent?.type === "is not") return { triggers: ["keyword:is not", "keyword:is"], node: parent };
  if (node.type === "is not") return { triggers: ["keyword:is not", "keyword:is"], node };
  if (!/^[a-z]+$/.test(node.type)) return undefined;
  if (parent?.type === "with_statement") {
    const isAsync = parent.firstChild?.type === "async";
    return { triggers: isAsync ? ["keyword:async with", "keyword:with"] : ["keyword:with"], node };
  }
  return { triggers: [`keyword:${node.type}`], node };
}
