import { MarkupKind, type Hover, type Position } from "vscode-languageserver";
import type { Analysis } from "../analysis/analyzer";
import { hoverTarget } from "../analysis/hover-trigger";
import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { renderEntryHover, renderFindingHover, type HoverOptions } from "../knowledge/render-markdown";
import { DEFAULT_LOCALE } from "../i18n/locale";
import { lspToPoint, rangeToLsp, type PointRange } from "../parse/positions";
import type { Tree } from "web-tree-sitter";

/**
 * A hover at `position`: the findings whose range holds it (why it is flagged, the fix), then the
 * knowledge entry for the code under it (keyword, qualified name, special method), each once.
 */
export function hoverAt(
  tree: Tree,
  analysis: Analysis,
  knowledge: KnowledgeBase,
  position: Position,
  options: HoverOptions = {},
): Hover | null {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const point = lspToPoint(position);
  const parts: string[] = [];
  const shownEntries = new Set<string>();
  let range: PointRange | undefined;
  for (const finding of analysis.findings) {
    if (!contains(finding.range, point)) continue;
    const entry = knowledge.get(finding.knowledge, locale);
    parts.push(renderFindingHover(finding, shownEntries.has(finding.knowledge) ? undefined : entry, locale));
    shownEntries.add(finding.knowledge);
    range ??= finding.range;
  }
  const target = hoverTarget(tree, analysis.model, point);
  if (target) {
    for (const trigger of target.triggers) {
      const entry = knowledge.forTrigger(trigger, locale);
      if (!entry) continue;
      if (!shownEntries.has(entry.id)) {
        parts.push(renderEntryHover(entry, options));
        shownEntries.add(entry.id);
        range ??= { start: target.node.startPosition, end: target.node.endPosition };
      }
      break;
    }
  }
  if (parts.length === 0) return null;
  const hover: Hover = { contents: { kind: MarkupKind.Markdown, value: parts.join("\n\n---\n\n") } };
  if (range) hover.range = rangeToLsp(range);
  return hover;
}

function contains(range: PointRange, point: { row: number; column: number }): boolean {
  const afterStart =
    point.row > range.start.row || (point.row === range.start.row && point.column >= range.start.column);
  const beforeEnd = point.row < range.end.row || (point.row === range.end.row && point.column <= range.end.column);
  return afterStart && beforeEnd;
}
