import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Language, Parser } from "web-tree-sitter";
import type { RuleSelection } from "../analysis/analyzer";
import { applyEdits, newlineOf, nonOverlappingFixes } from "../analysis/apply-fixes";
import type { Finding, Fix } from "../analysis/finding";
import { parseText } from "../parse/document-tree";
import { createParser } from "../parse/python-parser";
import type { CheckResult, FileResult } from "./check-files";
import { FileChecker } from "./file-checker";
import { encodePythonSource } from "../parse/source-encoding";
import { decodeSource, describeIoError, readSourceBytes } from "./read-source";

/**
 * `python-mentor check --fix`: applies the fixes of a check's findings to the files on disk.
 *
 * Each pass applies every fix that overlaps none taken before it (the editor's fix-all choice,
 * shared through analysis/apply-fixes.ts), then analyses the new text again: a fix may make
 * another finding fixable, or two fixes on one line may need two passes. Passes stop when no
 * fix is left, or when one changes nothing. A file is written once, at the end, and only when
 * its fixed text parses cleanly; one that did not parse cleanly before is never touched.
 */

/** As in Ruff: real files settle in two or three passes, so reaching this means rules fight. */
export const MAX_FIX_PASSES = 100;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface FixOptions {
  /** What to analyse a fixed text with, unless `analyseAs` says otherwise; a file's own `locale` wins. */
  selection: RuleSelection;
  /**
   * Analyses a file's new text the way the check analysed the file: given the file and a
   * function that analyses the text with a selection, gives what the check would report
   * (main routes this through pyproject.toml's per-file select, ignore and severities, so a
   * pass neither fixes nor reports what the file's settings leave out).
   */
  analyseAs?: (file: FileResult, analyse: (selection: RuleSelection) => CheckResult) => Promise<CheckResult>;
  /** Apply fixes marked unsafe too (`--unsafe-fixes`); otherwise only safe ones. */
  unsafe: boolean;
  /** Tree-sitter, loaded only if some file has a fix to apply. */
  loadLanguage(): Promise<Language>;
  log(message: string): void;
}

export interface FixReport {
  /** The check result after fixing: a written file carries its remaining findings; new errors are added. */
  result: CheckResult;
  /** Findings the written fixes removed, over all files. */
  fixed: number;
  /** One line per file written: "fixed 3 findings in a.py (PYM001 x2, PYM004)". */
  changes: string[];
  /** Files left alone on purpose, one line each: "skipped a.py: it has syntax errors". */
  skipped: string[];
  /** Remaining findings whose fix is unsafe and was not applied (without `--unsafe-fixes`). */
  unsafeLeft: number;
}

type FileFix =
  | { kind: "unchanged" }
  | { kind: "skipped"; reason: string }
  | { kind: "failed"; error: string }
  | { kind: "written"; file: FileResult; counts: Map<string, number> };

/** Fixes the files of `checked` that have applicable fixes, one after another in this thread. */
export async function fixFiles(checked: CheckResult, options: FixOptions): Promise<FixReport> {
  const accept = (fix: Fix) => fix.edits.length > 0 && (fix.safe || options.unsafe);
  const report: FixReport = { result: { files: [], errors: [...checked.errors], failures: checked.failures }, fixed: 0, changes: [], skipped: [], unsafeLeft: 0 };
  let session: FixSession | undefined;
  try {
    for (const file of checked.files) {
      let outcome: FileFix = { kind: "unchanged" };
      if (file.findings.some((finding) => finding.fix && accept(finding.fix))) {
        session ??= new FixSession(await options.loadLanguage(), options);
        outcome = await fixFile(file, session, accept);
      }
      switch (outcome.kind) {
        case "written": {
          report.result.files.push(outcome.file);
          const total = [...outcome.counts.values()].reduce((sum, n) => sum + n, 0);
          report.fixed += total;
          report.changes.push(`fixed ${total} finding${total === 1 ? "" : "s"} in ${file.path} (${describeCounts(outcome.counts)})`);
          break;
        }
        case "skipped":
          report.result.files.push(file);
          report.skipped.push(`skipped ${file.path}: ${outcome.reason}`);
          break;
        case "failed":
          report.result.files.push(file);
          report.result.errors.push({ path: file.path, error: outcome.error });
          break;
        case "unchanged":
          report.result.files.push(file);
      }
    }
  } finally {
    session?.dispose();
  }
  if (!options.unsafe) {
    report.unsafeLeft = report.result.files.reduce((sum, file) => sum + file.findings.filter((finding) => finding.fix && !finding.fix.safe).length, 0);
  }
  return report;
}

