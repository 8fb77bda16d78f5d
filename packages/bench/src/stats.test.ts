import { describe, expect, it } from 'vitest';
import { summarizeLatency } from './latency.js';
import { pairedRatio, quantile, slope, summarize } from './stats.js';

describe('summaries of repeated measurements', () => {
  it('median, quartiles and range of an odd and an even count', () => {
    expect(summarize([5, 1, 3])).toMatchObject({ n: 3, median: 3, min: 1, max: 5, q1: 2, q3: 4 });
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('ignores NaN (a failed repetition) instead of poisoning the median', () => {
    expect(summarize([Number.NaN, 2, 4])).toMatchObject({ n: 2, median: 3 });
    expect(summarize([]).n).toBe(0);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });

  it('pairs ratios by repetition: the spread is that of the per-repetition ratios', () => {
    const r = pairedRatio([90, 200, 50], [100, 100, 100]);
    expect(r).toMatchObject({ n: 3, median: 0.9, min: 0.5, max: 2 });
  });

  it('slope of a flat series is 0 and of a growing one its growth per step', () => {
    expect(slope([0, 1, 2, 3], [7, 7, 7, 7])).toBe(0);
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2);
  });

  it('latency percentiles in microseconds with a log2 histogram holding every sample', () => {
    const ns = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000);
    const s = summarizeLatency(ns);
    expect(s.p50Us).toBe(51);
    expect(s.p99Us).toBe(100);
    expect(s.maxUs).toBe(100);
    expect(s.histogram.reduce((a, b) => a + b.count, 0)).toBe(100);
  });
});
