import { allScenarios, type DriverName, formatTable, MODES, runBenchmark } from 'bench';
import type { StepContext } from '../context.js';

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
}
