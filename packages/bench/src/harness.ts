import type { DriverName } from './driver.js';
import { driverAvailability } from './drivers.js';
import { type LatencySummary, summarizeLatency } from './latency.js';
import { WorkerPool } from './pool.js';
import type { Repetition, Scale, Scenario } from './scenarios.js';
import { pairedRatio, type Summary, summarize } from './stats.js';
import { straceAvailability } from './strace.js';

export interface ModeResult {
  readonly mode: DriverName;
  readonly measures: string;
  /** Every timed repetition in run order; a failed one carries its error instead of figures. */
  readonly repetitions: ({ ok: true; metrics: Record<string, number> } | { ok: false; error: string })[];
  readonly summary: Record<string, Summary>;
  readonly latency: Partial<Record<'send' | 'receive' | 'roundTrip' | 'keepaliveJitter', LatencySummary>>;
  /** From one extra repetition under `strace -f -c` (never timed), or the reason it was not measured. */
  readonly syscalls: { sender: Record<string, number>; receiver: Record<string, number> } | { notMeasured: string };
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly primary: { metric: string; higherIsBetter: boolean };
  readonly modes: ModeResult[];
  /** `mode/sync` ratio of the primary metric, paired by repetition, for every mode beside sync. */
  readonly ratios: Record<string, Summary>;
  readonly unavailable: { mode: DriverName; reason: string }[];
  readonly errors: string[];
}

export interface BenchmarkResult {
  readonly scale: Scale;
  readonly repetitions: number;
  readonly modes: DriverName[];
  readonly unavailable: { mode: DriverName; reason: string }[];
  readonly scenarios: ScenarioResult[];
  readonly seconds: number;
}

export interface BenchmarkOptions {
  readonly scenarios: Scenario[];
  readonly modes: readonly DriverName[];
  readonly repetitions: number;
  readonly scale: Scale;
  /** Count system calls (one extra untimed repetition per mode and scenario) when strace can. */
  readonly strace: boolean;
  readonly progress?: (line: string) => void;
}

/**
 * Run every scenario in every mode, repetitions interleaved: repetition i runs each mode back to back (in an
 * order rotated every repetition), so slow drifts of a shared machine hit every mode alike and the ratios
 * can be paired by repetition.
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const started = process.hrtime.bigint();
  const progress = options.progress ?? (() => undefined);
  const { available, unavailable, measures } = await driverAvailability(options.modes);
  const unavailableList = unavailable.map((u) => ({ mode: u.name, reason: u.unavailable }));
  const pool = new WorkerPool();
  const scenarios: ScenarioResult[] = [];
  const strace = straceAvailability();
  try {
    for (const scenario of options.scenarios) {
      progress(`${scenario.id}: ${scenario.describe(options.scale)}`);
      const reps = new Map<DriverName, Repetition[]>();
      const runs = new Map<DriverName, ModeResult['repetitions']>();
      const errors: string[] = [];
      for (const mode of available) {
        reps.set(mode, []);
        runs.set(mode, []);
      }
      for (let r = 0; r < options.repetitions; r++) {
        const order = available.map((_, i) => available[(i + r) % available.length] as DriverName);
        for (const mode of order) {
          try {
            const pair = await pool.get(mode);
            const rep = await scenario.run(pair, options.scale, { strace: false });
            reps.get(mode)?.push(rep);
            runs.get(mode)?.push({ ok: true, metrics: rep.metrics });
            const m = rep.metrics[scenario.primary.metric];
            progress(`  ${scenario.id} ${mode} #${r + 1}: ${scenario.primary.metric} ${formatNumber(m)}`);
          } catch (error) {
            const message = (error as Error).message.split('\n')[0] ?? String(error);
            errors.push(`${mode} repetition ${r + 1}: ${message}`);
            runs.get(mode)?.push({ ok: false, error: message });
            progress(`  ${scenario.id} ${mode} #${r + 1}: FAILED ${message}`);
            await pool.discard(mode);
          }
        }
      }
      const syscalls = new Map<DriverName, ModeResult['syscalls']>();
      for (const mode of available) {
        if (!scenario.traceSyscalls) syscalls.set(mode, { notMeasured: 'not counted for this scenario' });
        else if (!options.strace) syscalls.set(mode, { notMeasured: 'system call counting was not asked for' });
        else if (!strace.ok) syscalls.set(mode, { notMeasured: strace.reason });
        else {
          try {
            const pair = await pool.get(mode);
            const rep = await scenario.run(pair, options.scale, { strace: true });
            syscalls.set(mode, rep.syscalls ?? { notMeasured: 'the scenario reported no counts' });
          } catch (error) {
            syscalls.set(mode, { notMeasured: `the strace repetition failed: ${(error as Error).message}` });
            await pool.discard(mode);
          }
        }
      }
      const modes: ModeResult[] = available.map((mode) => {
        const list = reps.get(mode) ?? [];
        const summary: Record<string, Summary> = {};
        const names = new Set(list.flatMap((rep) => Object.keys(rep.metrics)));
        for (const name of names) summary[name] = summarize(list.map((rep) => rep.metrics[name] ?? Number.NaN));
        const latency: ModeResult['latency'] = {};
        for (const kind of ['send', 'receive', 'roundTrip', 'keepaliveJitter'] as const) {
          const samples = list.flatMap((rep) => rep.latencyNs?.[kind] ?? []);
          if (samples.length) latency[kind] = summarizeLatency(samples);
        }
        return {
          mode,
          measures: measures[mode] ?? '',
          repetitions: runs.get(mode) ?? [],
          summary,
          latency,
          syscalls: syscalls.get(mode) ?? { notMeasured: 'not run' },
        };
      });
      // Transport modes are compared with sync; the bridges with the same FSM on the sync reactor.
      const ratios: Record<string, Summary> = {};
      const primaryOf = (mode: DriverName): number[] =>
        (runs.get(mode) ?? []).map((r) => (r.ok ? (r.metrics[scenario.primary.metric] ?? Number.NaN) : Number.NaN));
      for (const mode of available) {
        const base: DriverName | undefined = mode.startsWith('bridge-')
          ? 'fsm-sync'
          : mode === 'sync'
            ? undefined
            : 'sync';
        if (base && runs.has(base)) ratios[`${mode}/${base}`] = pairedRatio(primaryOf(mode), primaryOf(base));
      }
      scenarios.push({
        id: scenario.id,
        title: scenario.title,
        description: scenario.describe(options.scale),
        primary: scenario.primary,
        modes,
        ratios,
        unavailable: unavailableList,
        errors,
      });
    }
  } finally {
    await pool.close();
  }
  return {
    scale: options.scale,
    repetitions: options.repetitions,
    modes: available,
    unavailable: unavailableList,
    scenarios,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}
