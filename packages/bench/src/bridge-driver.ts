import {
  createDriver,
  type Driver as FsmDriver,
  type DriverName as FsmDriverName,
  type Session,
  startSession,
} from 'fsm-bridge';
import type { Driver, Link, Listener, SessionOptions } from './driver.js';

/**
 * fsm-bridge's Session API as a harness driver: every connection is a whole BGP session (OPEN exchange,
 * FSM, hold and keepalive timers), run by one of the FSM's drivers shared by every session of the process:
 * `fsm-sync` (the FSM on transport-sync's reactor), `bridge-polling` and `bridge-effect` (the FSM over
 * transport-async through each bridge). UPDATEs go out with `sendUpdates`, ROUTE-REFRESH with
 * `sendRouteRefresh`; KEEPALIVEs are the FSM's own. Every received message reaches the link through the
 * driver's `received` hook, so the harness stamps KEEPALIVEs too. Sessions start and establish concurrently.
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

/**
 * The shared driver, seen by one session: its runners also hand each received message to that session's
 * link. The `received` hook rather than the session's onMessage, which is called for every message sent as
 * well: the tap adds nothing to the sending path being measured.
 */
function tappedDriver(inner: FsmDriver, tap: (type: number, message: Uint8Array) => void): FsmDriver {
  return {
    name: inner.name,
    run: (fsm, hooks) =>
      inner.run(fsm, {
        observe: hooks.observe,
        target: hooks.target,
        received: (type, message) => {
          tap(type, message);
          hooks.received?.(type, message);
        },
      }),
    listen: (options, onConnection) => inner.listen(options, onConnection),
    // Shared by every session of the process: released once, by shutdown().
    close: () => undefined,
  };
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
  const shared = createDriver(FSM_DRIVER[name]);
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
      const sessions = await Promise.all(
        Array.from({ length: options.peers }, async (_, i) => {
          const link = new SessionLink();
          link.session = await startSession(
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
              driver: tappedDriver(shared, link.tap),
              iterateUpdates: false,
              onStateChange: (_from, to) => {
                if (to === 'Established') accept(link);
                else if (to === 'Idle') link.onClose?.();
              },
              onRouteRefresh: (request, s) => s.sendRouteRefresh(request.afi, request.safi),
            },
          );
          return link.session;
        }),
      );
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
      const session = await startSession(
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
          driver: tappedDriver(shared, link.tap),
          iterateUpdates: false,
          onStateChange: (_from, to) => {
            if (to === 'Idle') link.onClose?.();
          },
        },
      );
      await session.established(8_000).catch((error: Error) => {
        session.destroy();
        throw error;
      });
      link.session = session;
      return link;
    },
    every() {
      return () => undefined;
    },
    async shutdown() {
      shared.close();
    },
  };
}
