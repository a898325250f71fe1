import { execFileSync } from "node:child_process";

/** The interpreter the tests check Python code against (PYTHON overrides). */
export const PYTHON = process.env.PYTHON ?? "python3";

const COMPILE_ALL = [
  "import json, sys, warnings",
  "warnings.simplefilter('ignore')",
  "errors = {}",
  "for p in sys.argv[1:]:",
  "    try:",
  "        compile(open(p, encoding='utf-8').read(), p, 'exec')",
  "    except SyntaxError as e:",
  "        errors[p] = f'line {e.lineno}: {e.msg}'",
  "print(json.dumps(errors))",
].join("\n");

/**
 * Compiles each file with the real interpreter (one process for all of them, which is stricter
 * than tree-sitter's parser) and returns the syntax errors by file path: empty when all compile.
 */
export function python3CompileErrors(files: readonly string[], cwd?: string): Record<string, string> {
  if (files.length === 0) return {};
  return JSON.parse(execFileSync(PYTHON, ["-c", COMPILE_ALL, ...files], { encoding: "utf8", cwd })) as Record<string, string>;
}
