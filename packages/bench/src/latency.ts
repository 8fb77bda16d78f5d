/**
 * Latency samples in nanoseconds from `process.hrtime.bigint()` (CLOCK_MONOTONIC on Linux, one clock for every
 * process on the machine, so a send stamp taken in one process and a receive stamp taken in another compare).
 */
export class LatencyRecorder {
  private samples: Float64Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.samples = new Float64Array(capacity);
  }

  record(nanoseconds: number): void {
    if (this.count === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.count++] = nanoseconds;
  }

  get size(): number {
    return this.count;
  }

  values(): number[] {
    return Array.from(this.samples.subarray(0, this.count));
  }
}

/** Percentiles in microseconds and a log-scale histogram for the report's charts. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly meanUs: number;
  /** Buckets of [lowUs, highUs) with the number of samples in each (log2 scale, from 1 µs). */
  readonly histogram: readonly { lowUs: number; highUs: number; count: number }[];
}

export function summarizeLatency(nanoseconds: readonly number[]): LatencySummary {
  const us = nanoseconds.map((ns) => ns / 1000).sort((a, b) => a - b);
  const pick = (q: number): number =>
    us.length ? (us[Math.min(us.length - 1, Math.floor(q * us.length))] as number) : Number.NaN;
  let sum = 0;
  for (const v of us) sum += v;
  const buckets = new Map<number, number>();
  for (const v of us) {
    const b = v < 1 ? 0 : Math.floor(Math.log2(v)) + 1;
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const histogram = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, count]) => ({ lowUs: b === 0 ? 0 : 2 ** (b - 1), highUs: 2 ** b, count }));
  return {
    count: us.length,
    p50Us: pick(0.5),
    p90Us: pick(0.9),
    p99Us: pick(0.99),
    maxUs: us.length ? (us[us.length - 1] as number) : Number.NaN,
    meanUs: us.length ? sum / us.length : Number.NaN,
    histogram,
  };
}