/** Reads the file afresh, runs the passes, and writes the result if all went well. */
async function fixFile(file: FileResult, session: FixSession, accept: (fix: Fix) => boolean): Promise<FileFix> {
  const read = readSourceBytes(file.path);
  if (!read.ok) return { kind: "failed", error: read.error };
  const source = decodeSource(read.bytes);
  if (!source.ok) return { kind: "failed", error: source.error };
  const original = source.text;
  let findings = file.findings;
  // The findings place their edits in the text they were found in: if the file changed since
  // the check, they are found again.
  if (original !== file.lines.join("\n")) {
    const again = await session.check(file, original);
    if (!again.ok) return { kind: "failed", error: again.error };
    findings = again.findings;
  }
  if (session.hasSyntaxErrors(original)) return { kind: "skipped", reason: "it has syntax errors" };

  const newline = newlineOf(original);
  const counts = new Map<string, number>();
  const seen = new Set<string>([original]);
  let text = original;
  for (let pass = 1; ; pass++) {
    const { fixes, fixed } = nonOverlappingFixes(findings, accept);
    if (fixes.length === 0) break;
    const next = applyEdits(text, fixes.flatMap((fix) => fix.edits), newline);
    // Fixes that change nothing would be offered again forever.
    if (next === text) break;
    if (seen.has(next) || pass > MAX_FIX_PASSES) {
      const why = seen.has(next) ? "undo each other" : `did not settle after ${MAX_FIX_PASSES} passes`;
      return { kind: "failed", error: `not fixed: the fixes of ${codesOf(fixed)} ${why} (a bug in python-mentor; please report it); the file is unchanged` };
    }
    if (session.hasSyntaxErrors(next)) {
      const culprits = fixed.filter((finding) => finding.fix && session.hasSyntaxErrors(applyEdits(text, finding.fix.edits, newline)));
      const blamed = culprits.length > 0 ? culprits : fixed;
      const where = blamed.map((finding) => `${finding.code} at line ${finding.range.start.row + 1}`).join(", ");
      return { kind: "failed", error: `not fixed: the fix of ${where} would leave a syntax error (a bug in python-mentor; please report it); the file is unchanged` };
    }
    for (const finding of fixed) counts.set(finding.code, (counts.get(finding.code) ?? 0) + 1);
    const outcome = await session.check(file, next);
    if (!outcome.ok) return { kind: "failed", error: outcome.error };
    seen.add(next);
    text = next;
    findings = outcome.findings;
  }
  if (text === original) return { kind: "unchanged" };

  const hadBom = read.bytes.subarray(0, 3).equals(BOM);
  const encoded = encodePythonSource(text, source.encoding ?? "utf-8");
  // Only UTF-8, latin-1 and ASCII can be written back exactly; a file in another codec keeps its bytes.
  if (!encoded) {
    const exact = source.encoding === "latin-1" || source.encoding === "ascii";
    const reason = exact ? `the fixed text has characters that ${source.encoding} cannot hold` : `it is written in ${source.encoding}, and fixes are written only in UTF-8, latin-1 or ASCII`;
    return { kind: "skipped", reason };
  }
  const bytes = Buffer.concat([hadBom ? BOM : Buffer.alloc(0), encoded]);
  const error = replaceFile(file.path, read.bytes, bytes);
  if (error) return { kind: "failed", error };
  return { kind: "written", file: { ...file, lines: findings.length > 0 ? text.split("\n") : [], findings }, counts };
}

