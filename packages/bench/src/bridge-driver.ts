import {
  createDriver,
  type Driver as FsmDriver,
  type DriverName as FsmDriverName,
  type Runner,
  type RunnerHooks,
  type Session,
  startSession,
} from 'fsm-bridge';
import type { Driver, Link, Listener, SessionOptions } from './driver.js';

/**
 * fsm-bridge's Session API as a harness driver: every connection is a whole BGP session (OPEN exchange,
 * FSM, hold and keepalive timers), run by one of the FSM's drivers shared by every session of the process:
 * `fsm-sync` (the FSM on transport-sync's reactor), `bridge-polling` and `bridge-effect` (the FSM over
 * transport-async through each bridge). UPDATEs go out with `sendUpdates`, ROUTE-REFRESH with
 * `sendRouteRefresh`; KEEPALIVEs are the FSM's own. Every received message is seen through the driver's
 * `received` hook, so the harness stamps KEEPALIVEs too.
 */
type SessionMode = 'fsm-sync' | 'bridge-polling' | 'bridge-effect';
const FSM_DRIVER: Record<SessionMode, FsmDriverName> = {
  'fsm-sync': 'sync',
  'bridge-polling': 'bridge-polling',
  'bridge-effect': 'bridge-effect',
};
const LOCAL_AS = 65001;
const PEER_AS = 65002;
const CHUNK = 25;

/** A driver that hands every received message to the link of its session as well. */
class TappedDriver {
  readonly inner: FsmDriver;
  /** The tap of the session being started (set just before its runner is created). */
  nextTap: ((type: number, message: Uint8Array) => void) | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  /**
   * Start one session at a time, so the runner its start creates takes that session's tap (the driver
   * interface has no per-session hook of its own).
   */
  startWith<T>(tap: (type: number, message: Uint8Array) => void, start: () => Promise<T>): Promise<T> {
    const run = this.lock.then(async () => {
      this.nextTap = tap;
      try {
        return await start();
      } finally {
        this.nextTap = undefined;
      }
    });
    this.lock = run.catch(() => undefined);
    return run;
  }

  constructor(name: FsmDriverName) {
    this.inner = createDriver(name);
  }

  wrap(): FsmDriver {
    const inner = this.inner;
    const self = this;
    return {
      name: inner.name,
      run(fsm, hooks: RunnerHooks): Runner {
        const tap = self.nextTap;
        const tapped: RunnerHooks = {
          observe: (effect) => hooks.observe(effect),
          target: hooks.target,
          received: (type, message) => {
            tap?.(type, message);
            hooks.received?.(type, message);
          },
        };
        return inner.run(fsm, tapped);
      },
      listen: (options, onConnection) => inner.listen(options, onConnection),
      close: () => undefined,
    };
  }
}

class SessionLink implements Link {
  onMessage: ((type: number, message: Uint8Array) => void) | undefined;
  onClose: ((reason?: string) => void) | undefined;
  session: Session | undefined;
  readonly tap = (type: number, message: Uint8Array): void => this.onMessage?.(type, message);

  async sendAll(messages: readonly Uint8Array[], sent?: (index: number) => void): Promise<void> {
    const session = this.session;
    if (!session) throw new Error('session not started');
    for (let from = 0; from < messages.length; from += CHUNK) {
      const to = Math.min(messages.length, from + CHUNK);
      const updates: Uint8Array[] = [];
      for (let i = from; i < to; i++) {
        const m = messages[i] as Uint8Array;
        const type = m[18];
        if (type === 2) updates.push(m);
        else if (type === 5) session.sendRouteRefresh(((m[19] as number) << 8) | (m[20] as number), m[22] as number);
        // KEEPALIVEs are the FSM's own (keepaliveTime); others cannot be sent through a session.
      }
      if (updates.length) await session.sendUpdates(updates, CHUNK);
      if (sent) for (let i = from; i < to; i++) sent(i);
    }
  }

  async close(): Promise<void> {
    const session = this.session;
    if (!session) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      session.stop(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 2_000);
      }),
    ]);
    clearTimeout(timer);
    session.destroy();
  }
}

function timers(options: SessionOptions): { holdTime: number; keepaliveTime?: number } {
  if (!options.keepaliveMs) return { holdTime: 90 };
  return {
    holdTime: Math.max(3, Math.ceil((3 * options.keepaliveMs) / 1000)),
    keepaliveTime: options.keepaliveMs / 1000,
  };
}

export async function createBridgeDriver(name: SessionMode): Promise<Driver> {
  const tapped = new TappedDriver(FSM_DRIVER[name]);
  const shared = tapped.wrap();
  let peerNumber = 0;
  const describe: Record<SessionMode, string> = {
    'fsm-sync': "fsm-bridge Session, FSM driven by transport-sync's reactor (the sync path of the bridges)",
    'bridge-polling': 'fsm-bridge Session, FSM over transport-async through the polling bridge (plan step 4)',
    'bridge-effect': 'fsm-bridge Session, FSM over transport-async through the effect bridge',
  };
  return {
    name,
    measures: describe[name],
    ownKeepalives: true,
    async listen(host, accept, options): Promise<Listener> {
      const sessions: Session[] = [];
      for (let i = 0; i < options.peers; i++) {
        const link = new SessionLink();
        const session = await tapped.startWith(link.tap, () =>
          startSession(
            {
              localAs: PEER_AS,
              peerAs: LOCAL_AS,
              routerId: `192.0.2.${200 + (i % 50)}`,
              peerAddress: host,
              localAddress: host,
              localPort: 0,
              passive: true,
              listen: true,
              idleHoldTime: 0,
              ...timers(options),
            },
            {
              driver: shared,
              iterateUpdates: false,
              onStateChange: (_from, to) => {
                if (to === 'Established') accept(link);
                else if (to === 'Idle') link.onClose?.();
              },
              onRouteRefresh: (request, s) => s.sendRouteRefresh(request.afi, request.safi),
            },
          ),
        );
        link.session = session;
        sessions.push(session);
      }
      return {
        ports: sessions.map((s) => s.listenPort),
        close: async () => {
          for (const s of sessions) s.destroy();
        },
      };
    },
    async connect(host, port, options): Promise<Link> {
      const link = new SessionLink();
      const n = peerNumber++;
      // One session is established at a time: fsm-bridge's sync driver leaves some sessions Idle when
      // several establish at once on one reactor (seen with 3 sessions); the harness measures sessions
      // once up, so it does the same for every session mode.
      const session = await tapped.startWith(link.tap, async () => {
        const started = await startSession(
          {
            localAs: LOCAL_AS,
            peerAs: PEER_AS,
            routerId: `198.51.100.${1 + (n % 250)}`,
            peerAddress: host,
            peerPort: port,
            localAddress: host,
            idleHoldTime: 0,
            connectTimeoutMs: 30_000,
            ...timers(options),
          },
          {
            driver: shared,
            iterateUpdates: false,
            onStateChange: (_from, to) => {
              if (to === 'Idle') link.onClose?.();
            },
          },
        );
        await started.established(8_000).catch((error: Error) => {
          started.destroy();
          throw error;
        });
        return started;
      });
      link.session = session;
      return link;
    },
    every() {
      return () => undefined;
    },
    async shutdown() {
      tapped.inner.close();
    },
  };
}
