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
  Cancelled,
  type Connection,
  ConnectionClosed,
  ConnectionLost,
  ConnectRefused,
  connect,
  copyFrame,
  listen,
  ProtocolError,
  ReaderBusy,
  TimeoutError,
} from '../src/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function readMessages(connection: Connection, count: number): Promise<Frame[]> {
  const frames: Frame[] = [];
  while (frames.length < count) frames.push(copyFrame(await connection.readMessage()));
  return frames;
}

async function establish(host: string) {
  const listener = await listen({ host, port: 0 });
  cleanups.push(() => listener.close());
  const accepting = listener.accept();
  const client = await connect({ host, port: listener.port, localAddress: host });
  const server = await accepting;
  cleanups.push(() => client.abort());
  cleanups.push(() => server.abort());
  return { listener, client, server };
}

async function connectTo(host: string, port: number): Promise<Connection> {
  const client = await connect({ host, port });
  cleanups.push(() => client.abort());
  return client;
}

describe.each(['127.0.0.1', '::1'])('transport-async over %s', (host) => {
  it('exchanges messages in both directions and counts them', async () => {
    const { client, server } = await establish(host);
    expect(client.family).toBe(host === '::1' ? 6 : 4);
    expect(client.remotePort).toBe(server.localPort);
    expect(client.localAddress).toBe(host);
    const toServer = [keepalive(), sequencedUpdate(1), sequencedUpdate(2)];
    const toClient = [sequencedUpdate(7), keepalive()];
    const [atServer, atClient] = await Promise.all([
      readMessages(server, 3),
      readMessages(client, 2),
      client.writeMessages(toServer),
      (async () => {
        for (const m of toClient) await server.writeMessage(m);
      })(),
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
    const port = await closedPort(host);
    await expect(connect({ host, port })).rejects.toBeInstanceOf(ConnectRefused);
  });

  it('gives up connecting with TimeoutError when the peer never answers the SYN', async () => {
    const peer = await unresponsiveListener(host);
    cleanups.push(() => peer.close());
    const started = performance.now();
    const error = await connect({ host, port: peer.port, timeoutMs: 300 }).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.reason).toBe('timeout');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('cancels a connect in progress through its signal', async () => {
    const peer = await unresponsiveListener(host);
    cleanups.push(() => peer.close());
    const controller = new AbortController();
    const connecting = connect({ host, port: peer.port, timeoutMs: 30_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(connecting).rejects.toBeInstanceOf(Cancelled);
  });

  it('reports a reset in the middle of a message as ConnectionLost, never as a message', async () => {
    const peer = await rawPeer(host, (socket) => {
      socket.write(keepalive());
      socket.write(sequencedUpdate(42).subarray(0, 30), () => setTimeout(() => socket.resetAndDestroy(), 50));
    });
    cleanups.push(() => peer.close());
    const client = await connectTo(host, peer.port);
    expect((await client.readMessage()).type).toBe(MessageType.KEEPALIVE);
    const error = await client.readMessage().catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.partialBytes).toBe(30);
  });

  it('reports a close by the peer in the middle of a message as ConnectionLost', async () => {
    const peer = await rawPeer(host, (socket) => socket.end(sequencedUpdate(1).subarray(0, 10)));
    cleanups.push(() => peer.close());
    const client = await connectTo(host, peer.port);
    const error = await client.readMessage().catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.message).toMatch(/peer closed the connection with 10 bytes/);
  });

  it('answers a bad marker with ProtocolError carrying NOTIFICATION 1/1 (RFC 4271 §6.1)', async () => {
    const bad = keepalive();
    bad[3] = 0;
    const peer = await rawPeer(host, (socket) => socket.write(bad));
    cleanups.push(() => peer.close());
    const client = await connectTo(host, peer.port);
    const error = await client.readMessage().catch((e) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.notification.code).toBe(ErrorCode.MESSAGE_HEADER);
    expect(error.notification.subcode).toBe(HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED);
  });

  it('answers a length over 4096 with NOTIFICATION 1/2 and the length as data, until Extended Message', async () => {
    const big = message(MessageType.UPDATE, new Uint8Array(5000 - 19));
    const peer = await rawPeer(host, (socket) => {
      socket.write(big);
      socket.write(big);
    });
    cleanups.push(() => peer.close());
    const client = await connectTo(host, peer.port);
    const error = await client.readMessage().catch((e) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect([error.notification.code, error.notification.subcode]).toEqual([1, HeaderSubcode.BAD_MESSAGE_LENGTH]);
    expect([...error.notification.data]).toEqual([5000 >> 8, 5000 & 0xff]);

    const client2 = await connectTo(host, peer.port);
    client2.setExtendedMessage(true); // RFC 8654
    const frames = await readMessages(client2, 2);
    expect(frames.map((f) => f.message.length)).toEqual([5000, 5000]);
  });

  it('frames one message sent in two parts 200 ms apart', async () => {
    const whole = sequencedUpdate(9);
    const peer = await rawPeer(host, (socket) => {
      socket.write(whole.subarray(0, 7));
      setTimeout(() => socket.write(whole.subarray(7)), 200);
    });
    cleanups.push(() => peer.close());
    const client = await connectTo(host, peer.port);
    const frame = await client.readMessage();
    expect(Buffer.from(frame.message)).toEqual(Buffer.from(whole));
  });

  it('loses nothing when a read times out in the middle of a message: the next read returns it whole', async () => {
    const whole = sequencedUpdate(77);
    let sendRest: () => void = () => {};
    const peer = await rawPeer(host, (socket) => {
      socket.write(whole.subarray(0, 25));
      sendRest = () => socket.write(whole.subarray(25));
    });
    cleanups.push(() => peer.close());
    const client = await connectTo(host, peer.port);
    const error = await client.readMessage({ timeoutMs: 200 }).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(client.bufferedBytes).toBe(25);
    sendRest();
    const frame = await client.readMessage({ timeoutMs: 10_000 });
    expect(Buffer.from(frame.message)).toEqual(Buffer.from(whole));
  });

  it('loses nothing when a read is cancelled in the middle of a message', async () => {
    const whole = sequencedUpdate(78);
    let sendRest: () => void = () => {};
    const peer = await rawPeer(host, (socket) => {
      socket.write(whole.subarray(0, 5));
      sendRest = () => socket.write(whole.subarray(5));
    });
    cleanups.push(() => peer.close());
    const client = await connectTo(host, peer.port);
    const controller = new AbortController();
    const reading = client.readMessage({ signal: controller.signal });
    await delay(100);
    controller.abort(new Error('shutting down'));
    const error = await reading.catch((e) => e);
    expect(error).toBeInstanceOf(Cancelled);
    expect(error.cause.message).toBe('shutting down');
    sendRest();
    expect(Buffer.from((await client.readMessage()).message)).toEqual(Buffer.from(whole));
  });

  it('delivers 10,000 UPDATEs in order with none lost', async () => {
    const { client, server } = await establish(host);
    const count = 10_000;
    const updates = Array.from({ length: count }, (_, i) => sequencedUpdate(i));
    const [frames] = await Promise.all([
      readMessages(server, count),
      (async () => {
        for (let i = 0; i < count; i += 25) await client.writeMessages(updates.slice(i, i + 25));
      })(),
    ]);
    expect(frames.map((f) => sequenceOf(f.message))).toEqual(updates.map((_, i) => i));
    expect(server.stats.messagesIn).toBe(count);
    expect(client.stats.messagesOut).toBe(count);
  });
});

describe('transport-async contract', () => {
  it('keeps memory bounded with a slow reader: writes wait for drain and bytes stay in the kernel', async () => {
    const { client, server } = await establish('127.0.0.1');
    const update = sequencedUpdate(1);
    const burst = Array.from({ length: 1000 }, () => update);
    let written = 0;
    let waited = 0;
    let stopWriting = false;
    const writing = (async () => {
      while (!stopWriting) {
        const write = client.writeMessages(burst);
        written += burst.length;
        if (client.pendingWriteBytes > 0 && client.socket.writableNeedDrain) waited++;
        await write;
      }
    })().catch(() => {});
    let maxBuffered = 0;
    let maxPending = 0;
    for (let read = 1; read <= 20_000; read++) {
      await server.readMessage();
      maxBuffered = Math.max(maxBuffered, server.bufferedBytes);
      maxPending = Math.max(maxPending, client.pendingWriteBytes);
      if (read % 1000 === 0) await delay(20);
    }
    stopWriting = true;
    client.abort();
    await writing;
    expect(waited).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThan(512 * 1024);
    expect(maxPending).toBeLessThan(512 * 1024);
    expect(written * update.length).toBeGreaterThan(maxBuffered + maxPending);
  });

  it("binds the local address it is given (RFC 4271 §8.2.1: the session's source address)", async () => {
    const listener = await listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => listener.close());
    const accepting = listener.accept();
    const client = await connect({ host: '127.0.0.1', port: listener.port, localAddress: '127.0.0.2' });
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
    const client = await connectTo('127.0.0.1', peer.port);
    await client.close(200);
    expect(client.closed).toBe(true);
  });

  // Nobody reads a connection once it is closed; without taking the peer's FIN off the paused socket, the
  // socket (and its descriptor) stayed open for the whole close timeout after both sides had closed.
  it("releases a closed connection as soon as the peer's FIN arrives, unread bytes discarded", async () => {
    const { client, server } = await establish('127.0.0.1');
    const closing = client.close(60_000);
    // The peer still sends after our FIN, then closes too; nobody reads either side any more.
    void server.writeMessages(Array.from({ length: 1000 }, (_, i) => sequencedUpdate(i))).catch(() => undefined);
    const peerClosing = server.close(60_000);
    const closed = await Promise.race([Promise.all([closing, peerClosing]).then(() => true), delay(10_000)]);
    expect([closed === true, client.closed, server.closed]).toEqual([true, true, true]);
  });

  it('aborts with a reset: the peer sees the connection lost', async () => {
    const { client, server } = await establish('127.0.0.1');
    const reading = server.readMessage();
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
    void client.close();
    client.abort();
    await untilClosed(client);
    expect(errors).toEqual([]);
    expect(client.closed).toBe(true);
  });

  it("aborts as soon as a read sees the peer's FIN (Node ends our side itself): the socket is closed", async () => {
    const { client, server } = await establish('127.0.0.1');
    const errors = socketErrors(client);
    const reading = client.readMessage().catch((error) => {
      client.abort();
      throw error;
    });
    void server.close();
    await expect(reading).rejects.toBeInstanceOf(ConnectionLost);
    await untilClosed(client);
    expect(errors).toEqual([]);
    expect(client.closed).toBe(true);
  });

  it('rejects a write waiting for drain with ConnectionLost when the peer resets the connection', async () => {
    const { client, server } = await establish('127.0.0.1');
    const burst = Array.from({ length: 1000 }, () => sequencedUpdate(1));
    let pending: Promise<void> | undefined;
    // The server does not read: the kernel buffers fill and the socket asks the writer to wait.
    for (let i = 0; i < 10_000 && pending === undefined; i++) {
      const write = client.writeMessages(burst);
      if (client.socket.writableNeedDrain) pending = write;
      else await write;
    }
    expect(pending).toBeDefined();
    server.abort();
    await expect(pending).rejects.toBeInstanceOf(ConnectionLost);
  });

  it('sees an IPv4 peer of a dual-stack listener as IPv4, not as an IPv4-mapped IPv6 address', async () => {
    const listener = await listen({ port: 0 }); // host '::', both families
    cleanups.push(() => listener.close());
    const accepting = listener.accept();
    const client = await connectTo('127.0.0.1', listener.port);
    const server = await accepting;
    cleanups.push(() => server.abort());
    expect(client.family).toBe(4);
    expect([server.remoteAddress, server.family, server.localAddress]).toEqual(['127.0.0.1', 4, '127.0.0.1']);
  });

  it('keeps frames valid after later reads with the copyFrames option', async () => {
    const listener = await listen({ host: '127.0.0.1', port: 0, copyFrames: true });
    cleanups.push(() => listener.close());
    const accepting = listener.accept();
    const client = await connectTo('127.0.0.1', listener.port);
    const server = await accepting;
    cleanups.push(() => server.abort());
    const count = 3000;
    // Written in uneven parts, so messages straddle reads and pass through the parser's carry-over buffer.
    const bytes = Buffer.concat(Array.from({ length: count }, (_, i) => sequencedUpdate(i)));
    for (let at = 0; at < bytes.length; at += 1000) void client.writeBytes(bytes.subarray(at, at + 1000), 0);
    const kept: Frame[] = [];
    while (kept.length < count) kept.push(await server.readMessage());
    expect(kept.map((f) => sequenceOf(f.message))).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('closes connections beyond maxPending that nobody takes (a storm of connections stays bounded)', async () => {
    const listener = await listen({ host: '127.0.0.1', port: 0, maxPending: 2 });
    cleanups.push(() => listener.close());
    const clients = await Promise.all(Array.from({ length: 5 }, () => connectTo('127.0.0.1', listener.port)));
    const outcomes = await Promise.all(
      clients.map((client) =>
        client.readMessage({ timeoutMs: 2000 }).then(
          () => 'message',
          (error) =>
            error instanceof ConnectionLost ? 'lost' : error instanceof TimeoutError ? 'waiting' : String(error),
        ),
      ),
    );
    expect(listener.pending).toBe(2);
    expect(outcomes.filter((o) => o === 'lost').length).toBe(3);
    expect(outcomes.filter((o) => o === 'waiting').length).toBe(2);
  });

  it('refuses writes after close() with ConnectionClosed', async () => {
    const { client } = await establish('127.0.0.1');
    void client.close();
    await expect(client.writeMessage(keepalive())).rejects.toBeInstanceOf(ConnectionClosed);
  });

  it('rejects a read whose signal is already aborted with Cancelled, and reads on afterwards', async () => {
    const { client, server } = await establish('127.0.0.1');
    await expect(client.readMessage({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(Cancelled);
    await server.writeMessage(keepalive());
    expect((await client.readMessage()).type).toBe(MessageType.KEEPALIVE);
  });

  it('hands out every message through messages() (for await)', async () => {
    const { client, server } = await establish('127.0.0.1');
    await server.writeMessages([sequencedUpdate(1), sequencedUpdate(2), keepalive()]);
    const seen: number[] = [];
    for await (const frame of client.messages()) {
      seen.push(frame.type);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([MessageType.UPDATE, MessageType.UPDATE, MessageType.KEEPALIVE]);
  });

  it('has exactly one reader per connection: a second concurrent read rejects with ReaderBusy', async () => {
    const { client, server } = await establish('127.0.0.1');
    const first = client.readMessage();
    await expect(client.readMessage()).rejects.toBeInstanceOf(ReaderBusy);
    await server.writeMessage(keepalive());
    expect((await first).type).toBe(MessageType.KEEPALIVE);
  });

  it('closes cleanly: queued messages arrive before the FIN', async () => {
    const { client, server } = await establish('127.0.0.1');
    const updates = Array.from({ length: 500 }, (_, i) => sequencedUpdate(i));
    void client.writeMessages(updates);
    const closing = client.close();
    expect((await readMessages(server, 500)).length).toBe(500);
    const error = await server.readMessage().catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionLost);
    expect(error.partialBytes).toBe(0);
    await closing;
    expect(client.closed).toBe(true);
  });

  it('reports bind failures as ListenFailed', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => busy.close(resolve)));
    const port = (busy.address() as net.AddressInfo).port;
    const error = await listen({ host: '127.0.0.1', port }).catch((e) => e);
    expect(error.reason).toBe('listen-failed');
    expect(error.code).toBe('EADDRINUSE');
  });

  it('accepts with a timeout and ends connections() when the listener closes', async () => {
    const listener = await listen({ host: '::1', port: 0 });
    await expect(listener.accept({ timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    const seen: Connection[] = [];
    const collecting = (async () => {
      for await (const connection of listener.connections()) seen.push(connection);
    })();
    const client = await connectTo('::1', listener.port);
    while (seen.length === 0) await delay(10);
    await listener.close();
    await collecting;
    expect(seen[0]?.remotePort).toBe(client.localPort);
    for (const connection of seen) connection.abort();
  });
});
