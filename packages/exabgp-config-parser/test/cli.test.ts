import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The CLI as the package script runs it: `tsx --conditions=source src/cli.ts parse FILE`.
const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '..');
const fixtures = resolve(here, '../../../fixtures/configs');

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: packageRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('cli parse FILE', () => {
  it('prints the configuration as JSON and exits 0', () => {
    const run = cli('parse', join(fixtures, 'templates.conf'));
    expect(run.status).toBe(0);
    const configuration = JSON.parse(run.stdout);
    expect(configuration.neighbors.map((n: { peerAddress: string }) => n.peerAddress)).toEqual([
      '10.0.0.1',
      '10.0.0.3',
    ]);
  });

  it('a bad configuration: the error on stderr, no stack trace, exit 1', () => {
    const run = cli('parse', join(fixtures, 'bad/unknown-keyword.conf'));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown-keyword.conf:6:2: unknown keyword 'hold-tme' in neighbor 127.0.0.1");
    expect(run.stderr).toContain("did you mean 'hold-time'?");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing file: one line on stderr, exit 1', () => {
    const run = cli('parse', join(fixtures, 'does-not-exist.conf'));
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/does-not-exist\.conf: cannot read \(ENOENT\)/);
  });

  it('usage error: exit 2', () => {
    const run = cli('lint');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage:');
  });
});
