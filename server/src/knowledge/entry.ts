/** A knowledge entry as compiled from `knowledge/<locale>/<id>.md`. */
export interface KnowledgeEntry {
  id: string;
  locale: string;
  title: string;
  /** One sentence. */
  summary: string;
  /** `builtins.staticmethod`, `keyword:is`, `def:__enter__`: what hovering shows this entry for. */
  triggers: string[];
  /** Rule codes the entry explains. */
  rules: string[];
  related: string[];
  /** Official documentation; the first one is the entry's primary link. */
  links: string[];
  /** The Python versions the facts depend on, when they do. */
  python?: string;
  sections: EntrySections;
}

/**
 * The two shapes an entry's body takes. A concept entry teaches an idea (Explanation, Example,
 * Pitfall, Use instead); a rule entry explains one pitfall rule (What it does, Why it matters,
 * Example, Use instead). Headings in the source are these English keys in every language; they
 * are translated when rendered.
 */
export const SECTION_LAYOUTS = {
  concept: ["Explanation", "Example", "Pitfall", "Use instead"],
  rule: ["What it does", "Why it matters", "Example", "Use instead"],
} as const;
export type EntryLayout = keyof typeof SECTION_LAYOUTS;
export type SectionKey = (typeof SECTION_LAYOUTS)[EntryLayout][number];

export interface EntrySections {
  layout: EntryLayout;
  /** Every section's Markdown, in the layout's order. */
  all: { key: SectionKey; markdown: string }[];
  /** What the thing is or does: Explanation, or What it does. */
  explanation: string;
  /** What goes wrong: Pitfall, or Why it matters. */
  pitfall: string;
  /** The Example section's Python code block alone, and the Use instead one. */
  exampleCode: string;
  useInsteadCode: string;
}
