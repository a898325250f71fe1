import { isSelected, type RuleSelection } from "../analysis/analyzer";
import type { Finding, Severity } from "../analysis/finding";
import { matchLocale, type Locale } from "../i18n/locale";
import { compileGlob, compileGlobs, type PathMatcher } from "./glob";
import type { ProjectConfig } from "./nearest-pyproject";
import { relativeTo } from "./paths";
import type { ConfigLanguage, PyprojectConfig } from "./pyproject";

/**
 * What overrides pyproject.toml: the editor's settings, or the CLI's flags. An absent or empty
 * value is "not set" and leaves pyproject.toml's in force.
 */
export interface Overrides {
  select?: readonly string[];
  ignore?: readonly string[];
  severity?: Readonly<Record<string, Severity>>;
  /** `auto` is "not set". */
  language?: ConfigLanguage | string;
}

/** The settings in force for one file. */
export interface EffectiveSettings {
  /** The rules to report (without a locale: see `language`). */
  selection: Pick<RuleSelection, "select" | "ignore">;
  /** Code or prefix to severity; the longest matching key wins. */
  severity: Readonly<Record<string, Severity>>;
  /** The file matches pyproject.toml's `exclude`: folder walks skip it. */
  excluded: boolean;
  /** The language asked for; undefined for "auto" (the editor's or the environment's). */
  language?: Locale;
}

/**
 * defaults <- pyproject.toml's table <- overrides, key by key: an override's `select` replaces
 * the table's, `extend-select` adds to whichever `select` is in force, `per-file-ignores` add to
 * `ignore` for the files they match, and severity maps merge (the override wins per code).
 * `path` is the file's absolute path; without one (an unsaved editor buffer) only the overrides apply.
 */
export function effectiveSettings(path: string | undefined, project: ProjectConfig | undefined, overrides: Overrides = {}): EffectiveSettings {
  const config: PyprojectConfig = project?.config ?? {};
  const relative = path !== undefined && project ? relativeTo(project.root, path) : undefined;
  const given = (list: readonly string[] | undefined) => (list && list.length > 0 ? list : undefined);

  let select = given(overrides.select) ?? config.select;
  if (select && config.extendSelect) select = [...select, ...config.extendSelect];
  const ignore = [...(given(overrides.ignore) ?? config.ignore ?? [])];
  const compiled = relative === undefined ? undefined : compiledPatterns(config);
  for (const { matches, codes } of compiled?.perFileIgnores ?? []) if (matches(relative as string)) ignore.push(...codes);
  const excluded = relative !== undefined && relative !== "" && compiled !== undefined && compiled.exclude(relative);

  const language = languageOf(overrides.language) ?? languageOf(config.language);
  return {
    selection: { ...(select ? { select } : {}), ...(ignore.length > 0 ? { ignore } : {}) },
    severity: { ...config.severity, ...overrides.severity },
    excluded,
    ...(language ? { language } : {}),
  };
}

/** The findings the settings report, each with the severity they give it. */
export function applySettings(findings: readonly Finding[], settings: EffectiveSettings): Finding[] {
  const result: Finding[] = [];
  for (const finding of findings) {
    if (!isSelected(finding.code, settings.selection)) continue;
    const severity = severityOverride(finding.code, settings.severity);
    result.push(severity && severity !== finding.severity ? { ...finding, severity } : finding);
  }
  return result;
}

/** The severity the most specific matching key (a code, or the longest prefix) gives `code`. */
export function severityOverride(code: string, severity: Readonly<Record<string, Severity>>): Severity | undefined {
  let best: string | undefined;
  for (const key of Object.keys(severity)) {
    if (code.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : severity[best];
}

function languageOf(value: string | undefined): Locale | undefined {
  return value === undefined || value === "auto" ? undefined : matchLocale(value);
}

interface CompiledPatterns {
  exclude: PathMatcher;
  perFileIgnores: { matches: PathMatcher; codes: readonly string[] }[];
}

/** Patterns are compiled once per parsed table (tables are replaced, never changed, when the file changes). */
const compiledByConfig = new WeakMap<PyprojectConfig, CompiledPatterns>();

function compiledPatterns(config: PyprojectConfig): CompiledPatterns {
  let compiled = compiledByConfig.get(config);
  if (!compiled) {
    compiled = {
      exclude: compileGlobs(config.exclude ?? []),
      perFileIgnores: Object.entries(config.perFileIgnores ?? {}).map(([pattern, codes]) => ({ matches: compileGlob(pattern), codes })),
    };
    compiledByConfig.set(config, compiled);
  }
  return compiled;
}
