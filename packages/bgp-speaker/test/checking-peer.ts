/**
 * A minimal BGP peer over raw loopback TCP, for checking what the speaker puts on the wire byte for byte:
 * it frames what arrives (bgp-codec's FrameParser), keeps a copy of every message, and sends whatever
 * bytes it is given. It runs no FSM of its own: the test decides every message it sends.
 */
import net from 'node:net';
import { FrameParser } from 'bgp-codec';

export class PeerConnection {
  readonly messages: Uint8Array[] = [];
  private readonly parser = new FrameParser();
  private waiter: (() => void) | undefined;
  private read = 0;
  closed = false;
  error: Error | undefined;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.parser.push(chunk);
        for (let frame = this.parser.next(); frame !== undefined; frame = this.parser.next()) {
          this.messages.push(frame.message.slice());
        }
      } catch (error) {
        this.error = error as Error;
        socket.destroy();
      }
      this.wake();
    });
    socket.on('error', (error) => {
      this.error ??= error;
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Let the parser take messages of up to 65535 bytes (RFC 8654, once both sides advertised it). */
  extendedMessage(): void {
    this.parser.setExtendedMessage(true);
  }

  /** The next message not yet taken, a whole copy; rejects on close or after `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.messages[this.read];
      if (message !== undefined) {
        this.read++;
        return message;
      }
      if (this.closed)
        throw new Error(`connection closed after ${this.read} messages${this.error ? `: ${this.error.message}` : ''}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms (got ${this.read})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The next message whose type (header octet 18) is not KEEPALIVE (4). */
  async nextNotKeepalive(timeoutMs = 10_000): Promise<Uint8Array> {
    for (;;) {
      const message = await this.next(timeoutMs);
      if (message[18] !== 4) return message;
    }
  }

  /** Resolves once the speaker closed the connection. */
  async waitClosed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error(`connection still open after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  send(...messages: Uint8Array[]): void {
    for (const m of messages) this.socket.write(m);
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/** A listening checking peer: connections accepted in order. */
export class CheckingPeer {
  readonly connections: PeerConnection[] = [];
  private taken = 0;
  private waiter: (() => void) | undefined;

  private constructor(readonly server: net.Server) {
    server.on('connection', (socket) => {
      this.connections.push(new PeerConnection(socket));
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter?.();
    });
  }

  static listen(host: string, port = 0): Promise<CheckingPeer> {
    return new Promise((resolve, reject) => {
      const server = net.createServer({ pauseOnConnect: false });
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => resolve(new CheckingPeer(server)));
    });
  }

  /** Connect to a speaker that listens. */
  static async dial(host: string, port: number, localAddress?: string): Promise<PeerConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, ...(localAddress ? { localAddress } : {}) });
      socket.once('connect', () => resolve(new PeerConnection(socket)));
      socket.once('error', reject);
    });
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  async nextConnection(timeoutMs = 10_000): Promise<PeerConnection> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const connection = this.connections[this.taken];
      if (connection !== undefined) {
        this.taken++;
        return connection;
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

  close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
