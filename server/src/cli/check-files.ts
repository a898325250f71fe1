import type { Language } from "web-tree-sitter";
import type { RuleSelection } from "../analysis/analyzer";
import type { Finding } from "../analysis/finding";
import type { Locale } from "../i18n/locale";
import type { FindingsCache } from "./cache";
import { CHECK_WORKER_ROLE, type CheckWorkerData } from "./check-worker";
import { FileChecker, type CheckOutcome } from "./file-checker";
import { decodeSource, readSourceBytes } from "./read-source";
import { WorkerPool } from "./worker-pool";

export interface FileResult {
  path: string;
  /**
   * The file's rows, for converting columns to code points; empty when there are no findings,
   * since only findings are converted (splitting every file would cost more than a cached run).
   */
  lines: string[];
  findings: Finding[];
  /** The language its findings were made in, when it is not the run's (pyproject.toml's `language`). */
  locale?: Locale;
}

export interface CheckResult {
  files: FileResult[];
  errors: { path: string; error: string }[];
  /** Problems of the run rather than of one file (no worker could start): printed as errors. */
  failures: string[];
}

export interface CheckOptions {
  selection: RuleSelection;
  /** Worker threads to check in; 1 checks in this thread. */
  jobs: number;
  /** Absent with --no-cache. */
  cache?: FindingsCache;
  /** Tree-sitter, loaded only if some file must be parsed in this thread. */
  loadLanguage(): Promise<Language>;
  /** The CLI bundle, which workers run. */
  workerFile: string;
  log(message: string): void;
}

/** Text to analyse once, for every file with exactly these bytes. */
interface Task {
  id: number;
  text: string;
  key: string | undefined;
  /** Indexes into the paths; several when files share their content (many `__init__.py` are empty). */
  files: number[];
}

type Slot = FileResult | { path: string; error: string };

/**
 * Reads, parses and analyses each file; a file that cannot be read is reported and the rest go
 * on. Results come back in the order of `paths` however many threads checked them.
 */
export async function checkFiles(paths: readonly string[], options: CheckOptions): Promise<CheckResult> {
  const { cache } = options;
  const slots: Slot[] = new Array(paths.length);
  const tasks: Task[] = [];
  const taskByKey = new Map<string, Task>();
  let pool: WorkerPool | undefined;

  for (const [index, path] of paths.entries()) {
    const read = readSourceBytes(path);
    if (!read.ok) {
      slots[index] = { path, error: read.error };
      continue;
    }
    const key = cache?.keyOf(read.bytes);
    const cached = key === undefined ? undefined : cache?.get(key);
    if (cached) {
      // A hit proves these bytes decoded before: decoding is needed only to place findings.
      const source = cached.length > 0 ? decodeSource(read.bytes) : { ok: true as const, text: "" };
      slots[index] = source.ok ? fileResult(path, source.text, cached) : { path, error: source.error };
      continue;
    }
    const twin = key === undefined ? undefined : taskByKey.get(key);
    if (twin) {
      twin.files.push(index);
      continue;
    }
    const source = decodeSource(read.bytes);
    if (!source.ok) {
      slots[index] = { path, error: source.error };
      continue;
    }
    const task: Task = { id: tasks.length, text: source.text, key, files: [index] };
    tasks.push(task);
    if (key !== undefined) taskByKey.set(key, task);
    // From the second task on, workers pay off: they start now and load the parser while this
    // thread goes on reading. A lone file is checked here, sparing a worker's start-up.
    if (options.jobs > 1 && tasks.length === 2) {
      const workerData: CheckWorkerData = { role: CHECK_WORKER_ROLE, selection: options.selection };
      pool = new WorkerPool({ size: options.jobs, file: options.workerFile, workerData });
      pool.add(tasks[0]);
    }
    pool?.add(task);
  }

  const failures: string[] = [];
  const outcomes = new Map<number, CheckOutcome>();
  if (pool) {
    const result = await pool.run();
    for (const [id, outcome] of result.outcomes) outcomes.set(id, outcome);
    if (result.failure) failures.push(`${result.failure}; checked the remaining files in the main thread`);
  }
  const left = tasks.filter((task) => !outcomes.has(task.id));
  if (left.length > 0) {
    const checker = new FileChecker(await options.loadLanguage(), options.selection);
    try {
      for (const task of left) outcomes.set(task.id, checker.check(task.text));
    } finally {
      checker.dispose();
    }
  }

  // Each worker logs a broken rule once; the first line names the rule and the error, and the
  // stack below it differs from thread to thread.
  const logged = new Set<string>();
  for (const task of tasks) {
    const outcome = outcomes.get(task.id) as CheckOutcome;
    if (outcome.ok) {
      if (task.key !== undefined && !outcome.incomplete) cache?.put(task.key, outcome.findings);
      for (const message of outcome.logs) {
        const head = message.split("\n", 1)[0];
        if (logged.has(head)) continue;
        logged.add(head);
        options.log(message);
      }
    }
    for (const index of task.files) {
      slots[index] = outcome.ok ? fileResult(paths[index], task.text, outcome.findings) : { path: paths[index], error: outcome.error };
    }
  }
  cache?.flush();

  const result: CheckResult = { files: [], errors: [], failures };
  for (const slot of slots) {
    if ("error" in slot) result.errors.push(slot);
    else result.files.push(slot);
  }
  return result;
}

function fileResult(path: string, text: string, findings: Finding[]): FileResult {
  return { path, lines: findings.length > 0 ? text.split("\n") : [], findings };
}
