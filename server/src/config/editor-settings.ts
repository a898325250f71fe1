import type { Severity } from "../analysis/finding";
import { isKnownCode, knownCodes, SEVERITIES } from "./pyproject";
import { SETTINGS_SCHEMA } from "./settings-schema";

/**
 * The editor's rule settings (`pythonMentor.select`, `ignore`, `severity`, `hover.enable`,
 * `diagnostics.enable`). Empty lists and maps mean "not set": VS Code sends the defaults, and
 * then pyproject.toml decides. `language` and `maxFileSize` are kept by the server itself.
 */
export interface EditorSettings {
  select: readonly string[];
  ignore: readonly string[];
  severity: Readonly<Record<string, Severity>>;
  hoverEnable: boolean;
  diagnosticsEnable: boolean;
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = {
  select: SETTINGS_SCHEMA["pythonMentor.select"].default,
  ignore: SETTINGS_SCHEMA["pythonMentor.ignore"].default,
  severity: SETTINGS_SCHEMA["pythonMentor.severity"].default,
  hoverEnable: SETTINGS_SCHEMA["pythonMentor.hover.enable"].default,
  diagnosticsEnable: SETTINGS_SCHEMA["pythonMentor.diagnostics.enable"].default,
};

export interface EditorSettingsUpdate {
  settings: EditorSettings;
  /** Whether any value differs from before. */
  changed: boolean;
  /** One line per rejected value, naming the setting; that setting keeps its previous value. */
  problems: string[];
}

/**
 * Applies a `pythonMentor` section (`{ select, ignore, severity, hover: { enable }, diagnostics:
 * { enable } }`, as VS Code sends dotted keys; a flat `"hover.enable"` is read too) over the
 * previous settings. A key that is absent or null keeps its previous value, so clients that send
 * only what changed work as well as VS Code, which sends the whole section.
 */
export function updateEditorSettings(section: unknown, previous: EditorSettings): EditorSettingsUpdate {
  const problems: string[] = [];
  const settings: EditorSettings = { ...previous };
  if (!isObject(section)) return { settings, changed: false, problems };
  const nested = (group: string): unknown => {
    const flat = section[`${group}.enable`];
    if (flat !== undefined) return flat;
    const table = section[group];
    return isObject(table) ? table.enable : undefined;
  };
  const fail = (key: string, value: unknown, expected: string) =>
    problems.push(`pythonMentor.${key}: ${JSON.stringify(value)} is not ${expected}; keeping ${JSON.stringify(previousValue(previous, key))}`);

  for (const key of ["select", "ignore"] as const) {
    const value = section[key];
    if (value === undefined || value === null) continue;
    const codes = Array.isArray(value) && value.every((item) => typeof item === "string") ? value.map((code: string) => code.trim().toUpperCase()) : undefined;
    if (!codes) fail(key, value, "a list of rule codes");
    else if (!codes.every(isKnownCode)) fail(key, value, `a list of known rule codes or prefixes (${knownCodes()})`);
    else settings[key] = codes;
  }
  const severity = section.severity;
  if (severity !== undefined && severity !== null) {
    const entries = isObject(severity) ? Object.entries(severity) : undefined;
    const valid = entries?.every(([code, level]) => isKnownCode(code.trim()) && typeof level === "string" && (SEVERITIES as readonly string[]).includes(level));
    if (!entries || !valid) fail("severity", severity, `a map of rule codes to ${SEVERITIES.join(", ")}`);
    else settings.severity = Object.fromEntries(entries.map(([code, level]) => [code.trim().toUpperCase(), level as Severity]));
  }
  for (const [group, field] of [["hover", "hoverEnable"], ["diagnostics", "diagnosticsEnable"]] as const) {
    const value = nested(group);
    if (value === undefined || value === null) continue;
    if (typeof value !== "boolean") fail(`${group}.enable`, value, "true or false");
    else settings[field] = value;
  }
  return { settings, changed: JSON.stringify(settings) !== JSON.stringify(previous), problems };
}

function previousValue(settings: EditorSettings, key: string): unknown {
  if (key === "hover.enable") return settings.hoverEnable;
  if (key === "diagnostics.enable") return settings.diagnosticsEnable;
  return settings[key as "select" | "ignore" | "severity"];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
