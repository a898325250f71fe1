import type { KnowledgeEntry } from "./entry";
import { EntryError, parseEntry } from "./parse-entry";

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
    return parseEntry(file.text, file.path, match[2], match[1]);
  });
  const english = entries.filter((entry) => entry.locale === "en");
  const englishIds = new Set(english.map((entry) => entry.id));
  const fileOf = (entry: KnowledgeEntry) => `${entry.locale}/${entry.id}.md`;
  const ruleOwners = new Map<string, string>();
  const triggerOwners = new Map<string, string>();
  for (const entry of entries) {
    if (entry.locale !== "en" && !englishIds.has(entry.id)) {
      throw new EntryError(fileOf(entry), "id", `translation of "${entry.id}" has no English original en/${entry.id}.md`);
    }
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
