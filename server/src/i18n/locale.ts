/** The languages Python Mentor speaks. English is canonical: every other text falls back to it. */
export const LOCALES = ["en", "ko", "zh-cn"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** A short text in every supported language. */
export type LocalizedText = Readonly<Record<Locale, string>>;

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/**
 * Maps a BCP 47 tag or POSIX locale (`ko-KR`, `zh_CN.UTF-8`, `zh-Hans`, `en_US`) to a supported
 * language, or undefined when we do not speak it. Traditional Chinese is not Simplified Chinese,
 * so `zh-TW` and `zh-Hant` are not mapped.
 */
export function matchLocale(tag: string | undefined | null): Locale | undefined {
  if (!tag) return undefined;
  const normal = tag.trim().replace(/[.@].*$/, "").replace(/_/g, "-").toLowerCase();
  if (normal === "" || normal === "c" || normal === "posix") return undefined;
  const [language, ...rest] = normal.split("-");
  if (language === "en") return "en";
  if (language === "ko") return "ko";
  if (language === "zh") {
    if (rest.some((part) => part === "tw" || part === "hk" || part === "mo" || part === "hant")) return undefined;
    return "zh-cn";
  }
  return undefined;
}

/** Fills `{name}` placeholders; a placeholder without a value is left visible rather than dropped. */
export function fillTemplate(template: string, args: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in args ? args[key] : whole));
}
