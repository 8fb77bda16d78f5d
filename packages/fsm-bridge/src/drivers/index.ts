import { listen as listenAsync } from 'transport-async';
import type { Reactor } from 'transport-sync';
import type { Driver, DriverListener, DriverName, IncomingConnection, Runner, RunnerHooks } from '../driver.js';
import type { Fsm } from '../fsm.js';
import { AsyncIncoming } from './async-io.js';
import { EffectRunner } from './effect.js';
import { PollingRunner } from './polling.js';
import { SyncDriver } from './sync.js';

/** The drivers over transport-async: the effect bridge (also `async`) and the polling bridge. */
export class AsyncDriver implements Driver {
  constructor(readonly name: 'bridge-effect' | 'bridge-polling' | 'async') {}

  run(fsm: Fsm, hooks: RunnerHooks): Runner {
    return this.name === 'bridge-polling' ? new PollingRunner(fsm, hooks) : new EffectRunner(fsm, hooks);
  }

  async listen(
    options: { host: string; port: number },
    onConnection: (connection: IncomingConnection) => void,
  ): Promise<DriverListener> {
    const listener = await listenAsync({ host: options.host, port: options.port });
    void (async () => {
      try {
        for await (const connection of listener.connections()) onConnection(new AsyncIncoming(connection));
      } catch {
        // The server failed: nothing more will be accepted; the session goes on with its own connections.
      }
    })();
    return {
      port: listener.port,
      close() {
        void listener.close();
      },
    };
  }

  close(): void {}
}

/** A driver by name; `reactor` lets several `sync` sessions share one reactor (one reactor per process). */
export function createDriver(name: DriverName, options: { reactor?: Reactor } = {}): Driver {
  switch (name) {
    case 'sync':
      return new SyncDriver(options.reactor);
    case 'bridge-effect':
    case 'bridge-polling':
    case 'async':
      return new AsyncDriver(name);
    default:
      throw new RangeError(
        `unknown driver ${JSON.stringify(name)}: expected sync, bridge-polling, bridge-effect or async`,
      );
  }
}

export { EffectRunner, SLICE_MS } from './effect.js';
export {
  type BridgeStep,
  IMMEDIATE_POLLS,
  POLL_INTERVAL_MS,
  PollingRunner,
  type PollingStats,
  pollingBridge,
} from './polling.js';
export { SyncDriver } from './sync.js';
