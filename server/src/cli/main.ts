import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import type { NodeRuntime } from "../node/node-runtime";
import { isSelected, type RuleSelection } from "../analysis/analyzer";
import { renderEntryDocument } from "../knowledge/render-markdown";
import { RULES, ruleByCode } from "../rules/registry";
import { buildIdentity, cacheRoot, FindingsCache } from "./cache";
import { checkFiles } from "./check-files";
import { checkConfigured } from "./configured-check";
import { formatProblem } from "../config/pyproject";
import { collectFiles } from "./collect-files";
import { fixFiles, unsafeFixesHint } from "./fix-files";
import { formatJson } from "./format-json";
import { formatSarif } from "./format-sarif";
import { formatText, textStyle } from "./format-text";
import { USAGE, UsageError } from "./usage";
import { DEFAULT_LOCALE, LOCALES, matchLocale, type Locale } from "../i18n/locale";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  isTty: boolean;
  env: Record<string, string | undefined>;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** Runs one CLI command (all but `lsp`, which never returns) and gives its exit status. */
export async function runCommand(argv: readonly string[], runtime: NodeRuntime, io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
      case "help":
        io.stdout(USAGE);
        return command === undefined ? EXIT_ERROR : EXIT_CLEAN;
      case "-V":
      case "--version":
        io.stdout(`python-mentor ${runtime.version}\n`);
        return EXIT_CLEAN;
      case "check":
        return await check(rest, runtime, io);
      case "explain":
        return explain(rest, runtime, io);
      case "rules":
        return listRules(rest, runtime, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`python-mentor: error: ${(error as Error).message}\nRun 'python-mentor --help' for usage.\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
}

async function check(args: readonly string[], runtime: NodeRuntime, io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      format: { type: "string", default: "text" },
      select: { type: "string" },
      ignore: { type: "string" },
      "no-color": { type: "boolean", default: false },
      lang: { type: "string" },
      jobs: { type: "string", short: "j" },
      "no-cache": { type: "boolean", default: false },
      fix: { type: "boolean", default: false },
      "unsafe-fixes": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT_CLEAN;
  }
  const format = values.format;
  if (format !== "text" && format !== "json" && format !== "sarif") {
    throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  }
  if (positionals.length === 0) throw new UsageError("check needs at least one PATH (a file or a folder)");
  // Without --fix nothing is applied, and check already lists unsafe fixes (as "review before applying").
  if (values["unsafe-fixes"] && !values.fix) throw new UsageError("--unsafe-fixes only applies with --fix (use --fix --unsafe-fixes)");
  const locale = cliLocale(values.lang, io.env);
  const selection = { select: ruleCodes(values.select, "--select"), ignore: ruleCodes(values.ignore, "--ignore"), locale };
  const jobs = jobCount(values.jobs);

  const collected = collectFiles(positionals);
  // Each file's [tool.python-mentor] (nearest pyproject.toml) under the command line's flags.
  const commandLine = { ...selection, language: values.lang, fallbackLocale: locale };
  const configured = await checkConfigured(collected.files, positionals, commandLine, (paths, runSelection) =>
    checkFiles(paths, {
      selection: runSelection,
      jobs,
      cache: values["no-cache"] || paths.length === 0 ? undefined : openCache(runtime, runSelection, io),
      loadLanguage: runtime.loadLanguage,
      workerFile: runtime.bundleFile,
      log: (message) => io.stderr(`python-mentor: ${message}\n`),
    }),
  );
  for (const problem of configured.problems) io.stderr(`python-mentor: error: ${formatProblem(problem)}\n`);
  const checked = configured.result;
  const fixing = values.fix
    ? await fixFiles(checked, {
        selection,
        // Each pass sees the file through its pyproject.toml, as the check did (named, so never excluded).
        analyseAs: async (file, analyse) => (await checkConfigured([file.path], [file.path], commandLine, async (_paths, runSelection) => analyse(runSelection))).result,
        unsafe: values["unsafe-fixes"],
        loadLanguage: runtime.loadLanguage,
        log: (message) => io.stderr(`python-mentor: ${message}\n`),
      })
    : undefined;
  const result = fixing?.result ?? checked;
  for (const line of fixing?.skipped ?? []) io.stderr(`python-mentor: warning: ${line}\n`);
  // Like Ruff, the fix report is part of the text output; JSON and SARIF keep stdout for the findings.
  const fixNote = (text: string) => (format === "text" ? io.stdout(text) : io.stderr(text));
  for (const line of fixing?.changes ?? []) fixNote(`${line}\n`);
  const errors = [...collected.errors, ...result.errors];
  for (const { path, error } of errors) io.stderr(`python-mentor: error: ${path}: ${error}\n`);
  for (const failure of result.failures) io.stderr(`python-mentor: error: ${failure}\n`);
  if (result.files.length === 0 && errors.length === 0 && result.failures.length === 0) {
    io.stderr(`python-mentor: warning: no Python files found under ${positionals.join(", ")}\n`);
  }

  if (format === "json") io.stdout(formatJson(result.files, runtime.knowledge));
  else if (format === "sarif") io.stdout(formatSarif(result.files, runtime.knowledge, runtime.version));
  else {
    const color = io.isTty && !values["no-color"] && !io.env.NO_COLOR;
    io.stdout(formatText(result, runtime.knowledge, textStyle(color), locale, fixing?.fixed));
  }
  if (fixing && fixing.unsafeLeft > 0) fixNote(`${unsafeFixesHint(fixing.unsafeLeft)}\n`);
  if (errors.length > 0 || result.failures.length > 0 || configured.problems.length > 0) return EXIT_ERROR;
  return result.files.some((file) => file.findings.length > 0) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** Each worker holds its own bundle and parser (tens of MB): far more than cores only costs memory. */
const MAX_JOBS = 64;

/** `--jobs N`, by default one worker thread per core the process may use. */
function jobCount(value: string | undefined): number {
  if (value === undefined) return Math.min(availableParallelism(), MAX_JOBS);
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--jobs must be a whole number, 1 or more, not "${value}"`);
  return Math.min(Number(value), MAX_JOBS);
}

