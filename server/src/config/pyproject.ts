import { parse, TomlError } from "smol-toml";
import type { Severity } from "../analysis/finding";
import { RULES } from "../rules/registry";

/** `[tool.python-mentor]`, validated. Codes are upper case; absent keys are undefined. */
export interface PyprojectConfig {
  select?: string[];
  ignore?: string[];
  extendSelect?: string[];
  /** Pattern (relative to the pyproject's folder) to codes or prefixes ignored in matching files. */
  perFileIgnores?: Record<string, string[]>;
  /** Code or prefix to the severity its findings are shown with. */
  severity?: Record<string, Severity>;
  /** Patterns of files and folders that folder walks skip. */
  exclude?: string[];
  language?: ConfigLanguage;
}

export const CONFIG_LANGUAGES = ["auto", "en", "ko", "zh-cn"] as const;
export type ConfigLanguage = (typeof CONFIG_LANGUAGES)[number];
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info", "hint"];

/** One thing wrong with a configuration; `key` is the table's key, `line` set for TOML syntax errors. */
export interface ConfigProblem {
  file: string;
  key?: string;
  line?: number;
  column?: number;
  message: string;
}

export interface PyprojectResult {
  /** Whether the file has a `[tool.python-mentor]` table (or could not be read as TOML at all). */
  hasTable: boolean;
  /** The table's settings; undefined when there is no table or any problem (defaults then apply). */
  config?: PyprojectConfig;
  problems: ConfigProblem[];
}

export const TABLE = "tool.python-mentor";

/**
 * Reads `[tool.python-mentor]` from a pyproject.toml's text. Every key is checked; one problem
 * anywhere sets the whole table aside (the defaults stay in force, as for a file that is not
 * there) and every problem is reported, so one run shows the user all there is to fix.
 */
export function parsePyproject(text: string, file: string): PyprojectResult {
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split("\n", 1)[0].replace(/^Invalid TOML document: /, "");
      return { hasTable: true, problems: [{ file, line: error.line, column: error.column, message: `invalid TOML: ${message}` }] };
    }
    return { hasTable: true, problems: [{ file, message: `invalid TOML: ${String(error)}` }] };
  }
  const tool = document.tool;
  if (!isTable(tool) || !(TABLE_NAME in tool)) return { hasTable: false, problems: [] };
  const table = tool[TABLE_NAME];
  if (!isTable(table)) return { hasTable: true, problems: [{ file, message: `[${TABLE}] must be a table, not ${describeType(table)}` }] };
  return { hasTable: true, ...validateTable(table, file) };
}

const TABLE_NAME = "python-mentor";

type Reader = (value: unknown, key: string) => unknown;

function validateTable(table: Record<string, unknown>, file: string): { config?: PyprojectConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const report = (key: string, message: string) => problems.push({ file, key, message });
  const codes: Reader = (value, key) => codeList(value, key, report);
  const readers: Record<string, [keyof PyprojectConfig, Reader]> = {
    select: ["select", codes],
    ignore: ["ignore", codes],
    "extend-select": ["extendSelect", codes],
    "per-file-ignores": ["perFileIgnores", (value, key) => perFileIgnores(value, key, report)],
    severity: ["severity", (value, key) => severityMap(value, key, report)],
    exclude: ["exclude", (value, key) => stringList(value, key, report)],
    language: ["language", (value, key) => language(value, key, report)],
  };
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const reader = readers[key];
    if (!reader) {
      const near = Object.keys(readers).find((known) => known.replace(/[-_]/g, "") === key.toLowerCase().replace(/[-_]/g, ""));
      report(key, `unknown key${near ? ` (did you mean "${near}"?)` : ""}; known keys: ${Object.keys(readers).join(", ")}`);
      continue;
    }
    const read = reader[1](value, key);
    if (read !== undefined) config[reader[0]] = read;
  }
  return problems.length > 0 ? { problems } : { config: config as PyprojectConfig, problems };
}

type Report = (key: string, message: string) => void;

function stringList(value: unknown, key: string, report: Report): string[] | undefined {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    report(key, `must be a list of strings, not ${describeType(value)}`);
    return undefined;
  }
  return value as string[];
}

/** A list of rule codes or prefixes, each naming at least one rule (as the CLI's --select does). */
function codeList(value: unknown, key: string, report: Report): string[] | undefined {
  const list = stringList(value, key, report);
  if (!list) return undefined;
  const codes = list.map((code) => code.trim().toUpperCase());
  const unknown = codes.filter((code) => !isKnownCode(code));
  if (unknown.length > 0) {
    report(key, `no rule matches ${unknown.map((code) => `"${code}"`).join(", ")} (known: ${knownCodes()})`);
    return undefined;
  }
  return codes;
}

function perFileIgnores(value: unknown, key: string, report: Report): Record<string, string[]> | undefined {
  if (!isTable(value)) {
    report(key, `must be a table of path patterns to lists of codes, not ${describeType(value)}`);
    return undefined;
  }
  const result: Record<string, string[]> = {};
  let ok = true;
  for (const [pattern, codes] of Object.entries(value)) {
    const list = codeList(codes, `${key}."${pattern}"`, report);
    if (list) result[pattern] = list;
    else ok = false;
  }
  return ok ? result : undefined;
}

function severityMap(value: unknown, key: string, report: Report): Record<string, Severity> | undefined {
  if (!isTable(value)) {
    report(key, `must be a table of codes to severities (like { PYM006 = "hint" }), not ${describeType(value)}`);
    return undefined;
  }
  const result: Record<string, Severity> = {};
  let ok = true;
  for (const [code, severity] of Object.entries(value)) {
    const upper = code.trim().toUpperCase();
    if (!isKnownCode(upper)) {
      report(`${key}.${code}`, `no rule matches "${code}" (known: ${knownCodes()})`);
      ok = false;
    } else if (typeof severity !== "string" || !(SEVERITIES as readonly string[]).includes(severity)) {
      report(`${key}.${code}`, `must be one of ${SEVERITIES.join(", ")}, not ${describeValue(severity)}`);
      ok = false;
    } else {
      result[upper] = severity as Severity;
    }
  }
  return ok ? result : undefined;
}

function language(value: unknown, key: string, report: Report): ConfigLanguage | undefined {
  if (typeof value === "string" && (CONFIG_LANGUAGES as readonly string[]).includes(value)) return value as ConfigLanguage;
  report(key, `must be one of ${CONFIG_LANGUAGES.join(", ")}, not ${describeValue(value)}`);
  return undefined;
}

/** A code or prefix that names at least one rule. */
export function isKnownCode(code: string): boolean {
  return code !== "" && RULES.some((rule) => rule.code.startsWith(code.toUpperCase()));
}

export function knownCodes(): string {
  return RULES.map((rule) => rule.code).join(", ");
}

/** The problem as one line: `file:line:column: message` or `file: [tool.python-mentor] key: message`. */
export function formatProblem(problem: ConfigProblem): string {
  if (problem.line !== undefined) return `${problem.file}:${problem.line}:${problem.column ?? 1}: ${problem.message}`;
  return `${problem.file}: [${TABLE}]${problem.key ? ` ${problem.key}` : ""}: ${problem.message}`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return "a list" + (value.length > 0 ? ` holding ${describeType(value.find((item) => typeof item !== "string") ?? value[0])}` : "");
  if (isTable(value)) return "a table";
  if (value instanceof Date) return "a date";
  if (typeof value === "string") return `a string (${JSON.stringify(value)})`;
  if (typeof value === "number" || typeof value === "bigint") return `a number (${String(value)})`;
  return `a ${typeof value}`;
}

function describeValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : describeType(value);
}
