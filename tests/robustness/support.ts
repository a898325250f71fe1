import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { ROOT } from "../helpers/runtime";

/**
 * Shared pieces of the robustness suite: a seeded random source (every randomised test prints its
 * seed and takes `PYM_SEED` to replay it), a corpus of real Python, and a model of LSP positions
 * written independently of the server's, so that the tests do not check the server against itself.
 */

/**
 * The seed of a randomised test: `PYM_SEED=<n>` replays a failure, `PYM_SEED=random` explores new
 * ground; otherwise a fixed seed per test keeps `npm test` deterministic.
 */
export function seedFor(defaultSeed: number): number {
  const env = process.env.PYM_SEED;
  if (env === "random") return Math.floor(Math.random() * 2 ** 31);
  if (env !== undefined && env !== "" && Number.isInteger(Number(env))) return Number(env);
  return defaultSeed;
}

/** Mulberry32: tiny, fast and good enough to drive a fuzzer; the same seed gives the same run. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

export interface CorpusFile {
  name: string;
  text: string;
}

/** Real Python: the rule fixtures (full of findings) and the examples. */
export function pythonCorpus(): CorpusFile[] {
  const dirs = [path.join(ROOT, "tests/fixtures/rules"), path.join(ROOT, "examples")];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".py"))
      .sort()
      .map((name) => ({ name: path.relative(ROOT, path.join(dir, name)), text: readFileSync(path.join(dir, name), "utf8") })),
  );
}

export interface Position {
  line: number;
  character: number;
}

/**
 * LSP positions as the protocol defines them, independently of vscode-languageserver-textdocument:
 * lines end at \r\n, \r or \n, characters count UTF-16 code units.
 */
export class LspText {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - this.lineStarts[low] };
  }

  /** An offset that is a valid LSP position: never between the \r and \n of a CRLF. */
  static snap(text: string, offset: number): number {
    return offset > 0 && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10 ? offset - 1 : offset;
  }
}

/** A short description of a string for failure messages: JSON, cut in the middle when long. */
export function preview(text: string, max = 160): string {
  const json = JSON.stringify(text);
  return json.length <= max ? json : `${json.slice(0, max / 2)}…(${text.length} chars)…${json.slice(-max / 2)}`;
}
