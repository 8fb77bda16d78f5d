import type { Driver } from './driver.js';

/** fsm-bridge's Session API driven by one of its bridges (filled in as the package's API lands). */
export async function createBridgeDriver(name: 'bridge-polling' | 'bridge-effect'): Promise<Driver> {
  const pkg = 'fsm-bridge';
  const mod = (await import(pkg)) as Record<string, unknown>;
  throw new Error(
    `fsm-bridge exports no Session API for ${name} yet (exports: ${Object.keys(mod).join(', ') || 'none'})`,
  );
}
