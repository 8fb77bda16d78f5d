import type { BenchmarkResult, ScenarioResult } from 'bench';
import type { CodeMeasure } from './complexity.js';
import type { Criterion, StepResult } from './model.js';

/**
 * The plan's go/no-go criteria, each from figures measured in this run. The candidate is the migration the
 * plan proposes: async I/O (transport-async against transport-sync), and the generator FSM through the
 * better of the two bridges (against the same FSM on the sync reactor) where the session layer was measured.
 */
const THROUGHPUT = ['updates-1000', 'peers-10', 'large-4096', 'bulk-routes', 'bulk-packed'];
const SCALING = /^scale-\d+$/;

interface RatioPick {
  readonly value: number;
  readonly detail: string;
}

function median(s: ScenarioResult, mode: string, metric: string): number {
  return s.modes.find((m) => m.mode === mode)?.summary[metric]?.median ?? Number.NaN;
}

/**
 * candidate/sync ratios of a metric in one scenario (ratio of the medians over repetitions): async/sync, and
 * the better bridge over the FSM on the sync reactor.
 */
function ratiosOf(s: ScenarioResult, metric: string, higherIsBetter: boolean): { name: string; ratio: number }[] {
  const out: { name: string; ratio: number }[] = [];
  const sync = median(s, 'sync', metric);
  const asyncValue = median(s, 'async', metric);
  if (Number.isFinite(sync) && Number.isFinite(asyncValue) && sync !== 0)
    out.push({ name: 'async/sync', ratio: asyncValue / sync });
  const base = s.modes.some((m) => m.mode === 'fsm-sync') ? 'fsm-sync' : undefined;
  if (base) {
    const b = median(s, base, metric);
    const bridges = ['bridge-polling', 'bridge-effect']
      .map((mode) => ({ name: `${mode}/${base}`, ratio: median(s, mode, metric) / b }))
      .filter((r) => Number.isFinite(r.ratio));
    if (bridges.length) {
      bridges.sort((x, y) => (higherIsBetter ? y.ratio - x.ratio : x.ratio - y.ratio));
      out.push(bridges[0] as { name: string; ratio: number });
    }
  }
  return out;
}

/** The worst candidate ratio over scenarios (lowest when higher is better, highest otherwise). */
function worstRatio(scenarios: readonly ScenarioResult[], metric: string, higherIsBetter: boolean): RatioPick | string {
  let worst: number | undefined;
  const parts: string[] = [];
  for (const s of scenarios) {
    for (const r of ratiosOf(s, metric, higherIsBetter)) {
      parts.push(`${s.id} ${r.name} ${r.ratio.toFixed(3)}`);
      if (worst === undefined || (higherIsBetter ? r.ratio < worst : r.ratio > worst)) worst = r.ratio;
    }
  }
  if (worst === undefined)
    return `not measured: no ${metric} of both sync and an async mode in ${scenarios.map((s) => s.id).join(', ') || 'any scenario'}`;
  return { value: worst, detail: parts.join('; ') };
}

function criterion(
  id: Criterion['id'],
  title: string,
  pick: RatioPick | string,
  unit: string,
  threshold: string,
  ok: (v: number) => boolean,
): Criterion {
  if (typeof pick === 'string') return { id, title, measured: pick, unit, threshold, verdict: 'fail', detail: pick };
  return {
    id,
    title,
    measured: pick.value,
    unit,
    threshold,
    verdict: ok(pick.value) ? 'pass' : 'fail',
    detail: pick.detail,
  };
}

function show(v: number | string): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v;
}

