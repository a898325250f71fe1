import type { Language } from "web-tree-sitter";
import { Analyzer, type RuleSelection } from "../analysis/analyzer";
import type { Finding } from "../analysis/finding";
import { parseText } from "../parse/document-tree";
import { createParser } from "../parse/python-parser";
import { RULES } from "../rules/registry";
import { readSource } from "./read-source";

export interface FileResult {
  path: string;
  /** The file's rows, for converting columns to code points. */
  lines: string[];
  findings: Finding[];
}

export interface CheckResult {
  files: FileResult[];
  errors: { path: string; error: string }[];
}

/** Reads, parses and analyses each file; a file that cannot be read is reported and the rest go on. */
export function checkFiles(
  language: Language,
  paths: readonly string[],
  selection: RuleSelection,
  log: (message: string) => void,
): CheckResult {
  const parser = createParser(language);
  const analyzer = new Analyzer(language, RULES, log);
  const result: CheckResult = { files: [], errors: [] };
  try {
    for (const path of paths) {
      const source = readSource(path);
      if (!source.ok) {
        result.errors.push({ path, error: source.error });
        continue;
      }
      const tree = parseText(parser, source.text);
      try {
        const { findings } = analyzer.analyze(tree, source.text, selection);
        result.files.push({ path, lines: source.text.split("\n"), findings });
      } finally {
        tree.delete();
      }
    }
  } finally {
    analyzer.dispose();
    parser.delete();
  }
  return result;
}
