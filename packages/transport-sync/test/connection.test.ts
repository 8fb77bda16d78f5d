import net from 'node:net';
import { ErrorCode, type Frame, HeaderSubcode, MessageType } from 'bgp-codec';
import {
  closedPort,
  delay,
  keepalive,
  message,
  rawPeer,
  sequencedUpdate,
  sequenceOf,
  unresponsiveListener,
} from 'transport-contract/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Connection,
  ConnectionClosed,
  ConnectionLost,
  ConnectRefused,
  connect,
  type Listener,
  listen,
  NOT_YET,
  ProtocolError,
  Reactor,
  ReaderBusy,
  TimeoutError,
} from '../src/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function newReactor(): Reactor {
  const reactor = new Reactor();
  cleanups.push(() => reactor.stop());
  return reactor;
}

function* acceptOne(listener: Listener): Generator<unknown, Connection> {
  for (const accepted of listener.accepted()) {
    if (accepted !== NOT_YET) return accepted;
    yield NOT_YET;
  }
  throw new Error('listener closed');
}

/** Read `count` messages, one per pass (ExaBGP's budget), copying them: frames are views. */
function* readMessages(connection: Connection, count: number): Generator<unknown, Frame[]> {
  const frames: Frame[] = [];
  const reader = connection.reader();
  try {
    while (frames.length < count) {
      const next = reader.next().value;
      if (next === NOT_YET) {
        yield NOT_YET;
        continue;
      }
      const message = next.message.slice();
      frames.push({ type: next.type, message, body: message.subarray(19) });
      yield true;
    }
  } finally {
    reader.return(undefined as never);
  }
  return frames;
}

function* writeMessages(connection: Connection, messages: Uint8Array[], perPass: number): Generator<unknown, void> {
  for (let i = 0; i < messages.length; i += perPass) {
    yield* connection.writer(messages.slice(i, i + perPass));
    yield true;
  }
}

async function establish(host: string) {
  const reactor = newReactor();
  const listener = await reactor.run(listen({ host, port: 0 }, reactor));
  cleanups.push(() => listener.close());
  const server = reactor.run(acceptOne(listener));
  const client = await reactor.run(connect({ host, port: listener.port, localAddress: host }, reactor));
  const accepted = await server;
  cleanups.push(() => client.abort());
  cleanups.push(() => accepted.abort());
  return { reactor, listener, client, server: accepted };
}

