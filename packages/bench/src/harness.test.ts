import { describe, expect, it } from 'vitest';
import { runBenchmark } from './harness.js';
import { updates1000 } from './scenarios.js';

describe('the harness over real processes and loopback TCP', () => {
  it('runs a scenario in two modes interleaved and pairs their ratio', async () => {
    const result = await runBenchmark({
      scenarios: [updates1000],
      modes: ['raw-net', 'sync'],
      repetitions: 2,
      scale: 'quick',
      strace: false,
    });
    const scenario = result.scenarios[0];
    expect(scenario?.errors).toEqual([]);
    for (const mode of scenario?.modes ?? []) {
      expect(mode.repetitions).toHaveLength(2);
      // Every UPDATE sent arrived, in order.
      expect(mode.summary.messagesReceived?.min).toBe(1000);
      expect(mode.summary.outOfOrder?.max).toBe(0);
      expect(mode.summary.messagesPerSecond?.median).toBeGreaterThan(0);
      expect(mode.latency.receive?.count).toBe(2000);
      expect(mode.latency.roundTrip?.count).toBe(100);
    }
    expect(scenario?.ratios['raw-net/sync']?.n).toBe(2);
  }, 120_000);
});
