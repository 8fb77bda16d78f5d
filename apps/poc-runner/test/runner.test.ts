import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The acceptance check of CI: `start --quick` runs every step and writes a report whose criteria all carry a
 * measured value (a number, or "not measured: reason" that fails its criterion) and a decision.
 */
const APP = resolve(import.meta.dirname, '..');
let out: string;
let exitCode: number | null;
let report: {
  steps: { number: number; id: string; status: string; checks: unknown[] }[];
  criteria: { id: string; measured: number | string | null; verdict: string; threshold: string }[];
  decision: { verdict: string; reasons: string[] };
};

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'poc-report-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'src/cli.ts', '--quick', '--out', out],
    {
      cwd: APP,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1' },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.resume();
  exitCode = await new Promise((resolveExit) => child.on('exit', resolveExit));
  if (exitCode !== 0) console.error(stderr);
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
}, 240_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('poc-runner --quick', () => {
  it('exits 0 whatever the decision (a NO-GO is a result)', () => {
    expect(exitCode).toBe(0);
  });

  it('reports all eight steps, each run', () => {
    expect(report.steps.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const step of report.steps) {
      expect(step.status, `step ${step.number}`).not.toBe('not-run');
      expect(step.checks.length, `step ${step.number} checks`).toBeGreaterThan(0);
    }
  });

  it('gives every criterion a measured value: a number, or a reason that fails it', () => {
    expect(report.criteria.map((c) => c.id).sort()).toEqual(
      ['benefit', 'complexity', 'cpu', 'functional', 'memory', 'performance', 'scalability'].sort(),
    );
    for (const c of report.criteria) {
      if (typeof c.measured === 'number') expect(Number.isFinite(c.measured), c.id).toBe(true);
      else {
        expect(c.measured, c.id).toMatch(/^not measured: .+/);
        expect(c.verdict, c.id).toBe('fail');
      }
      expect(c.threshold.length).toBeGreaterThan(0);
    }
  });

  it('decides GO only when every criterion passes', () => {
    const allPass = report.criteria.every((c) => c.verdict === 'pass');
    expect(report.decision.verdict).toBe(allPass ? 'GO' : 'NO-GO');
    expect(report.decision.reasons.length).toBeGreaterThan(0);
  });

  it('writes report.md and report.html beside report.json', () => {
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`Decision: **${report.decision.verdict}**`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg class="chart"');
  });

  const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);
  it.skipIf(!chromium)(
    `report.html renders in headless Chromium with its charts drawn and no console error${chromium ? '' : ' (skipped: chromium is not installed)'}`,
    () => {
      const html = join(out, 'report.html');
      const result = spawnSync(
        chromium as string,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--enable-logging=stderr',
          '--v=0',
          '--dump-dom',
          `file://${html}`,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status).toBe(0);
      const dom = result.stdout;
      // Charts drawn: SVG elements with data marks (bars with a value, or line paths with points).
      expect((dom.match(/<svg class="chart"/g) ?? []).length).toBeGreaterThan(2);
      expect(dom).toMatch(/<rect class="bar" data-value="[0-9.e+-]+"/);
      expect(dom).toMatch(/<path class="series" data-points="[1-9]/);
      const consoleErrors = result.stderr.split('\n').filter((l) => /CONSOLE|Uncaught|SyntaxError/.test(l));
      expect(consoleErrors).toEqual([]);
    },
  );
  if (!chromium) console.log('report.html check skipped: chromium is not installed (apt-get install -y chromium)');
});