describe.each(['127.0.0.1', '::1'])('transport-sync over %s', (host) => {
  it('exchanges messages in both directions and counts them', async () => {
    const { reactor, client, server } = await establish(host);
    expect(client.family).toBe(host === '::1' ? 6 : 4);
    expect(client.remotePort).toBe(server.localPort);
    expect(client.localAddress).toBe(host);
    const toServer = [keepalive(), sequencedUpdate(1), sequencedUpdate(2)];
    const toClient = [sequencedUpdate(7), keepalive()];
    const [atServer, atClient] = await Promise.all([
      reactor.run(readMessages(server, 3)),
      reactor.run(readMessages(client, 2)),
      reactor.run(writeMessages(client, toServer, 25)),
      reactor.run(writeMessages(server, toClient, 1)),
    ]);
    expect(atServer.map((f) => f.type)).toEqual([MessageType.KEEPALIVE, MessageType.UPDATE, MessageType.UPDATE]);
    expect(atServer.map((f) => Buffer.from(f.message))).toEqual(toServer.map((m) => Buffer.from(m)));
    expect(atClient.map((f) => Buffer.from(f.message))).toEqual(toClient.map((m) => Buffer.from(m)));
    const bytes = (list: Uint8Array[]) => list.reduce((sum, m) => sum + m.length, 0);
    expect(client.stats).toEqual({
      bytesIn: bytes(toClient),
      bytesOut: bytes(toServer),
      messagesIn: 2,
      messagesOut: 3,
    });
    expect(server.stats.messagesIn).toBe(3);
  });

  it('refuses a connection to a port nothing listens on with ConnectRefused', async () => {
    const reactor = newReactor();
    const port = await closedPort(host);
    await expect(reactor.run(connect({ host, port }, reactor))).rejects.toBeInstanceOf(ConnectRefused);
  });

  it('gives up connecting with TimeoutError when the peer never answers the SYN', async () => {
    const peer = await unresponsiveListener(host);
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const started = performance.now();
    const error = await reactor.run(connect({ host, port: peer.port, timeoutMs: 300 }, reactor)).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.reason).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(reactor.timerCount).toBe(0);
  });

  it('cancels a connect in progress when its task is cancelled (socket destroyed, timer gone)', async () => {
    const peer = await unresponsiveListener(host);
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const connecting = reactor.spawn(connect({ host, port: peer.port, timeoutMs: 30_000 }, reactor));
    await delay(100);
    expect(reactor.timerCount).toBe(1);
    connecting.cancel(new Error('ConnectRetryTimer stopped'));
    await expect(connecting.done).rejects.toThrow('ConnectRetryTimer stopped');
    expect(reactor.timerCount).toBe(0);
  });

  it('reports a reset in the middle of a message as ConnectionLost, never as a message', async () => {
    const whole = sequencedUpdate(42);
    const peer = await rawPeer(host, (socket) => {
      socket.write(keepalive());
      socket.write(whole.subarray(0, 30), () => setTimeout(() => socket.resetAndDestroy(), 50));
    });
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const client = await reactor.run(connect({ host, port: peer.port }, reactor));
    cleanups.push(() => client.abort());
    const seen: number[] = [];
    const error = await reactor
      .run(
        (function* () {
          for (const frame of client.reader()) {
            if (frame === NOT_YET) yield NOT_YET;
            else seen.push(frame.type);
          }
        })(),
      )
      .catch((e) => e);
    expect(seen).toEqual([MessageType.KEEPALIVE]);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.partialBytes).toBe(30);
  });

  it('reports a close by the peer in the middle of a message as ConnectionLost', async () => {
    const peer = await rawPeer(host, (socket) => socket.end(sequencedUpdate(1).subarray(0, 10)));
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const client = await reactor.run(connect({ host, port: peer.port }, reactor));
    cleanups.push(() => client.abort());
    const error = await reactor.run(readMessages(client, 1)).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(/peer closed the connection with 10 bytes/);
  });

  it('answers a bad marker with ProtocolError carrying NOTIFICATION 1/1 (RFC 4271 §6.1)', async () => {
    const bad = keepalive();
    bad[3] = 0;
    const peer = await rawPeer(host, (socket) => socket.write(bad));
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const client = await reactor.run(connect({ host, port: peer.port }, reactor));
    cleanups.push(() => client.abort());
    const error = await reactor.run(readMessages(client, 1)).catch((e) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.notification.code).toBe(ErrorCode.MESSAGE_HEADER);
    expect(error.notification.subcode).toBe(HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED);
  });

  it('answers a length over 4096 with NOTIFICATION 1/2 and the length as data, until Extended Message', async () => {
    const big = message(MessageType.UPDATE, new Uint8Array(5000 - 19));
    big.set([0, 0, 0, 0], 19);
    const peer = await rawPeer(host, (socket) => {
      socket.write(big);
      socket.write(big);
    });
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const client = await reactor.run(connect({ host, port: peer.port }, reactor));
    cleanups.push(() => client.abort());
    const error = await reactor.run(readMessages(client, 1)).catch((e) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect([error.notification.code, error.notification.subcode]).toEqual([1, HeaderSubcode.BAD_MESSAGE_LENGTH]);
    expect([...error.notification.data]).toEqual([5000 >> 8, 5000 & 0xff]);

    const client2 = await reactor.run(connect({ host, port: peer.port }, reactor));
    cleanups.push(() => client2.abort());
    client2.setExtendedMessage(true); // RFC 8654
    const frames = await reactor.run(readMessages(client2, 2));
    expect(frames.map((f) => f.message.length)).toEqual([5000, 5000]);
  });

  it('frames one message sent in two parts 200 ms apart', async () => {
    const whole = sequencedUpdate(9);
    const peer = await rawPeer(host, (socket) => {
      socket.write(whole.subarray(0, 7));
      setTimeout(() => socket.write(whole.subarray(7)), 200);
    });
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const client = await reactor.run(connect({ host, port: peer.port }, reactor));
    cleanups.push(() => client.abort());
    const waitsBefore = reactor.stats.waits;
    const [frame] = await reactor.run(readMessages(client, 1));
    expect(Buffer.from(frame?.message ?? [])).toEqual(Buffer.from(whole));
    // The reactor waited for the second part instead of spinning.
    expect(reactor.stats.waits).toBeGreaterThan(waitsBefore);
  });

  it('delivers 10,000 UPDATEs in order with none lost', async () => {
    const { reactor, client, server } = await establish(host);
    const count = 10_000;
    const updates = Array.from({ length: count }, (_, i) => sequencedUpdate(i));
    const [frames] = await Promise.all([
      reactor.run(readMessages(server, count)),
      reactor.run(writeMessages(client, updates, reactor.settings.outboundPerPass)),
    ]);
    expect(frames.map((f) => sequenceOf(f.message))).toEqual(updates.map((_, i) => i));
    expect(server.stats.messagesIn).toBe(count);
    expect(client.stats.messagesOut).toBe(count);
  });
});