/**
 * Puts `bytes` in place of the file, if it still holds `expected`: written to a temporary file
 * beside it, given the file's mode, then renamed over it, so no reader ever sees half a file.
 * A symbolic link stays a link: its target is what gets replaced. Gives the error, if any.
 */
function replaceFile(file: string, expected: Buffer, bytes: Buffer): string | undefined {
  let temp: string | undefined;
  try {
    const target = realpathSync(file);
    const mode = statSync(target).mode & 0o7777;
    if (!readFileSync(target).equals(expected)) return "changed on disk while being fixed; not overwritten (run again)";
    temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString("hex")}.python-mentor-fix`);
    writeFileSync(temp, bytes, { flag: "wx", mode });
    // The mode given to writeFileSync passes through the umask; the file's own mode must not.
    chmodSync(temp, mode);
    renameSync(temp, target);
    temp = undefined;
    return undefined;
  } catch (error) {
    return `cannot write the fixed file (${describeIoError(error)}); the file is unchanged`;
  } finally {
    if (temp !== undefined) {
      try {
        unlinkSync(temp);
      } catch {
        // Never created, or already gone.
      }
    }
  }
}

/** "PYM001 x2, PYM004": codes in order, a count only when above one. */
function describeCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => (n === 1 ? code : `${code} x${n}`))
    .join(", ");
}

function codesOf(findings: readonly Finding[]): string {
  return [...new Set(findings.map((finding) => finding.code))].sort().join(", ");
}

/** The parser and analyzers the passes share, made once for all the files to fix. */
class FixSession {
  private readonly parser: Parser;
  /** One per selection met (a pyproject.toml may choose the language of one folder's files). */
  private readonly checkers = new Map<string, FileChecker>();
  /** A broken rule is logged once, however many passes and files it breaks on. */
  private readonly logged = new Set<string>();

  constructor(
    private readonly language: Language,
    private readonly options: FixOptions,
  ) {
    this.parser = createParser(language);
  }

  /** The findings the check would report for `file` if it held `text`. */
  async check(file: FileResult, text: string): Promise<{ ok: true; findings: Finding[] } | { ok: false; error: string }> {
    const analyse = (selection: RuleSelection): CheckResult => {
      const outcome = this.checkerFor(selection).check(text);
      if (!outcome.ok) return { files: [], errors: [{ path: file.path, error: outcome.error }], failures: [] };
      for (const message of outcome.logs) {
        const head = message.split("\n", 1)[0];
        if (this.logged.has(head)) continue;
        this.logged.add(head);
        this.options.log(message);
      }
      return { files: [{ ...file, lines: [], findings: outcome.findings }], errors: [], failures: [] };
    };
    const { selection, analyseAs } = this.options;
    const result = analyseAs ? await analyseAs(file, analyse) : analyse(file.locale ? { ...selection, locale: file.locale } : selection);
    const found = result.files.find((candidate) => candidate.path === file.path);
    if (found) return { ok: true, findings: found.findings };
    return { ok: false, error: result.errors[0]?.error ?? "internal error: the fixed text was not analysed" };
  }

  /** Whether the tree has an ERROR or a MISSING node anywhere. */
  hasSyntaxErrors(text: string): boolean {
    const tree = parseText(this.parser, text);
    try {
      return tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  }

  dispose(): void {
    for (const checker of this.checkers.values()) checker.dispose();
    this.parser.delete();
  }

  private checkerFor(selection: RuleSelection): FileChecker {
    const key = JSON.stringify([selection.select ?? null, selection.ignore ?? null, selection.locale ?? null]);
    let checker = this.checkers.get(key);
    if (!checker) {
      checker = new FileChecker(this.language, selection);
      this.checkers.set(key, checker);
    }
    return checker;
  }
}

/** What to tell someone whose remaining findings have fixes that `--fix` alone leaves for review. */
export function unsafeFixesHint(count: number): string {
  const which = count === 1 ? "1 remaining finding has a fix" : `${count} remaining findings have fixes`;
  return `${which} to review before applying; --fix --unsafe-fixes applies ${count === 1 ? "it" : "them"} too.`;
}
