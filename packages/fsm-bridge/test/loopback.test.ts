/**
 * Real loopback TCP, every driver: establishment both ways, every message type exchanged and checked, and the
 * same message sequence from every driver facing the same scripted peer.
 */
import {
  decodeOpen,
  encodeKeepalive,
  encodeNotification,
  encodeRouteRefresh,
  MessageType,
  notification,
} from 'bgp-codec';
import { afterAll, describe, expect, it } from 'vitest';
import { type Session, startSession } from '../src/session.js';
import { Cleanup, DRIVERS, localConfig } from './helpers.js';
import { connectPeer, PeerListener, peerOpen, routeIndex, routeUpdate } from './peer.js';

/** What the scripted peer received from each driver, message by message, as hex. */
const sequences = new Map<string, string[]>();

async function nextUpdate(session: Session) {
  const it = session.updates()[Symbol.asyncIterator]();
  const next = await it.next();
  await it.return?.();
  if (next.done) throw new Error('no UPDATE: the session ended');
  return next.value;
}

describe.each(DRIVERS)('driver %s over loopback', (driver) => {
  it('establishes actively with a scripted peer and exchanges OPEN, KEEPALIVE, UPDATE, ROUTE-REFRESH, NOTIFICATION', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const peer = await PeerListener.open();
    cleanup.add(() => peer.close());
    const refreshes: number[][] = [];
    const session = await startSession(localConfig({ peerPort: peer.port }), {
      driver,
      onRouteRefresh: (request, s) => {
        refreshes.push([request.afi, request.safi]);
        void s.sendUpdate(routeUpdate(99));
      },
    });
    cleanup.add(() => session.destroy());

    const c = await peer.accept();
    const open = decodeOpen((await c.expect(MessageType.OPEN)).body);
    expect(open).toMatchObject({ version: 4, asn: 65001, holdTime: 90, bgpIdentifier: '10.0.0.1' });
    c.send(peerOpen());
    await c.expect(MessageType.KEEPALIVE);
    c.send(encodeKeepalive());
    await session.established();
    expect(session.negotiated).toMatchObject({
      holdTime: 90,
      peerAs: 65002,
      families: [{ afi: 1, safi: 1 }],
      routeRefresh: true,
    });

    // UPDATE from the peer, delivered with its bytes.
    const fromPeer = routeUpdate(7, 65002);
    c.send(fromPeer);
    const delivered = await nextUpdate(session);
    expect(Array.from(delivered.message)).toEqual(Array.from(fromPeer));

    // UPDATE to the peer.
    await session.sendUpdate(routeUpdate(1));
    expect(routeIndex((await c.expect(MessageType.UPDATE)).message)).toBe(1);

    // ROUTE-REFRESH from the peer reaches the callback, which answers with an UPDATE (RFC 2918).
    c.send(encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 1, subtype: 0 }));
    expect(routeIndex((await c.expect(MessageType.UPDATE)).message)).toBe(99);
    expect(refreshes).toEqual([[1, 1]]);

    // ROUTE-REFRESH to the peer.
    session.sendRouteRefresh(1, 1);
    expect(Array.from((await c.expect(MessageType.ROUTE_REFRESH)).body)).toEqual([0, 1, 0, 1]);

    // Stop: Cease 2 with the RFC 9003 text, then the connection closes.
    await session.stop({ text: 'bye' });
    const cease = await c.expect(MessageType.NOTIFICATION);
    expect(Array.from(cease.body)).toEqual([6, 2, 3, 0x62, 0x79, 0x65]);
    await c.closed;
    expect(session.states).toEqual(['Idle', 'Connect', 'OpenSent', 'OpenConfirm', 'Established', 'Idle']);
    sequences.set(
      driver,
      c.frames.map((f) => Buffer.from(f.message).toString('hex')),
    );
  });

  it('accepts a peer that sends its OPEN and KEEPALIVE before ours arrives', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const session = await startSession(localConfig({ passive: true, peerPort: 1 }), { driver });
    cleanup.add(() => session.destroy());
    const c = await connectPeer(session.listenPort, '127.0.0.1', peerOpen(), encodeKeepalive());
    cleanup.add(() => c.close());
    await c.expect(MessageType.OPEN);
    await c.expect(MessageType.KEEPALIVE);
    await session.established();
    expect(session.notifications).toEqual([]);
  });

  it('accepts the peer passively and receives a NOTIFICATION from it', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const session = await startSession(localConfig({ passive: true, peerPort: 1 }), { driver });
    cleanup.add(() => session.destroy());
    expect(session.state).toBe('Active');
    const c = await connectPeer(session.listenPort);
    cleanup.add(() => c.close());
    await c.expect(MessageType.OPEN);
    c.send(peerOpen(), encodeKeepalive());
    await c.expect(MessageType.KEEPALIVE);
    await session.established();
    c.send(encodeNotification(notification(6, 4)));
    await c.closed;
    expect(session.notifications).toContainEqual({
      direction: 'received',
      code: 6,
      subcode: 4,
      data: new Uint8Array(0),
    });
    // A passive session goes back to waiting for the peer (Idle, then Active after the IdleHoldTimer).
    await session.waitFor('Active', 10_000);
    expect(session.states.slice(0, 6)).toEqual(['Idle', 'Active', 'OpenSent', 'OpenConfirm', 'Established', 'Idle']);
  });
});

