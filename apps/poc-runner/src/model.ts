import type { BenchmarkResult } from 'bench';
import type { StepId } from './options.js';

/** One verified fact of a step: what was checked, in which mode, and what was seen. */
export interface Check {
  readonly name: string;
  readonly mode?: string;
  readonly ok: boolean;
  readonly detail: string;
}

export type StepStatus = 'pass' | 'fail' | 'not-run';

/** A chart's data, drawn into report.html (kind decides the drawing). */
export interface Series {
  readonly title: string;
  readonly unit: string;
  readonly kind: 'bars' | 'lines';
  /** bars: one value per label; lines: points per series name. */
  readonly bars?: { label: string; value: number; low?: number; high?: number }[];
  readonly lines?: { name: string; points: [number, number][] }[];
  readonly xUnit?: string;
}

export interface StepResult {
  readonly number: number;
  readonly id: StepId;
  readonly title: string;
  status: StepStatus;
  /** Why a step did not run, or what stopped it. */
  reason?: string;
  seconds: number;
  readonly checks: Check[];
  /** Named figures measured by the step (unit in the name). */
  readonly figures: Record<string, number | string>;
  readonly charts: Series[];
  readonly notes: string[];
}

export type Verdict = 'pass' | 'fail';

/** One go/no-go criterion of the plan: the measured value against its threshold. */
export interface Criterion {
  readonly id: 'functional' | 'performance' | 'memory' | 'cpu' | 'scalability' | 'complexity' | 'benefit';
  readonly title: string;
  /** A number, or "not measured: <reason>" (which fails the criterion). */
  readonly measured: number | string;
  readonly unit: string;
  readonly threshold: string;
  readonly verdict: Verdict;
  readonly detail: string;
}

export interface Report {
  readonly schema: 'poc-runner/report@1';
  readonly generatedAt: string;
  readonly seconds: number;
  readonly options: Record<string, unknown>;
  readonly environment: Record<string, string>;
  readonly versions: Record<string, string>;
  readonly steps: StepResult[];
  readonly benchmark: BenchmarkResult | null;
  readonly criteria: Criterion[];
  readonly decision: { readonly verdict: 'GO' | 'NO-GO'; readonly reasons: string[] };
  readonly outputDir: string;
}

export const STEP_TITLES: Record<StepId, string> = {
  structure: 'Structure: the packages wired together',
  sync: 'Sync baseline over loopback TCP',
  async: 'Async over loopback TCP',
  bridge: 'Generator FSM over async I/O through both bridges',
  messages: 'Every message type, ExaBGP encoding, error handling',
  benchmark: 'Performance benchmark',
  config: 'Real configuration',
  stress: 'Stress',
};

export function newStep(number: number, id: StepId): StepResult {
  return {
    number,
    id,
    title: STEP_TITLES[id],
    status: 'not-run',
    seconds: 0,
    checks: [],
    figures: {},
    charts: [],
    notes: [],
  };
}

/** A step passes when it has checks and all of them hold. */
export function settle(step: StepResult): StepResult {
  if (step.status === 'not-run' && step.reason) return step;
  step.status = step.checks.length > 0 && step.checks.every((c) => c.ok) ? 'pass' : 'fail';
  if (step.checks.length === 0 && !step.reason) step.reason = 'no check could run';
  return step;
}
