import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { APP_ROOT, type StepContext } from './context.js';
import { decide } from './decision.js';
import { newStep, type Report, type StepResult, settle } from './model.js';
import { type RunOptions, STEP_IDS, type StepId } from './options.js';
import { TaskList } from './progress.js';
import { renderHtml } from './report/html.js';
import { renderMarkdown } from './report/markdown.js';
import { codeComplexity } from './steps/complexity-step.js';
import { STEP_RUNNERS } from './steps/index.js';
import { environmentFacts, packageVersions } from './steps/structure.js';

export function defaultOutDir(now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  return join(APP_ROOT, 'out', `poc-report-${stamp}`);
}

/** Run the asked steps in order, decide, write report.md/.json/.html. Throws only when nothing could run. */
export async function runEvaluation(options: RunOptions, out: NodeJS.WriteStream = process.stdout): Promise<Report> {
  const started = process.hrtime.bigint();
  const outDir = resolve(options.out ?? defaultOutDir());
  mkdirSync(outDir, { recursive: true });
  const tasks = new TaskList(out);
  const steps: StepResult[] = STEP_IDS.map((id, i) => newStep(i + 1, id));
  const index = new Map<StepId, number>();
  for (const step of steps) index.set(step.id, tasks.add(`${step.number}. ${step.title}`));
  const ctxShared = { benchmark: null as StepContext['benchmark'] };
  for (const step of steps) {
    const task = index.get(step.id) as number;
    if (!options.steps.includes(step.id)) {
      step.reason = 'not asked for (see --help: run without step options for all eight)';
      tasks.finish(task, 'skipped', 'not asked for');
      continue;
    }
    tasks.start(task);
    const t0 = process.hrtime.bigint();
    const ctx: StepContext = {
      options,
      step,
      progress: (text) => tasks.detail(task, text),
      check: (name, ok, detail, mode) => {
        const c = { name, ok, detail, ...(mode ? { mode } : {}) };
        step.checks.push(c);
        return c;
      },
      get benchmark() {
        return ctxShared.benchmark;
      },
      set benchmark(b) {
        ctxShared.benchmark = b;
      },
    };
    try {
      await STEP_RUNNERS[step.id](ctx);
      step.status = 'pass';
      settle(step);
    } catch (error) {
      step.checks.push({ name: 'step ran to the end', ok: false, detail: (error as Error).stack ?? String(error) });
      step.status = 'fail';
    }
    step.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const passed = step.checks.filter((c) => c.ok).length;
    tasks.finish(
      task,
      step.status === 'pass' ? 'pass' : 'fail',
      `${passed}/${step.checks.length} checks, ${step.seconds.toFixed(1)} s`,
    );
  }
  tasks.close();
  const complexity = codeComplexity();
  const { criteria, decision } = decide(steps, ctxShared.benchmark, complexity);
  const report: Report = {
    schema: 'poc-runner/report@1',
    generatedAt: new Date().toISOString(),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    options: { ...options },
    environment: {
      ...environmentFacts(),
      cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
      memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    },
    versions: packageVersions(),
    steps,
    benchmark: ctxShared.benchmark,
    criteria,
    decision,
    outputDir: outDir,
  };
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, jsonNumbers, 2)}\n`);
  writeFileSync(join(outDir, 'report.md'), renderMarkdown(report));
  writeFileSync(join(outDir, 'report.html'), renderHtml(report));
  void relative;
  return report;
}

/** JSON has no NaN or Infinity: a figure that could not be computed is written as null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
