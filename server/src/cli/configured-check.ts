import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { RuleSelection } from "../analysis/analyzer";
import { PyprojectFinder } from "../config/nearest-pyproject";
import type { ConfigProblem } from "../config/pyproject";
import { applySettings, effectiveSettings, type EffectiveSettings } from "../config/settings";
import type { Locale } from "../i18n/locale";
import type { CheckResult, FileResult } from "./check-files";

/** What the command line says; each given value overrides pyproject.toml's. */
export interface CommandLineSettings {
  select?: readonly string[];
  ignore?: readonly string[];
  /** `--lang` as given (`auto` or absent: pyproject.toml's `language`, else `fallbackLocale`). */
  language?: string;
  /** The language when neither `--lang` nor pyproject.toml names one (from LC_ALL, LANG...). */
  fallbackLocale: Locale;
}

export interface ConfiguredCheck {
  result: CheckResult;
  /** Problems of the pyproject.toml files met, each file's once; their files were checked with the defaults. */
  problems: ConfigProblem[];
}

/** Checks files with the selection given, and the language given, in whatever way the caller chooses (threads, cache). */
export type CheckRun = (paths: readonly string[], selection: RuleSelection) => Promise<CheckResult>;

/**
 * `check` with each file's `[tool.python-mentor]` (the nearest pyproject.toml that has one):
 * files found by walking folders that match its `exclude` are dropped (files named on the
 * command line are checked all the same, as in Ruff), each file's findings are filtered by its
 * own selection and re-graded by its severity table.
 *
 * Files are analysed with the command line's selection (widened by every `extend-select` met)
 * and filtered afterwards, so the findings cache stays keyed by what was analysed; only the
 * language, which changes the text of findings, splits the files into one run per language.
 */
export async function checkConfigured(
  files: readonly string[],
  named: readonly string[],
  cli: CommandLineSettings,
  run: CheckRun,
): Promise<ConfiguredCheck> {
  const finder = new PyprojectFinder(readText);
  const explicit = new Set(named);
  const problems = new Map<string, ConfigProblem[]>();
  const extendSelect = new Set<string>();
  const kept: { path: string; settings: EffectiveSettings; locale: Locale }[] = [];
  for (const file of files) {
    const absolute = path.resolve(file);
    const project = finder.forFile(absolute);
    if (project && project.problems.length > 0) problems.set(project.file, project.problems);
    for (const code of project?.config?.extendSelect ?? []) extendSelect.add(code);
    const settings = effectiveSettings(absolute, project, { select: cli.select, ignore: cli.ignore, language: cli.language });
    if (settings.excluded && !explicit.has(file)) continue;
    kept.push({ path: file, settings, locale: settings.language ?? cli.fallbackLocale });
  }

  const byLocale = new Map<Locale, number[]>();
  kept.forEach((file, index) => {
    const group = byLocale.get(file.locale);
    if (group) group.push(index);
    else byLocale.set(file.locale, [index]);
  });
  const slots: ({ file: FileResult } | { error: { path: string; error: string } })[] = new Array(kept.length);
  const failures: string[] = [];
  for (const [locale, indexes] of byLocale) {
    const select = cli.select ? [...cli.select, ...extendSelect] : undefined;
    const result = await run(
      indexes.map((index) => kept[index].path),
      { ...(select ? { select } : {}), ...(cli.ignore ? { ignore: cli.ignore } : {}), locale },
    );
    failures.push(...result.failures);
    // A run lists its files and its errors apart, each in the order of the paths it was given.
    let nextFile = 0;
    let nextError = 0;
    for (const index of indexes) {
      const file = result.files[nextFile];
      if (file && file.path === kept[index].path) {
        slots[index] = { file: { ...file, findings: applySettings(file.findings, kept[index].settings), locale } };
        nextFile++;
      } else {
        slots[index] = { error: result.errors[nextError++] };
      }
    }
  }
  const result: CheckResult = { files: [], errors: [], failures };
  for (const slot of slots) {
    if ("file" in slot) result.files.push(slot.file);
    else if (slot.error) result.errors.push(slot.error);
  }
  return { result, problems: [...problems.values()].flat() };
}

/** A pyproject.toml's text; undefined when there is none to read (a folder of that name, no permission). */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
