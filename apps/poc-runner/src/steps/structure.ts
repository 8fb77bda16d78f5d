import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { straceAvailability } from 'bench';
import { exabgpQaDir, REPO_ROOT, type StepContext } from '../context.js';

/** The packages of the evaluation and what each must export for the steps to use it. */
export const PACKAGES: { name: string; dir: string; needs: string[] }[] = [
  {
    name: 'bgp-codec',
    dir: 'packages/bgp-codec',
    needs: ['FrameParser', 'decodeMessage', 'encodeMessage', 'encodeOpen'],
  },
  { name: 'exabgp-config-parser', dir: 'packages/exabgp-config-parser', needs: [] },
  { name: 'transport-sync', dir: 'packages/transport-sync', needs: ['Reactor', 'connect', 'listen', 'NOT_YET'] },
  { name: 'transport-async', dir: 'packages/transport-async', needs: ['connect', 'listen'] },
  { name: 'fsm-bridge', dir: 'packages/fsm-bridge', needs: ['bgpFsm'] },
  { name: 'bench', dir: 'packages/bench', needs: ['runBenchmark', 'loadDriver'] },
];

export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of [...PACKAGES, { name: 'poc-runner', dir: 'apps/poc-runner' }]) {
    try {
      out[p.name] = (
        JSON.parse(readFileSync(join(REPO_ROOT, p.dir, 'package.json'), 'utf8')) as { version: string }
      ).version;
    } catch {
      out[p.name] = 'missing';
    }
  }
  return out;
}

function commandVersion(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] })
      .trim()
      .split('\n')[0];
  } catch {
    return undefined;
  }
}

let exabgpVersion: string | null | undefined;
/** ExaBGP's version when the `exabgp` command exists, else null. */
export function findExabgp(): string | null {
  if (exabgpVersion === undefined) {
    const v = commandVersion('exabgp', ['--version']);
    exabgpVersion = v ? v.replace(/^ExaBGP\s*:\s*/i, '') : null;
  }
  return exabgpVersion;
}

export function environmentFacts(): Record<string, string> {
  const strace = straceAvailability();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    commit,
    strace: strace.ok ? 'available' : `not available: ${strace.reason}`,
    exabgp: findExabgp() ?? 'not installed',
    exabgpQa: existsSync(exabgpQaDir()) ? exabgpQaDir() : `absent (${exabgpQaDir()})`,
  };
}

/** Step 1: every package imports by name and exports what the steps use; versions listed. */
export async function runStructure(ctx: StepContext): Promise<void> {
  const versions = packageVersions();
  for (const p of PACKAGES) {
    ctx.progress(`import ${p.name}`);
    try {
      const mod = (await import(p.name)) as Record<string, unknown>;
      const missing = p.needs.filter((name) => mod[name] === undefined);
      ctx.check(
        `${p.name} ${versions[p.name]} imports and exports what the steps use`,
        missing.length === 0,
        missing.length ? `missing exports: ${missing.join(', ')}` : `${Object.keys(mod).length} exports`,
      );
      ctx.step.figures[`${p.name} version`] = versions[p.name] ?? 'missing';
    } catch (error) {
      ctx.check(`${p.name} imports`, false, (error as Error).message.split('\n')[0] ?? '');
    }
  }
  for (const [k, v] of Object.entries(environmentFacts())) ctx.step.figures[k] = v;
}
