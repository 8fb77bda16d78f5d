import type { BenchmarkResult, ScenarioResult } from 'bench';
import { describe, expect, it } from 'vitest';
import { decide } from './decision.js';
import { newStep, type StepResult } from './model.js';

const summary = (median: number) => ({ n: 5, median, min: median * 0.9, max: median * 1.1, q1: median, q3: median });

function scenario(id: string, metric: string, values: Record<string, number>): ScenarioResult {
  return {
    id,
    title: id,
    description: id,
    primary: { metric, higherIsBetter: metric === 'messagesPerSecond' },
    modes: Object.entries(values).map(([mode, v]) => ({
      mode: mode as never,
      measures: '',
      repetitions: [],
      summary: { [metric]: summary(v) },
      latency: {},
      syscalls: { notMeasured: 'test' },
    })),
    ratios: {},
    unavailable: [],
    errors: [],
  };
}

function passingSteps(): StepResult[] {
  const ids = ['structure', 'sync', 'async', 'bridge', 'messages', 'benchmark', 'config', 'stress'] as const;
  return ids.map((id, i) => {
    const s = newStep(i + 1, id);
    s.status = 'pass';
    s.checks.push({ name: 'ok', ok: true, detail: '' });
    return s;
  });
}

const complexity = {
  sync: { file: 'sync.ts', lines: 100, decisionPoints: 20, functions: 5, cyclomatic: 25 },
  bridges: [{ file: 'effect.ts', lines: 90, decisionPoints: 15, functions: 5, cyclomatic: 20 }],
};

function bench(asyncOverSync: number): BenchmarkResult {
  const mk = (id: string, metric: string, sync: number) =>
    scenario(id, metric, { sync, async: metric === 'messagesPerSecond' ? sync * asyncOverSync : sync / asyncOverSync });
  return {
    scale: 'quick',
    repetitions: 5,
    modes: ['sync', 'async'],
    unavailable: [],
    seconds: 1,
    scenarios: [
      mk('updates-1000', 'messagesPerSecond', 1000),
      mk('sessions-1000', 'heapBytesPerSession', 4000),
      mk('scale-10', 'messagesPerSecond', 500),
      { ...mk('bulk-routes', 'cpuMicrosecondsPerMessage', 2), id: 'bulk-routes' },
    ],
  };
}

describe('the go/no-go decision (PLAN.md criteria)', () => {
  it('GO when everything passes and async is clearly better', () => {
    const { criteria, decision } = decide(passingSteps(), bench(1.5), complexity);
    expect(criteria.every((c) => c.verdict === 'pass')).toBe(true);
    expect(decision.verdict).toBe('GO');
  });

  it('NO-GO on a throughput regression beyond 10%: measured value and threshold reported', () => {
    const { criteria, decision } = decide(passingSteps(), bench(0.8), complexity);
    const performance = criteria.find((c) => c.id === 'performance');
    expect(performance?.measured).toBeCloseTo(0.8);
    expect(performance?.verdict).toBe('fail');
    expect(decision.verdict).toBe('NO-GO');
  });

  it('a criterion without figures is "not measured: reason" and fails', () => {
    const { criteria, decision } = decide(passingSteps(), null, 'not measured: no source');
    for (const c of criteria.filter((c) => c.id !== 'functional')) {
      expect(c.measured).toMatch(/^not measured: /);
      expect(c.verdict).toBe('fail');
    }
    expect(decision.verdict).toBe('NO-GO');
  });

  it('a failed check or a step not run fails functional', () => {
    const steps = passingSteps();
    (steps[3] as StepResult).checks.push({ name: 'states in order', ok: false, detail: 'Idle → Active' });
    const { criteria } = decide(steps, bench(1.5), complexity);
    expect(criteria.find((c) => c.id === 'functional')).toMatchObject({ measured: 1, verdict: 'fail' });
  });
});
