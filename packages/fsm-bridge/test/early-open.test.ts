/**
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
