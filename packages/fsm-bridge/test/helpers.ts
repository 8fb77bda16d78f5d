import { encodeKeepalive, MessageType } from 'bgp-codec';
import type { DriverName } from '../src/driver.js';
import { type Session, type SessionConfig, type SessionOptions, startSession } from '../src/session.js';
import { type PeerConnection, PeerListener, peerOpen } from './peer.js';

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

/**
 * Clean-ups of one test, run when it finishes whatever happened. Built from the test context's own
 * onTestFinished: the global one cannot tell concurrent tests apart.
 */
export class Cleanup {
  constructor(private readonly onTestFinished: (fn: () => Promise<void>) => void) {}
  add(step: () => unknown): void {
    this.onTestFinished(async () => {
      try {
        await step();
      } catch {
        // Teardown of something that already failed.
      }
    });
  }
}

/** Our session connects to a scripted peer, which answers OPEN and KEEPALIVE: Established on both sides. */
export async function establishWithPeer(
  cleanup: Cleanup,
  overrides: Partial<SessionConfig>,
  options: SessionOptions,
  open: Uint8Array = peerOpen(),
): Promise<{ session: Session; peer: PeerListener; c: PeerConnection }> {
  const peer = await PeerListener.open();
  cleanup.add(() => peer.close());
  const session = await startSession(localConfig({ peerPort: peer.port, ...overrides }), options);
  cleanup.add(() => session.destroy());
  const c = await peer.accept();
  await c.expect(MessageType.OPEN);
  c.send(open);
  await c.expect(MessageType.KEEPALIVE);
  c.send(encodeKeepalive());
  await session.established();
  return { session, peer, c };
}