describe.each(DRIVERS)('driver %s over IPv6 loopback', (driver) => {
  it('establishes between two of its sessions on ::1 with IPv6 unicast negotiated (RFC 4760)', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const v6 = { peerAddress: '::1', localAddress: '::1', families: [[2, 1]] as Array<[number, number]> };
    const passive = await startSession(
      localConfig({ ...v6, localAs: 65002, peerAs: 65001, routerId: '10.0.0.2', passive: true, peerPort: 1 }),
      { driver },
    );
    cleanup.add(() => passive.destroy());
    const active = await startSession(localConfig({ ...v6, peerPort: passive.listenPort }), { driver });
    cleanup.add(() => active.destroy());
    await Promise.all([active.established(), passive.established()]);
    expect(active.negotiated?.families).toEqual([{ afi: 2, safi: 1 }]);
    await active.sendUpdate(routeUpdate(6));
    expect(routeIndex((await nextUpdate(passive)).message)).toBe(6);
    await active.stop();
  });
});

describe('every driver against the same scripted peer', () => {
  afterAll(() => sequences.clear());
  it('sent the same message sequence, byte for byte', () => {
    expect([...sequences.keys()]).toEqual([...DRIVERS]);
    const [first, ...rest] = [...sequences.values()];
    expect(first?.length).toBeGreaterThan(5);
    for (const other of rest) expect(other).toEqual(first);
  });
});

describe.each(DRIVERS.flatMap((a) => DRIVERS.map((b) => [a, b] as const)))(
  'our %s session to our %s session',
  (a, b) => {
    it('establishes, exchanges UPDATEs both ways and ends with Cease', async ({ onTestFinished }) => {
      const cleanup = new Cleanup(onTestFinished);
      const passive = await startSession(
        localConfig({ localAs: 65002, peerAs: 65001, routerId: '10.0.0.2', passive: true, peerPort: 1 }),
        { driver: b },
      );
      cleanup.add(() => passive.destroy());
      const active = await startSession(localConfig({ peerPort: passive.listenPort, localPort: 0 }), { driver: a });
      cleanup.add(() => active.destroy());
      await Promise.all([active.established(), passive.established()]);
      await active.sendUpdates([routeUpdate(1), routeUpdate(2), routeUpdate(3)]);
      await passive.sendUpdate(routeUpdate(4, 65002));
      const got: number[] = [];
      for await (const u of passive.updates()) {
        got.push(routeIndex(u.message));
        if (got.length === 3) break;
      }
      expect(got).toEqual([1, 2, 3]);
      expect(routeIndex((await nextUpdate(active)).message)).toBe(4);
      await active.stop({ subcode: 3 });
      await passive.waitFor('Idle');
      expect(passive.notifications).toContainEqual({
        direction: 'received',
        code: 6,
        subcode: 3,
        data: new Uint8Array(0),
      });
    });
  },
);
