import type { DriverName } from '../src/driver.js';
import type { SessionConfig } from '../src/session.js';

export const DRIVERS: readonly DriverName[] = ['sync', 'bridge-polling', 'bridge-effect', 'async'];

/** Our side of the scripted-peer tests: AS 65001, 10.0.0.1, towards AS 65002 on loopback. */
export function localConfig(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return {
    localAs: 65001,
    peerAs: 65002,
    routerId: '10.0.0.1',
    peerAddress: '127.0.0.1',
    localAddress: '127.0.0.1',
    localPort: 0,
    holdTime: 90,
    connectRetryTime: 1,
    idleHoldTime: 1,
    connectTimeoutMs: 2000,
    ...overrides,
  };
}

/** Runs clean-ups registered during a test, last first, whatever happened. */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];
  add(step: () => unknown): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // Teardown of something that already failed.
      }
    }
  }
}
