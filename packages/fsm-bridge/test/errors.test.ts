/**
 * Failures over real loopback TCP, every driver: refused connections, resets in the middle of a message,
 * malformed messages, hold timer expiry, OPEN errors, connection collisions. Each answer is checked to the byte.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { encodeKeepalive, MessageType } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import { startSession, UPDATE_BUFFER_HIGH } from '../src/session.js';
import { Cleanup, DRIVERS, establishWithPeer, localConfig } from './helpers.js';
import { connectPeer, freePort, PeerListener, peerOpen, routeIndex, routeUpdate } from './peer.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// The drivers run side by side: each test waits on timers (hold, idle hold, connect retry), not on the CPU.
describe.concurrent.each(DRIVERS)('driver %s', (driver) => {
  it('retries a refused connection from Active and establishes once the peer listens', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const port = await freePort();
    const session = await startSession(localConfig({ peerPort: port, connectRetryTime: 1 }), { driver });
    cleanup.add(() => session.destroy());
    await session.waitFor('Active', 10_000);
    expect(session.states.slice(0, 3)).toEqual(['Idle', 'Connect', 'Active']);
    const peer = await PeerListener.open('127.0.0.1', port);
    cleanup.add(() => peer.close());
    const c = await peer.accept();
    await c.expect(MessageType.OPEN);
    c.send(peerOpen(), encodeKeepalive());
    await session.established();
    expect(session.states).toContain('Connect');
  });

  it('gives up a connection attempt that never completes (connect timeout) and tries again', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    // A listener with a backlog of 0 that never accepts: once one connection fills its queue, SYNs are dropped.
    const listener = spawn('/usr/bin/python3', [
      '-c',
      "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)",
    ]);
    cleanup.add(() => listener.kill('SIGKILL'));
    const port = await new Promise<number>((resolve) =>
      listener.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
    );
    const filler = net.connect({ port, host: '127.0.0.1' });
    cleanup.add(() => filler.destroy());
    await new Promise((resolve) => filler.once('connect', resolve));
    const session = await startSession(localConfig({ peerPort: port, connectTimeoutMs: 300, connectRetryTime: 1 }), {
      driver,
    });
    cleanup.add(() => session.destroy());
    await session.waitFor('Active', 10_000);
    await session.waitFor('Connect', 10_000);
    expect(session.states.slice(0, 4)).toEqual(['Idle', 'Connect', 'Active', 'Connect']);
    expect(session.notifications).toEqual([]);
  });

  it('survives a peer reset in the middle of a message: Idle, no NOTIFICATION, then a new connection', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const { session, peer, c } = await establishWithPeer(cleanup, {}, { driver });
    c.send(routeUpdate(1, 65002).subarray(0, 30));
    await new Promise((resolve) => setTimeout(resolve, 50));
    c.reset();
    await session.waitFor('Idle');
    expect(session.notifications).toEqual([]);
    // The IdleHoldTimer (1 s here) starts the session again.
    const again = await peer.accept();
    await again.expect(MessageType.OPEN);
  });

  it('delivers one message split in two parts 200 ms apart', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const { session, c } = await establishWithPeer(cleanup, {}, { driver });
    const update = routeUpdate(42, 65002);
    c.send(update.subarray(0, 11));
    await new Promise((resolve) => setTimeout(resolve, 200));
    c.send(update.subarray(11));
    for await (const received of session.updates()) {
      expect(hex(received.message)).toBe(hex(update));
      break;
    }
  });

  const malformed: Array<[string, Uint8Array, number[]]> = [
    [
      'a bad marker: 1/1 (RFC 4271 §6.1)',
      (() => {
        const m = encodeKeepalive();
        m[3] = 0;
        return m;
      })(),
      [1, 1],
    ],
    [
      'a KEEPALIVE of 20 bytes: 1/2 with the length (RFC 4271 §6.1)',
      Uint8Array.from([...new Array(16).fill(0xff), 0, 20, 4, 0]),
      [1, 2, 0, 20],
    ],
    [
      'an unknown type: 1/3 with the type (RFC 4271 §6.1)',
      Uint8Array.from([...new Array(16).fill(0xff), 0, 19, 9]),
      [1, 3, 9],
    ],
    [
      'an UPDATE whose attribute length overruns it: 3/1 (RFC 4271 §6.3)',
      (() => {
        const m = routeUpdate(1, 65002);
        m[22] = 200;
        return m;
      })(),
      [3, 1],
    ],
  ];
  for (const [name, bytes, expected] of malformed) {
    it(`answers ${name}, then closes`, async ({ onTestFinished }) => {
      const cleanup = new Cleanup(onTestFinished);
      const { session, c } = await establishWithPeer(cleanup, {}, { driver });
      c.send(bytes);
      const n = await c.readSkippingKeepalives();
      expect(n.type).toBe(MessageType.NOTIFICATION);
      expect(Array.from(n.body)).toEqual(expected);
      await c.closed;
      await session.waitFor('Idle');
      expect(session.notifications[0]).toMatchObject({ direction: 'sent', code: expected[0], subcode: expected[1] });
    });
  }

  it('sends KEEPALIVEs every second on a 3 s hold time, then 4/0 when the peer is silent (RFC 4271 §6.5)', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const { session, c } = await establishWithPeer(cleanup, { holdTime: 3 }, { driver }, peerOpen({ holdTime: 3 }));
    const started = Date.now();
    const frames: number[] = [];
    for (;;) {
      const frame = await c.read(15_000);
      frames.push(frame.type);
      if (frame.type === MessageType.NOTIFICATION) {
        expect(Array.from(frame.body)).toEqual([4, 0]);
        break;
      }
    }
    // KEEPALIVEs at about 1 s and 2 s before the expiry at about 3 s (no timing assert: a loaded machine).
    expect(frames.filter((t) => t === MessageType.KEEPALIVE).length).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    await session.waitFor('Idle');
  });

  const openErrors: Array<[string, Uint8Array, number[]]> = [
    ['version 3: 2/1 with version 4 as data', peerOpen({ version: 3 }), [2, 1, 0, 4]],
    ['peer AS 65099: 2/2', peerOpen({ asn: 65099, capabilities: [] }), [2, 2]],
    ['hold time 1: 2/6', peerOpen({ holdTime: 1 }), [2, 6]],
    ['hold time 2: 2/6', peerOpen({ holdTime: 2 }), [2, 6]],
    ['BGP identifier 0.0.0.0: 2/3', peerOpen({ bgpIdentifier: '0.0.0.0' }), [2, 3]],
  ];
  for (const [name, open, expected] of openErrors) {
    it(`refuses an OPEN with ${name}`, async ({ onTestFinished }) => {
      const cleanup = new Cleanup(onTestFinished);
      const peer = await PeerListener.open();
      cleanup.add(() => peer.close());
      const session = await startSession(localConfig({ peerPort: peer.port }), { driver });
      cleanup.add(() => session.destroy());
      const c = await peer.accept();
      await c.expect(MessageType.OPEN);
      c.send(open);
      const n = await c.expect(MessageType.NOTIFICATION);
      expect(Array.from(n.body)).toEqual(expected);
      await c.closed;
    });
  }

  it('refuses an OPEN without a required capability: 2/7 listing it (RFC 5492 §3)', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const peer = await PeerListener.open();
    cleanup.add(() => peer.close());
    const session = await startSession(localConfig({ peerPort: peer.port, requiredCapabilities: [6] }), { driver });
    cleanup.add(() => session.destroy());
    const c = await peer.accept();
    await c.expect(MessageType.OPEN);
    c.send(peerOpen());
    expect(Array.from((await c.expect(MessageType.NOTIFICATION)).body)).toEqual([2, 7, 6, 0]);
  });

  for (const [peerId, peerWins, survivor] of [
    ['10.0.0.2', true, 'the peer-initiated connection'],
    ['9.0.0.1', false, 'our connection'],
  ] as const) {
    it(`resolves a collision with a peer whose identifier is ${peerId}: Cease 7 on the loser, ${survivor} survives (RFC 4271 §6.8)`, async ({
      onTestFinished,
    }) => {
      const cleanup = new Cleanup(onTestFinished);
      const peer = await PeerListener.open();
      cleanup.add(() => peer.close());
      const session = await startSession(localConfig({ peerPort: peer.port, listen: true }), { driver });
      cleanup.add(() => session.destroy());
      const open = peerOpen({ bgpIdentifier: peerId });
      // Ours: the session's outgoing connection, held in OpenSent.
      const ours = await peer.accept();
      await ours.expect(MessageType.OPEN);
      // Theirs: the peer connects too; the session's second FSM answers with its own OPEN.
      const theirs = await connectPeer(session.listenPort);
      cleanup.add(() => theirs.close());
      await theirs.expect(MessageType.OPEN);
      theirs.send(open);
      await theirs.expect(MessageType.KEEPALIVE);
      // Now the OPEN on our connection: the other one is in OpenConfirm, so §6.8 decides.
      ours.send(open);
      const [loser, winner] = peerWins ? [ours, theirs] : [theirs, ours];
      const cease = await loser.readSkippingKeepalives();
      expect(cease.type).toBe(MessageType.NOTIFICATION);
      expect(Array.from(cease.body)).toEqual([6, 7]);
      await loser.closed;
      winner.send(encodeKeepalive());
      await session.established();
      await session.sendUpdate(routeUpdate(5));
      expect(routeIndex((await winner.readSkippingKeepalives()).message)).toBe(5);
      expect(session.notifications).toContainEqual({ direction: 'sent', code: 6, subcode: 7, data: new Uint8Array(0) });
    });
  }

  it('closes a new connection colliding with an Established session with Cease 7', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const { session } = await establishWithPeer(cleanup, { listen: true }, { driver });
    const late = await connectPeer(session.listenPort);
    cleanup.add(() => late.close());
    await late.expect(MessageType.OPEN);
    late.send(peerOpen());
    const cease = await late.readSkippingKeepalives();
    expect(Array.from(cease.body)).toEqual([6, 7]);
    expect(session.state).toBe('Established');
  });

  it('stops reading for a slow consumer of updates(): the buffer stays bounded, nothing is lost', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const receiver = await startSession(
      localConfig({ localAs: 65002, peerAs: 65001, routerId: '10.0.0.2', passive: true, peerPort: 1 }),
      { driver },
    );
    cleanup.add(() => receiver.destroy());
    const sender = await startSession(localConfig({ peerPort: receiver.listenPort }), { driver });
    cleanup.add(() => sender.destroy());
    await Promise.all([sender.established(), receiver.established()]);
    const count = 3 * UPDATE_BUFFER_HIGH;
    const sending = sender.sendUpdates(
      (function* () {
        for (let i = 0; i < count; i++) yield routeUpdate(i);
      })(),
    );
    // Nobody iterates yet: the session fills its buffer to the high mark, then leaves the rest in TCP.
    const deadline = Date.now() + 10_000;
    while (receiver.bufferedUpdates < UPDATE_BUFFER_HIGH && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.bufferedUpdates).toBeGreaterThanOrEqual(UPDATE_BUFFER_HIGH);
    expect(receiver.bufferedUpdates).toBeLessThanOrEqual(UPDATE_BUFFER_HIGH + 1);
    let next = 0;
    for await (const u of receiver.updates()) {
      expect(routeIndex(u.message)).toBe(next++);
      if (next === count) break;
    }
    await sending;
    expect(receiver.state).toBe('Established');
  });

  it('streams both ways at once without a deadlock: the FSM never waits for room in the send buffer', async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const got = { a: [] as number[], b: [] as number[] };
    const b = await startSession(
      localConfig({ localAs: 65002, peerAs: 65001, routerId: '10.0.0.2', passive: true, peerPort: 1 }),
      { driver, onUpdate: (u) => got.b.push(routeIndex(u.message)) },
    );
    cleanup.add(() => b.destroy());
    const a = await startSession(localConfig({ peerPort: b.listenPort }), {
      driver,
      onUpdate: (u) => got.a.push(routeIndex(u.message)),
    });
    cleanup.add(() => a.destroy());
    await Promise.all([a.established(), b.established()]);
    // Far more than the kernel buffers of both directions hold.
    const count = 50_000;
    const stream = (as: number) =>
      (function* () {
        for (let i = 0; i < count; i++) yield routeUpdate(i, as);
      })();
    await Promise.all([a.sendUpdates(stream(65001)), b.sendUpdates(stream(65002))]);
    const deadline = Date.now() + 20_000;
    while ((got.a.length < count || got.b.length < count) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect([got.a.length, got.b.length]).toEqual([count, count]);
    expect(got.a.every((index, i) => index === i) && got.b.every((index, i) => index === i)).toBe(true);
    expect([a.state, b.state]).toEqual(['Established', 'Established']);
  });

  it('carries 10,000 UPDATEs between two of its sessions in order, none lost', async ({ onTestFinished }) => {
    const cleanup = new Cleanup(onTestFinished);
    const receiver = await startSession(
      localConfig({ localAs: 65002, peerAs: 65001, routerId: '10.0.0.2', passive: true, peerPort: 1 }),
      { driver, iterateUpdates: false, onUpdate: (u) => got.push(routeIndex(u.message)) },
    );
    const got: number[] = [];
    cleanup.add(() => receiver.destroy());
    const sender = await startSession(localConfig({ peerPort: receiver.listenPort }), { driver });
    cleanup.add(() => sender.destroy());
    await Promise.all([sender.established(), receiver.established()]);
    const count = 10_000;
    const sent = await sender.sendUpdates(
      (function* () {
        for (let i = 0; i < count; i++) yield routeUpdate(i);
      })(),
    );
    expect(sent).toBe(count);
    const deadline = Date.now() + 20_000;
    while (got.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got.length).toBe(count);
    expect(got.every((index, i) => index === i)).toBe(true);
    await sender.stop();
  });
});
