import { performance } from "node:perf_hooks";

/** What a case reports for one measure: the middle and the tail, since single runs mislead. */
export interface Summary {
  n: number;
  median: number;
  worst: number;
  best: number;
  mean: number;
  p90: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { n: 0, median: NaN, worst: NaN, best: NaN, mean: NaN, p90: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  // The median of an even count is the mean of the middle two, so two runs give their mean.
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return {
    n: sorted.length,
    median,
    worst: sorted[sorted.length - 1],
    best: sorted[0],
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
    p90: at(0.9),
  };
}

/** Wall time and this process's CPU time (user + system) of one call, in milliseconds. */
export function measure<T>(work: () => T): { wallMs: number; cpuMs: number; value: T } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, value };
}

/** Rounds for results.json: microseconds are below the noise of this machine anyway. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function roundAll(values: readonly number[], digits = 3): number[] {
  return values.map((value) => round(value, digits));
}

export function roundSummary(summary: Summary, digits = 3): Summary {
  return {
    n: summary.n,
    median: round(summary.median, digits),
    worst: round(summary.worst, digits),
    best: round(summary.best, digits),
    mean: round(summary.mean, digits),
    p90: round(summary.p90, digits),
  };
}
