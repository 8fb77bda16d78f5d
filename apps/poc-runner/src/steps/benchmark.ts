import {
  allScenarios,
  type DriverName,
  exabgpAvailability,
  exabgpBulk,
  exabgpIdle,
  formatTable,
  MODES,
  runBenchmark,
} from 'bench';
import type { StepContext } from '../context.js';
import { errorText } from '../context.js';

/** Step 6: every scenario, every mode, interleaved and repeated; figures go to the decision and the charts. */
export async function runBenchmarkStep(ctx: StepContext): Promise<void> {
  const scale = ctx.options.quick ? 'quick' : 'full';
  const result = await runBenchmark({
    scenarios: allScenarios(scale),
    modes: [...MODES, 'fsm-sync'] as DriverName[],
    repetitions: ctx.options.repetitions,
    scale,
    strace: ctx.options.strace,
    progress: (line) => ctx.progress(line.trim()),
  });
  ctx.benchmark = result;
  for (const u of result.unavailable) ctx.check('mode measured', false, u.reason, u.mode);
  for (const s of result.scenarios) {
    const failed = s.modes.flatMap((m) =>
      m.repetitions.filter((r) => !r.ok).map((r) => `${m.mode}: ${'error' in r ? r.error : ''}`),
    );
    ctx.check(
      `${s.id}: every repetition of every mode ran`,
      failed.length === 0,
      failed.join('; ') || `${s.modes.length} modes x ${ctx.options.repetitions}`,
    );
    for (const m of s.modes) {
      const lost = m.summary.messagesReceived && m.summary.outOfOrder ? m.summary.outOfOrder.max : 0;
      if (lost) ctx.check(`${s.id}: UPDATEs arrive in order`, false, `${lost} out of order`, m.mode);
    }
  }
  ctx.step.notes.push(formatTable(result));
  ctx.step.figures['benchmark seconds'] = result.seconds;
  if (ctx.options.exabgp) await beside(ctx, scale);
  else ctx.step.notes.push('ExaBGP side by side: not run (--no-exabgp)');
}

/**
 * ExaBGP 4.2 as a black box beside our modes, same machine, same run: its bulk send to our receiver (routes/s,
 * its CPU, KEEPALIVE lateness with hold time 3 s) and its idle CPU with established sessions.
 */
async function beside(ctx: StepContext, scale: 'quick' | 'full'): Promise<void> {
  const available = exabgpAvailability();
  if (!available.ok) {
    ctx.step.notes.push(`ExaBGP side by side: not measured: ${available.reason}`);
    return;
  }
  const routes = scale === 'quick' ? 20_000 : 200_000;
  ctx.progress(`ExaBGP ${available.version}: ${routes} static routes to our receiver`);
  try {
    const o = await exabgpBulk({
      routes,
      holdTime: 3,
      timeoutMs: scale === 'quick' ? 30_000 : 180_000,
      receiver: 'sync',
    });
    ctx.check(
      `ExaBGP ${available.version} bulk send of ${routes} routes reached our receiver`,
      o.complete,
      `${o.routesReceived}/${routes} routes in ${o.updates} UPDATEs`,
    );
    const f = ctx.step.figures;
    f['ExaBGP bulk: routes/s (its OPEN to the last route, its UPDATE building included)'] = o.routesPerSecond;
    f['ExaBGP bulk: transfer seconds (first to last UPDATE)'] = o.transferSeconds;
    f['ExaBGP bulk: seconds to read its configuration and connect'] = o.startSeconds;
    f['ExaBGP bulk: CPU seconds of the exabgp process (/proc)'] = o.cpuSeconds;
    f['ExaBGP bulk: peak RSS bytes'] = o.peakRssBytes;
    f['ExaBGP bulk: longest KEEPALIVE delay µs (hold 3 s, one every 1 s)'] =
      o.seconds < 1 && o.keepalivesInWindow === 0
        ? `not measured: its send took ${o.seconds.toFixed(2)} s, shorter than one KEEPALIVE interval (1 s)`
        : o.keepaliveLateMaxMicroseconds;
    const packed = ctx.benchmark?.scenarios.find((s) => s.id === 'bulk-packed');
    const bars = [
      { label: `ExaBGP ${available.version}`, value: o.routesPerSecond },
      ...(packed?.modes ?? []).map((m) => ({
        label: m.mode,
        value: m.summary.routesPerSecond?.median ?? Number.NaN,
        low: m.summary.routesPerSecond?.min ?? Number.NaN,
        high: m.summary.routesPerSecond?.max ?? Number.NaN,
      })),
    ];
    ctx.step.charts.push({
      title: 'Bulk send, routes packed in UPDATEs: ExaBGP 4.2 beside our modes',
      unit: 'routes/s',
      kind: 'bars',
      bars,
    });
  } catch (error) {
    ctx.check('ExaBGP bulk send to our receiver', false, errorText(error));
  }
  const sessions = scale === 'quick' ? 10 : 100;
  const seconds = scale === 'quick' ? 2 : 10;
  ctx.progress(`ExaBGP ${available.version}: idle CPU with ${sessions} sessions`);
  try {
    const idle = await exabgpIdle({ sessions, seconds, timeoutMs: 60_000, receiver: 'sync' });
    ctx.check(
      `ExaBGP ${sessions} idle sessions established with our receiver`,
      true,
      `${idle.corePercent.toFixed(2)}% of one core`,
    );
    ctx.step.figures[`ExaBGP idle: ${sessions} sessions, % of one core (/proc, 10 ms ticks, ${seconds} s)`] =
      idle.corePercent;
    ctx.step.figures[`ExaBGP idle: RSS bytes with ${sessions} sessions`] = idle.rssBytes;
  } catch (error) {
    ctx.check(`ExaBGP idle with ${sessions} sessions`, false, errorText(error));
  }
}
