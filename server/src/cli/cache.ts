import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import type { Finding } from "../analysis/finding";
import { describeIoError } from "./read-source";

/**
 * The findings cache of `python-mentor check`: file content (with what else decides findings)
 * to findings, so an unchanged file is never parsed twice.
 *
 * Layout: ROOT/BUILD/PACK.json. BUILD is the start of the hash of the running bundle and its
 * wasm files, so another version never sees these entries. A PACK holds many entries
 * (`{"format": 1, "entries": {KEY: [finding, ...]}}`): a run reads every pack of its build once
 * and writes at most one new pack, atomically (temporary file, then rename), so parallel runs
 * never see half a file and never lose each other's packs. One file per entry would be simpler
 * but costs a file per checked file: over the standard library, seconds to write and a block of
 * disk each, where a pack is 120 KB written in milliseconds.
 *
 * Size: past MAX_PACKS packs or MAX_ENTRIES entries, a run merges the packs it read into one,
 * keeping the entries it used, then the newest. Folders of other builds are deleted but for the
 * OTHER_BUILDS_KEPT most recently used.
 */

const FORMAT = 1;
const MAX_PACKS = 8;
export const MAX_ENTRIES = 50_000;
/** A few, so switching between two installed versions does not empty the cache each time. */
const OTHER_BUILDS_KEPT = 2;
/** Temporary files older than this were left by a run that died mid-write. */
const STALE_TEMP_MS = 60 * 60 * 1000;

const PACK_NAME = /^[0-9a-z]+-[0-9a-z]+-[0-9a-f]{8}\.json$/;
const TEMP_NAME = /^\.tmp-[0-9a-z]+-[0-9a-z]+-[0-9a-f]{8}\.json$/;
const BUILD_DIR = /^[0-9a-f]{16}$/;
const CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by python-mentor.\n# For information about cache directory tags see https://bford.info/cachedir/\n";

/**
 * Where the cache lives: never in the project. PYTHON_MENTOR_CACHE_DIR wins; then the platform's
 * per-user cache folder.
 */
export function cacheRoot(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const override = env.PYTHON_MENTOR_CACHE_DIR;
  if (override) return path.resolve(override);
  if (platform === "win32") return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, "AppData", "Local"), "python-mentor", "Cache");
  if (platform === "darwin") return path.posix.join(home, "Library", "Caches", "python-mentor");
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  return path.posix.join(xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, ".cache"), "python-mentor");
}

