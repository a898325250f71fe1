import type { MessagePort } from "node:worker_threads";
import type { Language } from "web-tree-sitter";
import type { RuleSelection } from "../analysis/analyzer";
import { FileChecker, type CheckOutcome } from "./file-checker";

/**
 * The worker side of `check --jobs`. A worker is the CLI bundle itself started with this
 * workerData, so no extra file ships; the bundle's entry point sees the role and serves.
 */
export const CHECK_WORKER_ROLE = "python-mentor-check-worker";

export interface CheckWorkerData {
  role: typeof CHECK_WORKER_ROLE;
  selection: RuleSelection;
}

/** Main thread to worker: texts to check, in order. */
export interface BatchMessage {
  type: "batch";
  items: { id: number; text: string }[];
}

/**
 * Worker to main thread. `ready` once the parser is loaded (a crash before it is a failure to
 * start, not the fault of a file); then one `result` per file, in batch order, so a crash
 * names the file being checked.
 */
export type WorkerMessage = { type: "ready" } | { type: "result"; id: number; outcome: CheckOutcome };

export function isCheckWorkerData(data: unknown): data is CheckWorkerData {
  return typeof data === "object" && data !== null && (data as { role?: unknown }).role === CHECK_WORKER_ROLE;
}

export async function serveCheckWorker(port: MessagePort, data: CheckWorkerData, loadLanguage: () => Promise<Language>): Promise<void> {
  const checker = new FileChecker(await loadLanguage(), data.selection);
  port.on("message", (message: BatchMessage) => {
    for (const item of message.items) {
      const reply: WorkerMessage = { type: "result", id: item.id, outcome: checker.check(item.text) };
      port.postMessage(reply);
    }
  });
  const ready: WorkerMessage = { type: "ready" };
  port.postMessage(ready);
}
