import { describe, expect, it } from "vitest";
import { LOCALES } from "../../server/src/i18n/locale";
import { RULES } from "../../server/src/rules/registry";
import { loadEntries } from "../helpers/runtime";

const entries = loadEntries();

describe("languages", () => {
  it("every entry exists in every language (coverage per language)", () => {
    const ids = entries.filter((entry) => entry.locale === "en").map((entry) => entry.id);
    const coverage = LOCALES.map((locale) => {
      const have = new Set(entries.filter((entry) => entry.locale === locale).map((entry) => entry.id));
      const missing = ids.filter((id) => !have.has(id));
      return { locale, percent: Math.round((1000 * (ids.length - missing.length)) / ids.length) / 10, missing };
    });
    console.log(coverage.map(({ locale, percent }) => `${locale}: ${percent}%`).join(", "));
    expect(coverage.filter((row) => row.missing.length > 0)).toEqual([]);
  });

  it("translations are written in their language", () => {
    const script: Record<string, RegExp> = { ko: /[\uac00-\ud7a3]/, "zh-cn": /[\u4e00-\u9fff]/ };
    for (const entry of entries.filter((candidate) => candidate.locale !== "en")) {
      expect(entry.summary, `${entry.locale}/${entry.id} summary`).toMatch(script[entry.locale]);
      expect(entry.sections.explanation, `${entry.locale}/${entry.id}`).toMatch(script[entry.locale]);
    }
  });

  it("every rule message and fix title exists in every language, with the same placeholders and code", () => {
    const shape = (text: string) => ({
      placeholders: [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(),
      code: [...text.matchAll(/`([^`]*)`/g)].map((m) => m[1]).sort(),
    });
    for (const rule of RULES) {
      expect(Object.keys(rule.messages).length, rule.code).toBeGreaterThan(0);
      for (const [key, text] of Object.entries(rule.messages)) {
        for (const locale of LOCALES) {
          expect(text[locale]?.trim(), `${rule.code}.${key}.${locale}`).toBeTruthy();
          expect(shape(text[locale]), `${rule.code}.${key}.${locale}`).toEqual(shape(text.en));
        }
        expect(text.ko, `${rule.code}.${key}.ko`).toMatch(/[\uac00-\ud7a3]/);
        expect(text["zh-cn"], `${rule.code}.${key}.zh-cn`).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });
});
