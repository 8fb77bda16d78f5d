import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchmarkResult } from 'bench';
import type { Check, StepResult } from './model.js';
import type { RunOptions } from './options.js';

export const APP_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(APP_ROOT, '..', '..');

/** ExaBGP's QA corpus, read where it lies (never copied): EXABGP_QA_DIR or ../shared/exabgp-qa. */
export function exabgpQaDir(): string {
  return process.env.EXABGP_QA_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'exabgp-qa');
}

export interface StepContext {
  readonly options: RunOptions;
  readonly step: StepResult;
  /** One line of progress for the task list. */
  progress(text: string): void;
  check(name: string, ok: boolean, detail: string, mode?: string): Check;
  /** Filled by step 6 for the decision and the charts. */
  benchmark: BenchmarkResult | null;
}

/** Await `promise` at most `ms`; every wait of the evaluation is bounded (no deadlock can hang the run). */
export async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}
