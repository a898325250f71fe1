import type { KnowledgeEntry } from "./entry";
import { DEFAULT_LOCALE } from "../i18n/locale";

export { DEFAULT_LOCALE };

/** Lookup over compiled entries: by id, by hover trigger, by rule code, with English as fallback. */
export class KnowledgeBase {
  private readonly byLocale = new Map<string, Map<string, KnowledgeEntry>>();
  private readonly triggerToId = new Map<string, string>();
  private readonly ruleToId = new Map<string, string>();

  constructor(readonly entries: readonly KnowledgeEntry[]) {
    for (const entry of entries) {
      let locale = this.byLocale.get(entry.locale);
      if (!locale) this.byLocale.set(entry.locale, (locale = new Map()));
      locale.set(entry.id, entry);
      if (entry.locale !== DEFAULT_LOCALE) continue;
      for (const trigger of entry.triggers) this.triggerToId.set(trigger, entry.id);
      for (const code of entry.rules) this.ruleToId.set(code, entry.id);
    }
  }

  get(id: string, locale = DEFAULT_LOCALE): KnowledgeEntry | undefined {
    return this.byLocale.get(locale)?.get(id) ?? this.byLocale.get(DEFAULT_LOCALE)?.get(id);
  }

  forTrigger(trigger: string, locale = DEFAULT_LOCALE): KnowledgeEntry | undefined {
    const id = this.triggerToId.get(trigger);
    return id === undefined ? undefined : this.get(id, locale);
  }

  forRule(code: string, locale = DEFAULT_LOCALE): KnowledgeEntry | undefined {
    const id = this.ruleToId.get(code);
    return id === undefined ? undefined : this.get(id, locale);
  }

  /** The languages an entry is written in, English first. */
  localesOf(id: string): string[] {
    return [...this.byLocale].filter(([, entries]) => entries.has(id)).map(([locale]) => locale).sort((a, b) => (a === DEFAULT_LOCALE ? -1 : b === DEFAULT_LOCALE ? 1 : a.localeCompare(b)));
  }

  ids(locale = DEFAULT_LOCALE): string[] {
    return [...(this.byLocale.get(locale)?.keys() ?? [])];
  }
}
