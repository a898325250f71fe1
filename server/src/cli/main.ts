import { parseArgs } from "node:util";
import type { NodeRuntime } from "../node/node-runtime";
import { renderEntryDocument } from "../knowledge/render-markdown";
import { RULES, ruleByCode } from "../rules/registry";
import { checkFiles } from "./check-files";
import { collectFiles } from "./collect-files";
import { formatJson } from "./format-json";
import { formatSarif } from "./format-sarif";
import { formatText, textStyle } from "./format-text";
import { USAGE, UsageError } from "./usage";

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
export function runCommand(argv: readonly string[], runtime: NodeRuntime, io: Io): number {
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
        return check(rest, runtime, io);
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

function check(args: readonly string[], runtime: NodeRuntime, io: Io): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      format: { type: "string", default: "text" },
      select: { type: "string" },
      ignore: { type: "string" },
      "no-color": { type: "boolean", default: false },
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
  const selection = { select: ruleCodes(values.select, "--select"), ignore: ruleCodes(values.ignore, "--ignore") };

  const collected = collectFiles(positionals);
  const result = checkFiles(runtime.language, collected.files, selection, (message) => io.stderr(`python-mentor: ${message}\n`));
  const errors = [...collected.errors, ...result.errors];
  for (const { path, error } of errors) io.stderr(`python-mentor: error: ${path}: ${error}\n`);

  if (format === "json") io.stdout(formatJson(result.files, runtime.knowledge));
  else if (format === "sarif") io.stdout(formatSarif(result.files, runtime.knowledge, runtime.version));
  else {
    const color = io.isTty && !values["no-color"] && !io.env.NO_COLOR;
    io.stdout(formatText(result, runtime.knowledge, textStyle(color)));
  }
  if (errors.length > 0) return EXIT_ERROR;
  return result.files.some((file) => file.findings.length > 0) ? EXIT_FINDINGS : EXIT_CLEAN;
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
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const knowledge = runtime.knowledge;
  if (positionals.length === 0) {
    const lines = knowledge.ids().map((id) => {
      const entry = knowledge.get(id);
      return `${id.padEnd(30)} ${entry?.summary ?? ""}`;
    });
    io.stdout(`Knowledge entries (python-mentor explain ID):\n${lines.join("\n")}\n`);
    return EXIT_CLEAN;
  }
  const key = positionals[0];
  const entry = knowledge.get(key) ?? (ruleByCode(key) ? knowledge.forRule(key.toUpperCase()) : undefined) ?? ruleByName(key, runtime);
  if (!entry) throw new UsageError(`no entry or rule "${key}"; run 'python-mentor explain' to list them`);
  io.stdout(renderEntryDocument(entry) + "\n");
  return EXIT_CLEAN;
}

function ruleByName(name: string, runtime: NodeRuntime) {
  const rule = RULES.find((candidate) => candidate.name === name);
  return rule ? runtime.knowledge.get(rule.knowledge) : undefined;
}

function listRules(args: readonly string[], runtime: NodeRuntime, io: Io): number {
  parseArgs({ args: [...args], options: {} });
  const lines = RULES.map((rule) => {
    const entry = runtime.knowledge.get(rule.knowledge);
    return `${rule.code}  ${rule.name.padEnd(30)} ${rule.severity.padEnd(8)} ${entry?.title.replace(/`/g, "") ?? ""}`;
  });
  io.stdout(lines.join("\n") + "\n");
  return EXIT_CLEAN;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
