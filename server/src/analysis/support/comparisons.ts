import type { Node } from "web-tree-sitter";
import type { Fix } from "../finding";
import type { RuleContext } from "../rule-context";

/** One `left op right` link of a comparison chain (`a < b is c` has two). */
export interface ComparisonLink {
  left: Node;
  operator: Node;
  right: Node;
}

export function comparisonLinks(comparison: Node): ComparisonLink[] {
  const operands: Node[] = [];
  const operators: Node[] = [];
  for (let i = 0; i < comparison.childCount; i++) {
    const child = comparison.child(i);
    if (!child || child.type === "comment") continue;
    if (comparison.fieldNameForChild(i) === "operators") operators.push(child);
    else if (child.isNamed) operands.push(child);
  }
  const links: ComparisonLink[] = [];
  for (let i = 0; i < operators.length && i + 1 < operands.length; i++) {
    links.push({ left: operands[i], operator: operators[i], right: operands[i + 1] });
  }
  return links;
}

export function linkRange(link: ComparisonLink) {
  return { start: link.left.startPosition, end: link.right.endPosition };
}

/** Every link of every error-free comparison in the file, in document order (computed once per analysis). */
export function allComparisonLinks(ctx: RuleContext): readonly ComparisonLink[] {
  return ctx.shared("comparison-links", () => ctx.nodes("comparison_operator").flatMap(comparisonLinks));
}

/** A fix that swaps the link's operator (`is` -> `==`) and touches nothing else. */
export function replaceOperator(link: ComparisonLink, replacement: string, safe: boolean, title: string): Fix {
  return {
    title,
    edits: [{ range: { start: link.operator.startPosition, end: link.operator.endPosition }, newText: replacement }],
    safe,
  };
}
