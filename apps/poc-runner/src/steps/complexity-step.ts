import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CodeMeasure, measureFiles } from '../complexity.js';
import { REPO_ROOT } from '../context.js';

/**
 * Lines and cyclomatic complexity of each bridge against the sync path, read from fsm-bridge's source:
 * the driver files are found by name (sync, polling, effect).
 */
export function codeComplexity(): { sync: CodeMeasure; bridges: CodeMeasure[] } | string {
  const dir = join(REPO_ROOT, 'packages', 'fsm-bridge', 'src');
  if (!existsSync(dir)) return 'not measured: packages/fsm-bridge/src is missing';
  const files = listTs(dir).filter((f) => !f.endsWith('.test.ts'));
  const pick = (word: RegExp): string[] => files.filter((f) => word.test(f.slice(dir.length)));
  const sync = pick(/sync/i).filter((f) => !/async/i.test(f.slice(dir.length)));
  const polling = pick(/poll/i);
  const effect = pick(/effect/i);
  if (!sync.length || !polling.length || !effect.length) {
    return `not measured: fsm-bridge has no driver files named after sync, polling and effect (found ${files.map((f) => f.slice(dir.length + 1)).join(', ') || 'none'})`;
  }
  return { sync: measureFiles(sync), bridges: [measureFiles(polling), measureFiles(effect)] };
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}
