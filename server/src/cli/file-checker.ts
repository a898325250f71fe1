import type { Language, Parser } from "web-tree-sitter";
import { Analyzer, type RuleSelection } from "../analysis/analyzer";
import type { Finding } from "../analysis/finding";
import { parseText } from "../parse/document-tree";
import { createParser } from "../parse/python-parser";
import type { Rule } from "../rules/rule";
import { RULES } from "../rules/registry";

/** What checking one file's text gives: plain data, so it can cross a thread or sit in the cache. */
export type CheckOutcome =
  | {
      ok: true;
      findings: Finding[];
      /** Messages the analyzer logged meanwhile (a rule that threw). */
      logs: string[];
      /** A rule threw on this text: its findings are incomplete, so they must not be cached. */
      incomplete: boolean;
    }
  | { ok: false; error: string };

/**
 * One parser and one analyzer, reused file after file. Tree-sitter objects live in one thread's
 * WebAssembly memory, so each worker thread makes its own.
 */
export class FileChecker {
  private readonly parser: Parser;
  private readonly analyzer: Analyzer;
  private logs: string[] = [];
  private ruleThrew = false;

  constructor(
    language: Language,
    private readonly selection: RuleSelection,
  ) {
    this.parser = createParser(language);
    // The analyzer logs a broken rule once per analyzer, but every file it breaks on must be
    // known, to keep that file out of the cache.
    const rules = RULES.map((rule) => this.watched(rule));
    this.analyzer = new Analyzer(language, rules, (message) => this.logs.push(message));
  }

  check(text: string): CheckOutcome {
    this.logs = [];
    this.ruleThrew = false;
    try {
      const tree = parseText(this.parser, text);
      try {
        const { findings } = this.analyzer.analyze(tree, text, this.selection);
        return { ok: true, findings, logs: this.logs, incomplete: this.ruleThrew };
      } finally {
        tree.delete();
      }
    } catch (error) {
      // Whatever one file does to the parser, the other files are still checked.
      return { ok: false, error: `internal error while checking: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  dispose(): void {
    this.analyzer.dispose();
    this.parser.delete();
  }

  private watched(rule: Rule): Rule {
    const check = (ctx: Parameters<Rule["check"]>[0]): Finding[] => {
      try {
        return rule.check(ctx);
      } catch (error) {
        this.ruleThrew = true;
        throw error;
      }
    };
    // A prototype link rather than a copy keeps any getters and `this` of the rule object working.
    return Object.assign(Object.create(rule) as Rule, { check });
  }
}
