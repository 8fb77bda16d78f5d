/**
 * A scripted BGP peer for the loopback tests: plain net sockets and the codec's FrameParser, no FSM, so a
 * test says exactly which bytes the peer sends and checks every byte it receives.
 */
import net from 'node:net';
import { encodeOpen, FrameParser, MessageType, type OpenMessage } from 'bgp-codec';

export interface ReceivedFrame {
  readonly type: number;
  readonly message: Uint8Array;
  readonly body: Uint8Array;
}

export class PeerConnection {
  readonly frames: ReceivedFrame[] = [];
  readonly closed: Promise<void>;
  ended = false;
  private readonly parser = new FrameParser({ acceptUnknownTypes: true });
  private next = 0;
  private waiter: (() => void) | undefined;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.parser.push(chunk);
      for (const f of this.parser.frames()) {
        const message = f.message.slice();
        this.frames.push({ type: f.type, message, body: message.subarray(19) });
      }
      this.wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.ended = true;
        this.wake();
        resolve();
      }),
    );
  }

  /** The next frame not read yet; rejects when the connection closes first or after `timeoutMs`. */
  async read(timeoutMs = 10_000): Promise<ReceivedFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames[this.next];
      if (frame !== undefined) {
        this.next++;
        return frame;
      }
      if (this.ended) throw new Error('peer connection closed while a message was expected');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Read the next frame and check its type. */
  async expect(type: number, timeoutMs?: number): Promise<ReceivedFrame> {
    const frame = await this.read(timeoutMs);
    if (frame.type !== type) {
      throw new Error(
        `expected message type ${type}, got ${frame.type} (${Buffer.from(frame.message).toString('hex')})`,
      );
    }
    return frame;
  }

  /** Skip KEEPALIVEs until a message of another type. */
  async readSkippingKeepalives(timeoutMs?: number): Promise<ReceivedFrame> {
    for (;;) {
      const frame = await this.read(timeoutMs);
      if (frame.type !== MessageType.KEEPALIVE) return frame;
    }
  }

  send(...messages: Uint8Array[]): void {
    for (const m of messages) this.socket.write(m);
  }

  reset(): void {
    this.socket.resetAndDestroy();
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

export class PeerListener {
  private readonly pending: net.Socket[] = [];
  private waiter: (() => void) | undefined;
  readonly connections: PeerConnection[] = [];

  private constructor(readonly server: net.Server) {
    server.on('connection', (socket) => {
      this.pending.push(socket);
      this.waiter?.();
    });
  }

  static async open(host = '127.0.0.1', port = 0): Promise<PeerListener> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    return new PeerListener(server);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  async accept(timeoutMs = 10_000): Promise<PeerConnection> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const socket = this.pending.shift();
      if (socket) {
        const c = new PeerConnection(socket);
        this.connections.push(c);
        return c;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no connection within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close();
    for (const s of this.pending) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Connect to `port`; `first` is written at once, queued before the handshake completes. */
export async function connectPeer(port: number, host = '127.0.0.1', ...first: Uint8Array[]): Promise<PeerConnection> {
  const socket = net.connect({ port, host });
  for (const m of first) socket.write(m);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return new PeerConnection(socket);
}

/** A port nothing listens on (bound, then released). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function peerOpen(overrides: Partial<OpenMessage> = {}): Uint8Array {
  return encodeOpen({
    type: 'open',
    version: 4,
    asn: 65002,
    holdTime: 90,
    bgpIdentifier: '10.0.0.2',
    capabilities: [{ type: 'multiprotocol', afi: 1, safi: 1 }, { type: 'route-refresh' }, { type: 'asn4', asn: 65002 }],
    ...overrides,
  });
}

/**
 * A one-route IPv4 UPDATE (RFC 4271 §4.3): ORIGIN IGP, AS_PATH [as], NEXT_HOP 192.0.2.1 and the /32 whose
 * address is `index`, so a receiver can check order and loss from the NLRI alone. 4-octet AS_PATH (RFC 6793).
 */
export function routeUpdate(index: number, as = 65001): Uint8Array {
  const attrs = [
    0x40,
    1,
    1,
    0, // ORIGIN IGP
    0x40,
    2,
    6,
    2,
    1,
    (as >>> 24) & 255,
    (as >>> 16) & 255,
    (as >>> 8) & 255,
    as & 255, // AS_PATH AS_SEQUENCE [as]
    0x40,
    3,
    4,
    192,
    0,
    2,
    1, // NEXT_HOP
  ];
  const nlri = [32, (index >>> 24) & 255, (index >>> 16) & 255, (index >>> 8) & 255, index & 255];
  const length = 19 + 2 + 2 + attrs.length + nlri.length;
  return Uint8Array.from([
    ...new Array(16).fill(0xff),
    length >> 8,
    length & 255,
    MessageType.UPDATE,
    0,
    0,
    0,
    attrs.length,
    ...attrs,
    ...nlri,
  ]);
}

/** The route index carried by {@link routeUpdate}. */
export function routeIndex(message: Uint8Array): number {
  const at = message.length - 4;
  return (
    (((message[at] as number) << 24) |
      ((message[at + 1] as number) << 16) |
      ((message[at + 2] as number) << 8) |
      (message[at + 3] as number)) >>>
    0
  );
}

export function notificationOf(frame: ReceivedFrame): number[] {
  return Array.from(frame.body);
}
