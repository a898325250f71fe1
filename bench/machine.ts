import { execFileSync } from "node:child_process";
import * as os from "node:os";

export interface Machine {
  /** What `nproc` says (the CPUs this process may use), else Node's count. */
  nproc: number;
  /** CPUs the kernel lists, which a container may not be allowed to use. */
  cpus: number;
  cpuModel: string;
  totalMemoryMB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: on a shared machine it explains outliers. */
  loadAverageAtStart: number;
}

export function describeMachine(): Machine {
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim()) || nproc;
  } catch {
    // No coreutils (macOS, Windows): Node's own count is the same thing there.
  }
  return {
    nproc,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    totalMemoryMB: Math.round(os.totalmem() / 1048576),
    node: process.version,
    platform: `${process.platform} ${os.release()} ${process.arch}`,
    loadAverageAtStart: Number(os.loadavg()[0].toFixed(2)),
  };
}

/** Results from another machine or Node must not be mixed into this run's file. */
export function sameMachine(a: Partial<Machine> | undefined, b: Machine): boolean {
  return a?.nproc === b.nproc && a.cpuModel === b.cpuModel && a.totalMemoryMB === b.totalMemoryMB && a.node === b.node;
}
