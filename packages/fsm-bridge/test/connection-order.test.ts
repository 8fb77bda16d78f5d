/**
 * The order in which a driver hands a connection's events to the FSM.
 *
 * A peer's OPEN that is already waiting on the socket when the connection is handed to the FSM (a peer that
 * writes OPEN and KEEPALIVE the moment TCP is up, as BIRD does on accept) must reach the FSM after its
 * `tcp-connected` (RFC 4271 §8.2.2 Connect/Active -> OpenSent), never before: read in Active or Connect it
 * would be an event without a connection, and the peer's KEEPALIVE then an unexpected message (5/1).
 * Repeated: the order used to depend on which of the socket and the event queue a pass looked at first.
 */
import net from 'node:net';
import { encodeKeepalive } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import type { Driver, DriverName, IncomingConnection } from '../src/driver.js';
import { createDriver } from '../src/drivers/index.js';
import { bgpFsm, type State } from '../src/fsm.js';
import { startSession } from '../src/session.js';
import { Cleanup, DRIVERS, localConfig } from './helpers.js';
import { connectPeer, peerOpen } from './peer.js';

const ROUNDS = 20;
const OPEN_AND_KEEPALIVE = peerOpen().length + encodeKeepalive().length;

/**
 * The driver, with each accepted connection handed on only once the peer's OPEN and KEEPALIVE are read
 * into the socket's buffer: the worst case, made certain rather than left to timing.
 */
function withBufferedOpen(name: DriverName): Driver {
  const driver = createDriver(name);
  return {
    name: driver.name,
    run: (fsm, hooks) => driver.run(fsm, hooks),
    close: () => driver.close(),
    listen: (options, onConnection) =>
      driver.listen(options, (incoming: IncomingConnection) => {
        // both drivers' incoming connections carry their transport connection and its socket
        const socket = (incoming as unknown as { connection: { socket: net.Socket } }).connection.socket;
        const ready = () => {
          if (socket.readableLength < OPEN_AND_KEEPALIVE) return;
          socket.off('readable', ready);
          onConnection(incoming);
        };
        socket.on('readable', ready);
        socket.read(0);
      }),
  };
}

describe.each(DRIVERS)('driver %s with a peer whose OPEN is there before the connection is taken', (driver) => {
  it(`passive: the peer's OPEN + KEEPALIVE are buffered when its connection is handed over (${ROUNDS} rounds)`, async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const buffered = withBufferedOpen(driver);
    cleanup.add(() => buffered.close());
    for (let round = 0; round < ROUNDS; round++) {
      const session = await startSession(localConfig({ passive: true, peerPort: 1 }), { driver: buffered });
      cleanup.add(() => session.destroy());
      const peer = await connectPeer(session.listenPort, '127.0.0.1', peerOpen(), encodeKeepalive());
      cleanup.add(() => peer.close());
      await session.established(10_000);
      expect(session.notifications).toEqual([]);
      session.destroy();
      peer.close();
    }
  }, 120_000);

  it(`active: the peer accepts and writes OPEN + KEEPALIVE at once (${ROUNDS} rounds)`, async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.resume();
      socket.write(peerOpen());
      socket.write(encodeKeepalive());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.add(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const port = (server.address() as net.AddressInfo).port;
    for (let round = 0; round < ROUNDS; round++) {
      const session = await startSession(localConfig({ peerPort: port }), { driver });
      cleanup.add(() => session.destroy());
      await session.established(10_000);
      expect(session.notifications).toEqual([]);
      session.destroy();
    }
  }, 120_000);
});

describe.each(DRIVERS)('driver %s with a stale connection event queued when a connection is adopted', (driver) => {
  // An attempt of our own failed (its tcp-failed is queued) just as the peer's connection is accepted: the
  // accepted connection replaces the attempt, so that tcp-failed no longer describes anything. Taken after
  // the adoption it would close the new connection at once.
  it('establishes on the adopted connection', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const shared = createDriver(driver);
    cleanup.add(() => shared.close());
    const states: State[] = [];
    const config = localConfig({ passive: true });
    const runner = shared.run(
      bgpFsm({
        localAs: config.localAs,
        peerAs: config.peerAs,
        routerId: config.routerId,
        holdTime: 90,
        capabilities: [{ type: 'asn4', asn: config.localAs }],
        passive: true,
        idleHoldTime: 0,
      }),
      {
        target: { host: '127.0.0.1', port: 1, timeoutMs: 1000 },
        observe: (effect) => {
          if (effect.kind === 'state') states.push(effect.to);
        },
      },
    );
    cleanup.add(() => runner.destroy());
    const listener = await shared.listen({ host: '127.0.0.1', port: 0 }, (incoming) => {
      runner.post({ kind: 'tcp-failed', reason: 'connect ECONNREFUSED (an attempt replaced by this connection)' });
      runner.adopt(incoming);
    });
    cleanup.add(() => listener.close());
    const peer = await connectPeer(listener.port, '127.0.0.1', peerOpen(), encodeKeepalive());
    cleanup.add(() => peer.close());
    for (let waited = 0; !states.includes('Established') && !peer.ended && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(states).toEqual(['Active', 'OpenSent', 'OpenConfirm', 'Established']);
  });
});
