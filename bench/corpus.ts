import { execFileSync } from "node:child_process";
import { collectFiles } from "../server/src/cli/collect-files";
import { readSource } from "../server/src/cli/read-source";

export interface SourceFile {
  path: string;
  text: string;
  lines: number;
}

export interface Corpus {
  dir: string;
  files: SourceFile[];
  lines: number;
  bytes: number;
  /** Files the checker would refuse too (binary, not UTF-8, too large): left out of every case. */
  unreadable: number;
}

/** The running Python's standard library: the same folder `python-mentor check` would be pointed at. */
export function stdlibDir(): string {
  try {
    return execFileSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(`no corpus: python3 did not name its standard library (${error instanceof Error ? error.message : String(error)}); set BENCH_CORPUS=DIR`);
  }
}

/** Every *.py / *.pyi file the CLI would check under `dir`, read once, in the CLI's order. */
export function loadCorpus(dir: string): Corpus {
  const { files: paths, errors } = collectFiles([dir]);
  if (errors.length > 0 && paths.length === 0) throw new Error(`corpus ${dir}: ${errors[0].error}`);
  const files: SourceFile[] = [];
  let unreadable = 0;
  let bytes = 0;
  for (const file of paths) {
    const source = readSource(file);
    if (!source.ok) {
      unreadable++;
      continue;
    }
    files.push({ path: file, text: source.text, lines: countLines(source.text) });
    bytes += Buffer.byteLength(source.text);
  }
  if (files.length === 0) throw new Error(`corpus ${dir}: no readable Python files`);
  return { dir, files, lines: files.reduce((sum, file) => sum + file.lines, 0), bytes, unreadable };
}

function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/**
 * Files of exactly `lineCount` lines made of whole corpus files laid end to end (the last one cut),
 * each from files the previous ones did not use, so `count` files hold different code. Files with
 * tabs are skipped: mixed with space-indented neighbours they would make every later line an error.
 */
export function syntheticFiles(corpus: Corpus, lineCount: number, count: number): string[] {
  const result: string[] = [];
  let lines: string[] = [];
  for (const file of corpus.files) {
    if (result.length === count) break;
    if (file.text.includes("\t")) continue;
    lines.push(...file.text.split("\n"));
    if (lines.length >= lineCount) {
      result.push(lines.slice(0, lineCount).join("\n"));
      lines = [];
    }
  }
  // A small corpus (BENCH_CORPUS) is reused from the start rather than giving fewer files.
  if (result.length > 0) for (let i = result.length; i < count; i++) result.push(result[i % result.length]);
  if (result.length < count) {
    const all = corpus.files.filter((file) => !file.text.includes("\t")).flatMap((file) => file.text.split("\n"));
    if (all.length === 0) throw new Error("the corpus has no tab-free files to build test documents from");
    const repeated: string[] = [];
    while (repeated.length < lineCount) repeated.push(...all);
    const text = repeated.slice(0, lineCount).join("\n");
    while (result.length < count) result.push(text);
  }
  return result;
}

/**
 * Every `step`-th file up to `maxLines` lines in all: a spread over the whole corpus for the peers
 * too slow to take all of it (pylint).
 */
export function spreadSubset(corpus: Corpus, maxLines: number): SourceFile[] {
  if (corpus.lines <= maxLines) return corpus.files;
  const step = Math.max(1, Math.floor(corpus.lines / maxLines));
  const subset: SourceFile[] = [];
  let lines = 0;
  for (let i = 0; i < corpus.files.length && lines < maxLines; i += step) {
    subset.push(corpus.files[i]);
    lines += corpus.files[i].lines;
  }
  return subset;
}
