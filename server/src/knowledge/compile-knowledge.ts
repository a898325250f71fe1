import type { KnowledgeEntry } from "./entry";
import { EntryError, parseEntry } from "./parse-entry";
import { isLocale, LOCALES } from "../i18n/locale";

export interface SourceFile {
  /** Path relative to the knowledge folder: `en/is-vs-eq.md`. */
  path: string;
  text: string;
}

/**
 * Parses every entry and checks what no single file can: ids unique per locale, `related` and
 * translations pointing at real entries, each rule code known and explained by exactly one entry,
 * and each trigger owned by one entry. Throws EntryError naming the file and field.
 */
export function compileKnowledge(files: readonly SourceFile[], ruleCodes: readonly string[]): KnowledgeEntry[] {
  const entries = files.map((file) => {
    const match = /^([a-z-]+)\/([^/]+)\.md$/.exec(file.path);
    if (!match) throw new EntryError(file.path, "path", "entries live at <locale>/<id>.md");
    if (!isLocale(match[1])) throw new EntryError(file.path, "path", `unknown language folder "${match[1]}" (known: ${LOCALES.join(", ")})`);
    return parseEntry(file.text, file.path, match[2], match[1]);
  });
  const english = entries.filter((entry) => entry.locale === "en");
  const englishIds = new Set(english.map((entry) => entry.id));
  const fileOf = (entry: KnowledgeEntry) => `${entry.locale}/${entry.id}.md`;
  const ruleOwners = new Map<string, string>();
  const triggerOwners = new Map<string, string>();
  const originals = new Map(english.map((entry) => [entry.id, entry]));
  for (const entry of entries) {
    const original = originals.get(entry.id);
    if (!original) throw new EntryError(fileOf(entry), "id", `translation of "${entry.id}" has no English original en/${entry.id}.md`);
    if (entry !== original) checkTranslation(entry, original, fileOf(entry));
    for (const related of entry.related) {
      if (!englishIds.has(related)) throw new EntryError(fileOf(entry), "related", `no entry "${related}"`);
    }
    for (const code of entry.rules) {
      if (!ruleCodes.includes(code)) throw new EntryError(fileOf(entry), "rules", `no rule ${code}`);
    }
    if (entry.locale !== "en") continue;
    for (const code of entry.rules) {
      const owner = ruleOwners.get(code);
      if (owner) throw new EntryError(fileOf(entry), "rules", `${code} is already explained by ${owner}`);
      ruleOwners.set(code, fileOf(entry));
    }
    for (const trigger of entry.triggers) {
      const owner = triggerOwners.get(trigger);
      if (owner) throw new EntryError(fileOf(entry), "triggers", `"${trigger}" already belongs to ${owner}`);
      triggerOwners.set(trigger, fileOf(entry));
    }
  }
  for (const code of ruleCodes) {
    if (!ruleOwners.has(code)) throw new EntryError("knowledge/en", "rules", `no entry explains rule ${code}`);
  }
  return entries.sort((a, b) => a.locale.localeCompare(b.locale) || a.id.localeCompare(b.id));
}

/**
 * A translation teaches the same thing with the same code: what it is shown for, what it links to
 * and its code blocks must equal the English entry's. Only the prose (and the documentation
 * links, which may point at the translated docs) differ.
 */
function checkTranslation(entry: KnowledgeEntry, original: KnowledgeEntry, file: string): void {
  const same = (a: readonly string[], b: readonly string[]) => a.join("\n") === b.join("\n");
  if (!same(entry.triggers, original.triggers)) throw new EntryError(file, "triggers", `must equal en/${entry.id}.md's`);
  if (!same(entry.rules, original.rules)) throw new EntryError(file, "rules", `must equal en/${entry.id}.md's`);
  if (!same(entry.related, original.related)) throw new EntryError(file, "related", `must equal en/${entry.id}.md's`);
  if (entry.python !== original.python) throw new EntryError(file, "python", `must equal en/${entry.id}.md's`);
  if (entry.sections.layout !== original.sections.layout) throw new EntryError(file, "body", `must use the same sections as en/${entry.id}.md`);
  if (entry.sections.exampleCode !== original.sections.exampleCode) {
    throw new EntryError(file, "## Example", `the code must be identical to en/${entry.id}.md's`);
  }
  if (entry.sections.useInsteadCode !== original.sections.useInsteadCode) {
    throw new EntryError(file, "## Use instead", `the code must be identical to en/${entry.id}.md's`);
  }
}
