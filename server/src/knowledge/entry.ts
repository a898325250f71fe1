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

export interface EntrySections {
  explanation: string;
  /** Markdown of the Example section, and its Python code block alone. */
  example: string;
  exampleCode: string;
  pitfall: string;
  useInstead: string;
  useInsteadCode: string;
}