/** The findings cache for this build, rules and language; undefined (after a warning) if unusable. */
function openCache(runtime: NodeRuntime, selection: RuleSelection, io: Io): FindingsCache | undefined {
  const warn = (message: string) => io.stderr(`python-mentor: warning: ${message}\n`);
  let build: string;
  try {
    build = buildIdentity(runtime.buildFiles);
  } catch (error) {
    warn(`cannot identify this build for the cache (${error instanceof Error ? error.message : String(error)}); checking without the cache`);
    return undefined;
  }
  const ruleCodes = RULES.filter((rule) => isSelected(rule.code, selection)).map((rule) => rule.code);
  return new FindingsCache({ root: cacheRoot(io.env), build, ruleCodes, locale: selection.locale ?? DEFAULT_LOCALE, warn });
}

/** Parses a comma-separated list of codes or prefixes; each must name at least one rule. */
function ruleCodes(value: string | undefined, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  const codes = value.split(",").map((code) => code.trim().toUpperCase()).filter(Boolean);
  for (const code of codes) {
    if (!RULES.some((rule) => rule.code.startsWith(code))) {
      throw new UsageError(`${option}: no rule matches "${code}" (known: ${RULES.map((rule) => rule.code).join(", ")})`);
    }
  }
  return codes;
}

function explain(args: readonly string[], runtime: NodeRuntime, io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { lang: { type: "string" }, format: { type: "string", default: "text" } },
  });
  const locale = cliLocale(values.lang, io.env);
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`--format must be text or json, not "${values.format}"`);
  const knowledge = runtime.knowledge;
  if (positionals.length === 0) {
    const entries = knowledge.ids().flatMap((id) => knowledge.get(id, locale) ?? []);
    if (values.format === "json") {
      const list = entries.map((entry) => ({
        id: entry.id,
        title: entry.title,
        triggers: entry.triggers,
        rules: entry.rules,
        languages: knowledge.localesOf(entry.id),
      }));
      io.stdout(JSON.stringify(list, null, 2) + "\n");
    } else {
      io.stdout(entries.map((entry) => `${entry.id.padEnd(36)} ${entry.title.replace(/`/g, "")}`).join("\n") + "\n");
    }
    return EXIT_CLEAN;
  }
  if (positionals.length > 1) throw new UsageError("explain takes one ID, rule code or rule name");
  const key = positionals[0];
  const rule = ruleByCode(key) ?? RULES.find((candidate) => candidate.name === key);
  const entry = knowledge.get(key, locale) ?? (rule ? knowledge.get(rule.knowledge, locale) : undefined);
  if (!entry) {
    const candidates = [...knowledge.ids(), ...RULES.map((r) => r.code), ...RULES.map((r) => r.name)];
    const near = nearest(key, candidates);
    const hint = near.length > 0 ? `; did you mean ${near.map((id) => `"${id}"`).join(", ")}?` : "";
    io.stderr(`python-mentor: error: no entry or rule "${key}"${hint}\nRun 'python-mentor explain' to list them.\n`);
    return EXIT_ERROR;
  }
  io.stdout(renderEntryDocument(entry) + "\n");
  return EXIT_CLEAN;
}

/** Up to three candidates closest to a mistyped id (edit distance, or a shared word). */
function nearest(key: string, candidates: readonly string[]): string[] {
  const wanted = key.toLowerCase();
  const scored = candidates.map((candidate) => {
    const lower = candidate.toLowerCase();
    const words = wanted.split(/[-_\s]+/).filter((word) => word.length > 2);
    const shares = words.some((word) => lower.includes(word));
    return { candidate, score: editDistance(wanted, lower) - (shares ? 3 : 0) };
  });
  const limit = Math.max(3, Math.floor(wanted.length / 2));
  return scored
    .filter((item) => item.score <= limit)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((item) => item.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function listRules(args: readonly string[], runtime: NodeRuntime, io: Io): number {
  const { values } = parseArgs({ args: [...args], options: { lang: { type: "string" } } });
  const locale = cliLocale(values.lang, io.env);
  const lines = RULES.map((rule) => {
    const entry = runtime.knowledge.get(rule.knowledge, locale);
    return `${rule.code}  ${rule.name.padEnd(30)} ${rule.severity.padEnd(8)} ${entry?.summary ?? ""}`;
  });
  io.stdout(lines.join("\n") + "\n");
  return EXIT_CLEAN;
}

/**
 * The language from `--lang`, else from the environment the way gettext reads it (LC_ALL, then
 * LC_MESSAGES, then LANG); English when none names a language we speak.
 */
function cliLocale(option: string | undefined, env: Record<string, string | undefined>): Locale {
  if (option !== undefined && option !== "auto") {
    const locale = matchLocale(option);
    if (!locale) throw new UsageError(`--lang must be auto, ${LOCALES.join(", ")}, not "${option}"`);
    return locale;
  }
  for (const name of ["LC_ALL", "LC_MESSAGES", "LANG"]) {
    const value = env[name];
    if (value) return matchLocale(value) ?? DEFAULT_LOCALE;
  }
  return DEFAULT_LOCALE;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
