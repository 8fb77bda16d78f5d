import type { Driver } from './driver.js';

/** transport-async as a harness driver (filled in as the package's API lands). */
export async function createAsyncDriver(): Promise<Driver> {
  const pkg = 'transport-async';
  const mod = (await import(pkg)) as Record<string, unknown>;
  throw new Error(`transport-async exports no connection API yet (exports: ${Object.keys(mod).join(', ') || 'none'})`);
}
