import { Worker } from "node:worker_threads";
import type { BatchMessage, WorkerMessage } from "./check-worker";
import type { CheckOutcome } from "./file-checker";

export interface PoolTask {
  id: number;
  text: string;
}

export interface PoolOptions {
  /** The most workers alive at once. */
  size: number;
  /** The script a worker runs (the CLI bundle) and what it is told (see check-worker.ts). */
  file: string;
  workerData: unknown;
}

export interface PoolResult {
  /** By task id. A task a worker crashed on gets an error outcome that says so. */
  outcomes: Map<number, CheckOutcome>;
  /**
   * Set when no worker is left to go on (they could not start): the tasks without an outcome
   * were not checked, and the caller must check them some other way.
   */
  failure?: string;
}

/**
 * A batch is a few small files: big enough that messages cost nothing next to parsing, small
 * enough that no worker sits idle at the end while another still has a long queue of its own.
 */
const BATCH_FILES = 4;
const BATCH_BYTES = 64 * 1024;
/**
 * The next batch goes out while the worker is still on the last file of its current one, so it
 * never waits for the main thread (which a busy machine may not run at once).
 */
const REFILL_BELOW = 2;

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Tasks sent and not yet answered (up to two batches), in the order the worker checks them. */
  batch: PoolTask[];
  error?: Error;
  stopping: boolean;
}

/**
 * Worker threads fed from one shared queue, a small batch at a time, so every core stays busy
 * however uneven the files are. Workers start as tasks arrive (never more than tasks), so they
 * load the parser while the main thread is still reading files.
 */
export class WorkerPool {
  private readonly queue: PoolTask[] = [];
  private readonly slots = new Set<Slot>();
  private readonly outcomes = new Map<number, CheckOutcome>();
  private added = 0;
  private spawned = 0;
  private startFailure: string | undefined;
  private finish: ((result: PoolResult) => void) | undefined;
  private done = false;

  constructor(private readonly options: PoolOptions) {}

  add(task: PoolTask): void {
    this.queue.push(task);
    this.added++;
    this.grow();
    for (const slot of this.slots) if (slot.ready && slot.batch.length < REFILL_BELOW) this.feed(slot);
  }

  /** Resolves once every task added has an outcome, or no worker is left to give one. */
  run(): Promise<PoolResult> {
    return new Promise((resolve) => {
      this.finish = resolve;
      this.settle();
    });
  }

  private grow(): void {
    const pending = this.added - this.outcomes.size;
    // Each crash after start costs one task, so this bound only stops a worker that keeps dying idle.
    const budget = this.options.size + this.added;
    while (this.startFailure === undefined && this.slots.size < Math.min(this.options.size, pending) && this.spawned < budget) {
      this.spawn();
    }
  }

  private spawn(): void {
    this.spawned++;
    const slot: Slot = { worker: new Worker(this.options.file, { workerData: this.options.workerData }), ready: false, batch: [], stopping: false };
    this.slots.add(slot);
    slot.worker.on("message", (message: WorkerMessage) => this.onMessage(slot, message));
    slot.worker.on("error", (error) => (slot.error = error));
    slot.worker.on("exit", (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if (message.type === "ready") {
      slot.ready = true;
    } else {
      const index = slot.batch.findIndex((task) => task.id === message.id);
      if (index >= 0) slot.batch.splice(index, 1);
      this.outcomes.set(message.id, message.outcome);
    }
    if (slot.batch.length < REFILL_BELOW) this.feed(slot);
    this.settle();
  }

  private feed(slot: Slot): void {
    if (this.done || this.queue.length === 0) return;
    const items: PoolTask[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && items.length < BATCH_FILES && bytes < BATCH_BYTES) {
      const task = this.queue.shift() as PoolTask;
      items.push(task);
      bytes += task.text.length;
    }
    slot.batch.push(...items);
    const message: BatchMessage = { type: "batch", items: items.map(({ id, text }) => ({ id, text })) };
    slot.worker.postMessage(message);
  }

  private onExit(slot: Slot, code: number): void {
    this.slots.delete(slot);
    if (slot.stopping) return;
    const reason = slot.error ? slot.error.message : `worker thread exited with code ${code}`;
    if (!slot.ready) {
      // Nothing was checked yet: the worker itself is broken, and so would be the next one.
      this.startFailure = `a worker thread could not start (${reason})`;
      this.queue.unshift(...slot.batch);
    } else if (slot.batch.length > 0) {
      // A worker checks its batches in order and answers file by file: the first unanswered file killed it.
      const [culprit, ...rest] = slot.batch;
      this.outcomes.set(culprit.id, { ok: false, error: `the checker crashed on this file (${reason})` });
      this.queue.unshift(...rest);
    }
    slot.batch = [];
    this.grow();
    for (const other of this.slots) if (other.ready && other.batch.length < REFILL_BELOW) this.feed(other);
    this.settle();
  }

  private settle(): void {
    if (this.done || !this.finish) return;
    const complete = this.outcomes.size === this.added;
    if (!complete && this.slots.size > 0) return;
    this.done = true;
    for (const slot of this.slots) {
      slot.stopping = true;
      void slot.worker.terminate();
    }
    if (complete) this.finish({ outcomes: this.outcomes });
    else this.finish({ outcomes: this.outcomes, failure: this.startFailure ?? "worker threads kept exiting before checking every file" });
  }
}