export function decide(
  steps: readonly StepResult[],
  benchmark: BenchmarkResult | null,
  complexity: { sync: CodeMeasure; bridges: CodeMeasure[] } | string,
): { criteria: Criterion[]; decision: { verdict: 'GO' | 'NO-GO'; reasons: string[] } } {
  const criteria: Criterion[] = [];

  // Functional: every check of every step holds, every step ran.
  const failed = steps.flatMap((s) =>
    s.checks.filter((c) => !c.ok).map((c) => `step ${s.number} ${c.mode ? `[${c.mode}] ` : ''}${c.name}: ${c.detail}`),
  );
  const notRun = steps
    .filter((s) => s.status === 'not-run')
    .map((s) => `step ${s.number} not run${s.reason ? `: ${s.reason}` : ''}`);
  const benchErrors = benchmark?.scenarios.flatMap((s) => s.errors.map((e) => `benchmark ${s.id}: ${e}`)) ?? [];
  const unavailable = benchmark?.unavailable.map((u) => `mode ${u.mode} not measured: ${u.reason}`) ?? [];
  const problems = [...notRun, ...failed, ...benchErrors, ...unavailable];
  const checks = steps.reduce((n, s) => n + s.checks.length, 0);
  criteria.push({
    id: 'functional',
    title: 'Functional: every check passes in every mode',
    measured: problems.length,
    unit: `failures (of ${checks} checks, 8 steps)`,
    threshold: '0 failures, all eight steps run',
    verdict: problems.length === 0 && checks > 0 ? 'pass' : 'fail',
    detail: problems.length
      ? problems.slice(0, 40).join('\n') + (problems.length > 40 ? `\n... ${problems.length - 40} more` : '')
      : `${checks} checks passed`,
  });

  const scenarios = benchmark?.scenarios ?? [];
  const byIds = (pred: (id: string) => boolean): ScenarioResult[] => scenarios.filter((s) => pred(s.id));
  const noBench = 'not measured: the benchmark step did not run';

  criteria.push(
    criterion(
      'performance',
      'Performance: async at least 90% of sync throughput',
      benchmark
        ? worstRatio(
            byIds((id) => THROUGHPUT.includes(id)),
            'messagesPerSecond',
            true,
          )
        : noBench,
      'ratio of medians (worst scenario)',
      '>= 0.90',
      (v) => v >= 0.9,
    ),
  );
  criteria.push(
    criterion(
      'memory',
      'Memory: heap per session within 10% of sync',
      benchmark
        ? worstRatio(
            byIds((id) => id === 'sessions-1000'),
            'heapBytesPerSession',
            false,
          )
        : noBench,
      'ratio of heap after GC per session',
      '<= 1.10 (using less is no regression)',
      (v) => v <= 1.1,
    ),
  );
  criteria.push(
    criterion(
      'cpu',
      'CPU: CPU time per message within 10% of sync',
      benchmark
        ? worstRatio(
            byIds((id) => THROUGHPUT.includes(id)),
            'cpuMicrosecondsPerMessage',
            false,
          )
        : noBench,
      'ratio of CPU µs per message (sender + receiver)',
      '<= 1.10 (using less is no regression)',
      (v) => v <= 1.1,
    ),
  );
  const scaling = byIds((id) => SCALING.test(id));
  criteria.push(
    criterion(
      'scalability',
      'Scalability: async at least sync at every peer count',
      benchmark
        ? scaling.length
          ? worstRatio(scaling, 'messagesPerSecond', true)
          : 'not measured: no scalability scenario ran'
        : noBench,
      `ratio of throughput (worst of ${scaling.map((s) => s.id.replace('scale-', '')).join(', ') || '-'} peers)`,
      '>= 1.00',
      (v) => v >= 1,
    ),
  );

  if (typeof complexity === 'string') {
    criteria.push({
      id: 'complexity',
      title: 'Code complexity: each bridge against the sync path',
      measured: complexity,
      unit: '',
      threshold: '<= 1.5 x the sync path',
      verdict: 'fail',
      detail: complexity,
    });
  } else {
    const ratios = complexity.bridges.map((b) => ({ b, ratio: b.cyclomatic / complexity.sync.cyclomatic }));
    const worst = Math.max(...ratios.map((r) => r.ratio));
    criteria.push({
      id: 'complexity',
      title: 'Code complexity: each bridge against the sync path',
      measured: Number.isFinite(worst) ? worst : 'not measured: no bridge source found',
      unit: 'ratio of cyclomatic complexity (worst bridge / sync driver)',
      threshold: '<= 1.5 x the sync path (lines and decision points read from the source)',
      verdict: Number.isFinite(worst) && worst <= 1.5 ? 'pass' : 'fail',
      detail: [complexity.sync, ...complexity.bridges]
        .map(
          (m) =>
            `${m.file}: ${m.lines} lines, ${m.decisionPoints} decision points, ${m.functions} functions, cyclomatic ${m.cyclomatic}`,
        )
        .join('\n'),
    });
  }

  // Clear benefit: some axis where the candidate beats sync by 10% or more.
  const axes: { name: string; pick: RatioPick | string; better: (v: number) => number }[] = [
    {
      name: 'throughput',
      pick: worstRatio(
        byIds((id) => THROUGHPUT.includes(id)),
        'messagesPerSecond',
        true,
      ),
      better: (v) => v,
    },
    {
      name: 'CPU per message',
      pick: worstRatio(
        byIds((id) => THROUGHPUT.includes(id)),
        'cpuMicrosecondsPerMessage',
        false,
      ),
      better: (v) => 1 / v,
    },
    {
      name: 'memory per session',
      pick: worstRatio(
        byIds((id) => id === 'sessions-1000'),
        'heapBytesPerSession',
        false,
      ),
      better: (v) => 1 / v,
    },
    {
      name: 'idle CPU',
      pick: worstRatio(
        byIds((id) => id === 'idle-100'),
        'idleCorePercent',
        false,
      ),
      better: (v) => 1 / v,
    },
    {
      name: 'KEEPALIVE lateness (max)',
      pick: worstRatio(
        byIds((id) => id === 'keepalive-jitter'),
        'keepaliveLateMaxMicroseconds',
        false,
      ),
      better: (v) => 1 / v,
    },
    { name: 'scalability', pick: worstRatio(scaling, 'messagesPerSecond', true), better: (v) => v },
  ];
  const gains = axes
    .filter((a) => typeof a.pick !== 'string')
    .map((a) => ({ name: a.name, gain: a.better((a.pick as RatioPick).value) }));
  gains.sort((a, b) => b.gain - a.gain);
  const best = gains[0];
  criteria.push({
    id: 'benefit',
    title: 'Clear benefit: the candidate beats sync by 10% on some axis, in every scenario of it',
    measured: best ? best.gain : benchmark ? 'not measured: no axis measured in both modes' : noBench,
    unit: best ? `x better (${best.name}, worst scenario)` : '',
    threshold: '>= 1.10 on at least one axis',
    verdict: best && best.gain >= 1.1 ? 'pass' : 'fail',
    detail: gains.map((g) => `${g.name}: ${g.gain.toFixed(3)}x`).join('; ') || 'no axis measured',
  });

  const failing = criteria.filter((c) => c.verdict === 'fail');
  const reasons = failing.length
    ? failing.map((c) => `${c.title}: measured ${show(c.measured)}, needs ${c.threshold}`)
    : criteria.map((c) => `${c.title}: ${show(c.measured)} (${c.threshold})`);
  return { criteria, decision: { verdict: failing.length ? 'NO-GO' : 'GO', reasons } };
}