/** Hash of the files that make the checker (the bundle and the wasm): any rebuild changes it. */
export function buildIdentity(files: readonly string[]): string {
  const hash = createHash("sha256");
  for (const file of files) {
    const bytes = readFileSync(file);
    hash.update(`${path.basename(file)}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}

export interface CacheOptions {
  root: string;
  /** buildIdentity() of the running checker. */
  build: string;
  /** The rules that run (after --select and --ignore) and the language: both change findings. */
  ruleCodes: readonly string[];
  locale: string;
  /** Told once at most, when the cache cannot be used; the check goes on without it. */
  warn(message: string): void;
}

export class FindingsCache {
  private readonly dir: string;
  private readonly keyPrefix: Buffer;
  private readonly loaded = new Map<string, unknown>();
  /** Packs read (or found damaged) at start: a merge replaces exactly these. */
  private readonly packs: string[] = [];
  private readonly used = new Set<string>();
  private readonly fresh = new Map<string, Finding[]>();
  private damaged = false;
  private enabled = true;

  constructor(private readonly options: CacheOptions) {
    this.dir = path.join(options.root, options.build.slice(0, 16));
    this.keyPrefix = createHash("sha256")
      .update(`python-mentor findings\0${FORMAT}\0${options.build}\0${options.ruleCodes.join(",")}\0${options.locale}`)
      .digest();
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (error) {
      this.disable(`cannot use the cache folder ${options.root} (${describeIoError(error)}); checking without the cache`);
      return;
    }
    this.load();
  }

  /** The entry key of a file's bytes: its hash together with the build, rules and language. */
  keyOf(bytes: Uint8Array): string {
    return createHash("sha256").update(this.keyPrefix).update(bytes).digest("hex");
  }

  get(key: string): Finding[] | undefined {
    if (!this.enabled) return undefined;
    const value = this.loaded.get(key);
    if (value === undefined) return undefined;
    if (!isFindingList(value)) {
      // Edited or damaged by hand: treated as absent, and the merge at the end rewrites the pack.
      this.loaded.delete(key);
      this.damaged = true;
      return undefined;
    }
    this.used.add(key);
    return value;
  }

  put(key: string, findings: Finding[]): void {
    if (this.enabled) this.fresh.set(key, findings);
  }

  /** Saves what this run added, merges and prunes when due. Never throws: a cache is optional. */
  flush(): void {
    if (!this.enabled) return;
    const packCount = this.packs.length + (this.fresh.size > 0 ? 1 : 0);
    const merge = this.damaged || packCount > MAX_PACKS || this.loaded.size + this.fresh.size > MAX_ENTRIES;
    if (this.fresh.size === 0 && !merge) {
      // Marks this build as recently used, so pruning by other builds spares it.
      try {
        const now = new Date();
        utimesSync(this.dir, now, now);
      } catch {
        // Only a hint for pruning.
      }
      return;
    }
    try {
      const tag = path.join(this.options.root, "CACHEDIR.TAG");
      if (!existsSync(tag)) writeFileSync(tag, CACHEDIR_TAG);
      if (merge) {
        this.writePack(this.merged());
        for (const name of this.packs) removeQuietly(path.join(this.dir, name));
        this.removeStaleTemps();
      } else {
        this.writePack(this.fresh);
      }
    } catch (error) {
      this.disable(`cannot write to the cache folder ${this.options.root} (${describeIoError(error)}); results were not cached`);
      return;
    }
    this.pruneOtherBuilds();
  }

  private load(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => PACK_NAME.test(name)).sort();
    } catch {
      this.damaged = true;
      return;
    }
    // Oldest first, so a newer pack's entry for the same key wins.
    for (const name of names) {
      let text: string;
      try {
        text = readFileSync(path.join(this.dir, name), "utf8");
      } catch (error) {
        // Gone: another run merged it away since the listing. Anything else: damaged.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        this.damaged = true;
        this.packs.push(name);
        continue;
      }
      this.packs.push(name);
      let pack: unknown;
      try {
        pack = JSON.parse(text);
      } catch {
        this.damaged = true;
        continue;
      }
      if (!isPack(pack)) {
        this.damaged = true;
        continue;
      }
      for (const [key, value] of Object.entries(pack.entries)) this.loaded.set(key, value);
    }
  }

  /** Entries this run used or made first, then the others newest first, up to MAX_ENTRIES. */
  private merged(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const key of this.used) out.set(key, this.loaded.get(key));
    for (const [key, value] of this.fresh) out.set(key, value);
    const others = [...this.loaded.keys()].reverse();
    for (const key of others) {
      if (out.size >= MAX_ENTRIES) break;
      if (!out.has(key)) out.set(key, this.loaded.get(key));
    }
    return out;
  }

  private writePack(entries: ReadonlyMap<string, unknown>): void {
    const stem = `${Date.now().toString(36).padStart(9, "0")}-${process.pid.toString(36)}-${randomBytes(4).toString("hex")}`;
    const temp = path.join(this.dir, `.tmp-${stem}.json`);
    try {
      writeFileSync(temp, JSON.stringify({ format: FORMAT, entries: Object.fromEntries(entries) }));
      renameSync(temp, path.join(this.dir, `${stem}.json`));
    } catch (error) {
      removeQuietly(temp);
      throw error;
    }
  }

  private removeStaleTemps(): void {
    try {
      for (const name of readdirSync(this.dir)) {
        if (!TEMP_NAME.test(name)) continue;
        const file = path.join(this.dir, name);
        if (Date.now() - statSync(file).mtimeMs > STALE_TEMP_MS) removeQuietly(file);
      }
    } catch {
      // Leftovers cost a little disk, nothing more.
    }
  }

  private pruneOtherBuilds(): void {
    try {
      const current = path.basename(this.dir);
      const others = readdirSync(this.options.root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && BUILD_DIR.test(entry.name) && entry.name !== current)
        .map((entry) => ({ dir: path.join(this.options.root, entry.name), used: statSync(path.join(this.options.root, entry.name)).mtimeMs }))
        .sort((a, b) => b.used - a.used);
      for (const { dir } of others.slice(OTHER_BUILDS_KEPT)) {
        // Only files this cache makes are removed, so a folder that is not ours stays as it is.
        for (const name of readdirSync(dir)) if (PACK_NAME.test(name) || TEMP_NAME.test(name)) removeQuietly(path.join(dir, name));
        rmdirSync(dir);
      }
    } catch {
      // Another run may be pruning too; whatever is left goes next time.
    }
  }

  private disable(message: string): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.options.warn(message);
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone (another run merged it), or held open on Windows: the next merge retries.
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPack(value: unknown): value is { format: number; entries: Json } {
  return isObject(value) && value.format === FORMAT && isObject(value.entries);
}

const SEVERITIES = new Set(["error", "warning", "info", "hint"]);

/** Checked on every hit: a damaged entry must fall back to analysis, never reach the output. */
export function isFindingList(value: unknown): value is Finding[] {
  return Array.isArray(value) && value.every(isFinding);
}

function isFinding(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.code === "string" &&
    typeof value.name === "string" &&
    typeof value.message === "string" &&
    typeof value.knowledge === "string" &&
    typeof value.severity === "string" &&
    SEVERITIES.has(value.severity) &&
    isRange(value.range) &&
    (value.fix === undefined || isFix(value.fix))
  );
}

function isFix(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.title === "string" &&
    typeof value.safe === "boolean" &&
    Array.isArray(value.edits) &&
    value.edits.every((edit) => isObject(edit) && typeof edit.newText === "string" && isRange(edit.range))
  );
}

function isRange(value: unknown): boolean {
  return isObject(value) && isPoint(value.start) && isPoint(value.end);
}

function isPoint(value: unknown): boolean {
  return isObject(value) && Number.isInteger(value.row) && Number.isInteger(value.column) && (value.row as number) >= 0 && (value.column as number) >= 0;
}