describe('transport-sync contract', () => {
  it('keeps memory bounded with a slow reader: the writer waits and bytes stay in the kernel', async () => {
    const { reactor, client, server } = await establish('127.0.0.1');
    const update = sequencedUpdate(1);
    const burst = Array.from({ length: 1000 }, () => update); // 46 KB per write
    let written = 0;
    let blocked = 0;
    const writing = reactor.spawn(
      (function* () {
        for (;;) {
          if (!client.writable()) {
            blocked++;
            yield NOT_YET;
            continue;
          }
          client.write(burst);
          written += burst.length;
          yield true;
        }
      })(),
    );
    let maxBuffered = 0;
    let maxPending = 0;
    let read = 0;
    const reading = reactor.run(
      (function* () {
        const reader = server.reader();
        while (read < 20_000) {
          const next = reader.next().value;
          if (next === NOT_YET) {
            yield NOT_YET;
            continue;
          }
          read++;
          maxBuffered = Math.max(maxBuffered, server.bufferedBytes);
          maxPending = Math.max(maxPending, client.pendingWriteBytes);
          if (read % 1000 === 0) {
            // A slow reader: stop for a while, the way a busy peer would.
            const wakeAt = reactor.now() + 20;
            reactor.setTimer(20, () => {});
            while (reactor.now() < wakeAt) yield NOT_YET;
          }
        }
        reader.return(undefined as never);
      })(),
    );
    await reading;
    writing.cancel();
    expect(blocked).toBeGreaterThan(0);
    // Kernel buffers are not counted: what the process holds is one read plus one burst, whatever was sent.
    expect(maxBuffered).toBeLessThan(512 * 1024);
    expect(maxPending).toBeLessThan(512 * 1024);
    expect(written * update.length).toBeGreaterThan(maxBuffered + maxPending);
  });

  it("binds the local address it is given (RFC 4271 §8.2.1: the session's source address)", async () => {
    const reactor = newReactor();
    const listener = await reactor.run(listen({ host: '127.0.0.1', port: 0 }, reactor));
    cleanups.push(() => listener.close());
    const accepting = reactor.run(acceptOne(listener));
    const client = await reactor.run(
      connect({ host: '127.0.0.1', port: listener.port, localAddress: '127.0.0.2' }, reactor),
    );
    const server = await accepting;
    cleanups.push(() => client.abort());
    cleanups.push(() => server.abort());
    expect(client.localAddress).toBe('127.0.0.2');
    expect(server.remoteAddress).toBe('127.0.0.2');
    expect(server.remotePort).toBe(client.localPort);
  });

  it('destroys the socket when the peer does not close its side within the close timeout', async () => {
    // allowHalfOpen: the peer receives our FIN and never sends its own.
    const peer = await rawPeer('127.0.0.1', () => {}, { allowHalfOpen: true });
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const client = await reactor.run(connect({ host: '127.0.0.1', port: peer.port }, reactor));
    client.close(200);
    expect(client.closed).toBe(false);
    for (let waited = 0; !client.closed && waited < 10_000; waited += 50) await delay(50);
    expect(client.closed).toBe(true);
  });

  // Nobody reads a connection once it is closed; without taking the peer's FIN off the paused socket, the
  // socket (and its descriptor) stayed open for the whole close timeout after both sides had closed.
  it("releases a closed connection as soon as the peer's FIN arrives, unread bytes discarded", async () => {
    const { client, server } = await establish('127.0.0.1');
    client.close(60_000);
    // The peer still sends after our FIN, then closes too; nobody reads either side any more.
    server.write(Array.from({ length: 1000 }, (_, i) => sequencedUpdate(i)));
    server.close(60_000);
    for (let waited = 0; !(client.closed && server.closed) && waited < 10_000; waited += 20) await delay(20);
    expect([client.closed, server.closed]).toEqual([true, true]);
  });

  it('aborts with a reset: the peer sees the connection lost', async () => {
    const { reactor, client, server } = await establish('127.0.0.1');
    const reading = reactor.run(readMessages(server, 1));
    client.abort();
    const error = await reading.catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(/ECONNRESET|connection closed|peer closed/);
  });

  /** The errors the connection's socket emits from now on. */
  function socketErrors(connection: Connection): string[] {
    const errors: string[] = [];
    connection.socket.on('error', (error: NodeJS.ErrnoException) => errors.push(`${error.syscall} ${error.code}`));
    return errors;
  }

  async function untilClosed(connection: Connection): Promise<void> {
    for (let waited = 0; !connection.closed && waited < 5_000; waited += 20) await delay(20);
  }

  // libuv refuses a reset while our FIN is being sent (uv_tcp_close_reset: EINVAL); Node then emits the error
  // and never closes the TCP handle, so the process cannot exit.
  it('aborts after close(): the socket is closed, not left open with a reset error', async () => {
    const { client } = await establish('127.0.0.1');
    const errors = socketErrors(client);
    client.close();
    client.abort();
    await untilClosed(client);
    expect(errors).toEqual([]);
    expect(client.closed).toBe(true);
  });

  it("aborts right after the peer's FIN made Node end our side: the socket is closed", async () => {
    const { reactor, client, server } = await establish('127.0.0.1');
    const errors = socketErrors(client);
    // Node ends the writing side of a socket without allowHalfOpen on a tick after 'end' (the socket then
    // closes itself once that FIN is sent); an abort in between meets the FIN being sent
    client.socket.once('end', () =>
      process.nextTick(() =>
        process.nextTick(() => {
          expect(client.socket.writableEnded).toBe(true);
          client.abort();
        }),
      ),
    );
    const reading = reactor.run(readMessages(client, 1));
    server.close();
    await expect(reading).rejects.toBeInstanceOf(Error);
    await untilClosed(client);
    expect(errors).toEqual([]);
    expect(client.closed).toBe(true);
  });

  it('fails a writer waiting for drain with ConnectionLost when the peer resets the connection', async () => {
    const { reactor, client, server } = await establish('127.0.0.1');
    const burst = Array.from({ length: 1000 }, () => sequencedUpdate(1));
    let waiting = false;
    // The server does not read: the kernel buffers fill and the writer yields NOT_YET.
    const writing = reactor.run(
      (function* () {
        for (;;) {
          for (const step of client.writer(burst)) {
            waiting = true;
            yield step;
          }
          yield true;
        }
      })(),
    );
    for (let waited = 0; !waiting && waited < 10_000; waited += 10) await delay(10);
    expect(waiting).toBe(true);
    server.abort();
    await expect(writing).rejects.toBeInstanceOf(ConnectionLost);
  });

  it('sees an IPv4 peer of a dual-stack listener as IPv4, not as an IPv4-mapped IPv6 address', async () => {
    const reactor = newReactor();
    const listener = await reactor.run(listen({ port: 0 }, reactor)); // host '::', both families
    cleanups.push(() => listener.close());
    const accepting = reactor.run(acceptOne(listener));
    const client = await reactor.run(connect({ host: '127.0.0.1', port: listener.port }, reactor));
    const server = await accepting;
    cleanups.push(() => client.abort());
    cleanups.push(() => server.abort());
    expect([server.remoteAddress, server.family, server.localAddress]).toEqual(['127.0.0.1', 4, '127.0.0.1']);
  });

  it('keeps frames valid after later reads with the copyFrames option', async () => {
    const reactor = newReactor();
    const listener = await reactor.run(listen({ host: '127.0.0.1', port: 0, copyFrames: true }, reactor));
    cleanups.push(() => listener.close());
    const accepting = reactor.run(acceptOne(listener));
    const client = await reactor.run(connect({ host: '127.0.0.1', port: listener.port }, reactor));
    const server = await accepting;
    cleanups.push(() => client.abort());
    cleanups.push(() => server.abort());
    const count = 3000;
    const kept: Frame[] = [];
    const reading = reactor.run(
      (function* () {
        for (const frame of server.reader()) {
          if (frame === NOT_YET) yield NOT_YET;
          else if (kept.push(frame) === count) return;
        }
      })(),
    );
    // Written in uneven parts, so messages straddle reads and pass through the parser's carry-over buffer.
    const bytes = Buffer.concat(Array.from({ length: count }, (_, i) => sequencedUpdate(i)));
    for (let at = 0; at < bytes.length; at += 1000) client.write(bytes.subarray(at, at + 1000), 0);
    await reading;
    expect(kept.map((f) => sequenceOf(f.message))).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('closes connections beyond maxPending that nobody takes (a storm of connections stays bounded)', async () => {
    const reactor = newReactor();
    const listener = await reactor.run(listen({ host: '127.0.0.1', port: 0, maxPending: 2 }, reactor));
    cleanups.push(() => listener.close());
    const clients = await Promise.all(
      Array.from({ length: 5 }, () => reactor.run(connect({ host: '127.0.0.1', port: listener.port }, reactor))),
    );
    for (const client of clients) cleanups.push(() => client.abort());
    const outcomes = await Promise.all(
      clients
        .map((client) =>
          reactor.run(readMessages(client, 1)).then(
            () => 'message',
            (error) => (error instanceof ConnectionLost ? 'lost' : String(error)),
          ),
        )
        .map((outcome) => Promise.race([outcome, delay(2000).then(() => 'waiting')])),
    );
    expect(listener.pending).toBe(2);
    expect(outcomes.filter((o) => o === 'lost').length).toBe(3);
    expect(outcomes.filter((o) => o === 'waiting').length).toBe(2);
  });

  it('refuses writes after close() with ConnectionClosed', async () => {
    const { client } = await establish('127.0.0.1');
    client.close();
    expect(() => client.write(keepalive())).toThrow(ConnectionClosed);
  });

  it('has exactly one reader per connection', async () => {
    const { client } = await establish('127.0.0.1');
    const first = client.reader();
    first.next();
    expect(() => client.reader().next()).toThrow(ReaderBusy);
    first.return(undefined as never);
    expect(client.reader().next().value).toBe(NOT_YET);
  });

  it('closes cleanly: queued messages arrive before the FIN', async () => {
    const { reactor, client, server } = await establish('127.0.0.1');
    const updates = Array.from({ length: 500 }, (_, i) => sequencedUpdate(i));
    client.write(updates);
    client.close();
    const frames = await reactor.run(readMessages(server, 500));
    expect(frames.length).toBe(500);
    const error = await reactor.run(readMessages(server, 1)).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.partialBytes).toBe(0);
  });

  it('reports bind failures as ListenFailed', async () => {
    const reactor = newReactor();
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => busy.close(resolve)));
    const port = (busy.address() as net.AddressInfo).port;
    const error = await reactor.run(listen({ host: '127.0.0.1', port }, reactor)).catch((e) => e);
    expect(error.reason).toBe('listen-failed');
    expect(error.code).toBe('EADDRINUSE');
  });

  it("coalesces a reactor turn's writes: held while the turn runs, sent in order when it ends", async () => {
    const { reactor, client, server } = await establish('127.0.0.1');
    const messages = [keepalive(), sequencedUpdate(1), sequencedUpdate(2)];
    const during = await reactor.run(
      (function* () {
        for (const m of messages) client.write(m);
        // Still in the turn: nothing has gone to the kernel yet, everything is held by the socket.
        const held = { corked: client.socket.writableCorked, held: client.socket.writableLength };
        yield true;
        return held;
      })(),
    );
    expect(during).toEqual({ corked: 1, held: messages.reduce((sum, m) => sum + m.length, 0) });
    expect(client.socket.writableCorked).toBe(0);
    const received = await reactor.run(readMessages(server, 3));
    expect(received.map((f) => Buffer.from(f.message))).toEqual(messages.map((m) => Buffer.from(m)));
    // Outside a turn there is no turn end to wait for: the write goes out at once.
    client.write(keepalive());
    expect(client.socket.writableCorked).toBe(0);
    expect((await reactor.run(readMessages(server, 1)))[0]?.type).toBe(MessageType.KEEPALIVE);
  });

  it('still sends a held write when the connection is aborted in the same turn', async () => {
    const received: Buffer[] = [];
    const peer = await rawPeer('127.0.0.1', (socket) => {
      socket.on('data', (chunk: Buffer) => received.push(chunk));
    });
    cleanups.push(() => peer.close());
    const reactor = newReactor();
    const client = await reactor.run(connect({ host: '127.0.0.1', port: peer.port }, reactor));
    const update = sequencedUpdate(9);
    await reactor.run(
      (function* () {
        client.write(update);
        client.abort();
        yield true;
      })(),
    );
    for (let waited = 0; Buffer.concat(received).length < update.length && waited < 5_000; waited += 20) {
      await delay(20);
    }
    expect(Buffer.concat(received)).toEqual(Buffer.from(update));
  });

  it('waits without work: an idle connection schedules no pass', async () => {
    const { reactor, server } = await establish('127.0.0.1');
    const reading = reactor.run(readMessages(server, 1));
    await delay(50);
    const passes = reactor.stats.passes;
    await delay(300);
    expect(reactor.stats.passes).toBe(passes);
    server.abort();
    await expect(reading).rejects.toBeInstanceOf(Error);
  });
});
