import { parse as parseYaml } from "yaml";
import { BUILTIN_NAMES } from "../analysis/builtin-names";
import { SECTION_LAYOUTS, type EntryLayout, type EntrySections, type KnowledgeEntry, type SectionKey } from "./entry";

/** A broken entry: names the file and the field, so the build can say exactly what to fix. */
export class EntryError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field}: ${problem}`);
  }
}

/**
 * Hover triggers: a qualified name (`concurrent.futures.ThreadPoolExecutor`, a method of a known
 * class `collections.deque.appendleft`, or a module `flask`), `keyword:X` (`keyword:async with`),
 * `def:__name__` (a special method's definition), `attr:__name__` (a special attribute read) and
 * `syntax:X` (`syntax:decorator`, `syntax:generator-expression`).
 */
const TRIGGER =
  /^(keyword:[a-z]+( [a-z]+)?|def:__[a-z0-9_]+__|attr:__[a-z0-9_]+__|syntax:[a-z]+(-[a-z]+)*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
const RULE_CODE = /^PYM\d{3}$/;
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Parses and validates one entry. `file` is used in errors only; `expectedId` is the file's base
 * name, which must equal the `id` field.
 */
export function parseEntry(source: string, file: string, expectedId: string, locale: string): KnowledgeEntry {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(source);
  if (!match) throw new EntryError(file, "front matter", "the file must start with a --- YAML block ---");
  let meta: unknown;
  try {
    meta = parseYaml(match[1]);
  } catch (error) {
    throw new EntryError(file, "front matter", `invalid YAML: ${(error as Error).message}`);
  }
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    throw new EntryError(file, "front matter", "must be a YAML mapping");
  }
  const fields = meta as Record<string, unknown>;
  const known = new Set(["id", "title", "summary", "triggers", "rules", "related", "links", "python"]);
  for (const key of Object.keys(fields)) if (!known.has(key)) throw new EntryError(file, key, "unknown field");

  const id = requireString(fields, "id", file);
  if (!ID.test(id)) throw new EntryError(file, "id", `"${id}" must be lower-case words joined by hyphens`);
  if (id !== expectedId) throw new EntryError(file, "id", `"${id}" must match the file name "${expectedId}"`);
  const summary = requireString(fields, "summary", file);
  const prose = summary.replace(/`[^`]*`/g, "code").replace(/\b(e\.g|i\.e|etc|vs)\./g, "x");
  // One sentence: a full stop only at the end (Chinese and Korean full stops count as well).
  if (!/[.!?。！？]$/.test(summary) || /[.!?]\s+\S|[。！？]./.test(prose)) {
    throw new EntryError(file, "summary", "must be exactly one sentence, ending with a period");
  }
  const triggers = stringList(fields, "triggers", file);
  for (const trigger of triggers) {
    if (!TRIGGER.test(trigger)) {
      throw new EntryError(file, "triggers", `"${trigger}" is not a qualified name (module.name), keyword:X, def:__name__, attr:__name__ or syntax:X`);
    }
    if (BUILTIN_NAMES.has(trigger)) {
      throw new EntryError(file, "triggers", `"${trigger}" is a builtin: write builtins.${trigger} (a bare name means a module)`);
    }
  }
  const rules = stringList(fields, "rules", file);
  for (const code of rules) if (!RULE_CODE.test(code)) throw new EntryError(file, "rules", `"${code}" is not a rule code like PYM001`);
  const links = stringList(fields, "links", file);
  if (links.length === 0) throw new EntryError(file, "links", "needs at least one official documentation URL");
  for (const link of links) if (!/^https:\/\/\S+$/.test(link)) throw new EntryError(file, "links", `"${link}" is not an https URL`);
  const entry: KnowledgeEntry = {
    id,
    locale,
    title: requireString(fields, "title", file),
    summary,
    triggers,
    rules,
    related: stringList(fields, "related", file),
    links,
    sections: parseSections(match[2], file),
  };
  if (fields.python !== undefined) entry.python = requireString(fields, "python", file);
  return entry;
}

function parseSections(body: string, file: string): EntrySections {
  const parts = body.split(/^## +(.+?)\s*$/m);
  if (parts[0].trim() !== "") throw new EntryError(file, "body", "text before the first ## section");
  const headings: string[] = [];
  const contents = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) {
    headings.push(parts[i]);
    contents.set(parts[i], parts[i + 1].trim());
  }
  const layout = (Object.keys(SECTION_LAYOUTS) as EntryLayout[]).find(
    (candidate) => headings.join("|") === SECTION_LAYOUTS[candidate].join("|"),
  );
  if (!layout) {
    const expected = Object.values(SECTION_LAYOUTS)
      .map((keys) => keys.map((key) => `"## ${key}"`).join(", "))
      .join(" or ");
    throw new EntryError(file, "body", `sections must be ${expected}, in that order; found ${headings.map((h) => `"## ${h}"`).join(", ") || "none"}`);
  }
  const all = SECTION_LAYOUTS[layout].map((key) => {
    const markdown = contents.get(key) ?? "";
    if (markdown === "") throw new EntryError(file, `## ${key}`, "is empty");
    return { key, markdown };
  });
  const section = (key: SectionKey) => all.find((candidate) => candidate.key === key)?.markdown ?? "";
  return {
    layout,
    all,
    explanation: section(layout === "rule" ? "What it does" : "Explanation"),
    pitfall: section(layout === "rule" ? "Why it matters" : "Pitfall"),
    exampleCode: singlePythonBlock(section("Example"), file, "## Example"),
    useInsteadCode: singlePythonBlock(section("Use instead"), file, "## Use instead"),
  };
}

function singlePythonBlock(markdown: string, file: string, field: string): string {
  const blocks = [...markdown.matchAll(/^```python\r?\n([\s\S]*?)^```\s*$/gm)];
  if (blocks.length !== 1) throw new EntryError(file, field, `needs exactly one \`\`\`python code block, found ${blocks.length}`);
  return blocks[0][1];
}

function requireString(fields: Record<string, unknown>, key: string, file: string): string {
  const value = fields[key];
  if (typeof value !== "string" || value.trim() === "") throw new EntryError(file, key, "must be a non-empty string");
  return value.trim();
}

function stringList(fields: Record<string, unknown>, key: string, file: string): string[] {
  const value = fields[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item.trim() !== "")) {
    throw new EntryError(file, key, "must be a list of non-empty strings");
  }
  return value.map((item: string) => item.trim());
}
