import { createConnection, createServer, type Socket } from 'node:net';
import { FrameParser } from 'bgp-codec';
import type { Driver, Link, Listener } from './driver.js';

/** Node's socket in flowing mode and the codec's FrameParser: no transport package at all. */
class RawLink implements Link {
  onMessage: ((type: number, message: Uint8Array) => void) | undefined;
  onClose: ((reason?: string) => void) | undefined;
  private readonly parser = new FrameParser({ acceptUnknownTypes: true, maxLength: 65535 });
  private closed = false;

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.parser.push(chunk);
        for (const frame of this.parser.frames()) this.onMessage?.(frame.type, frame.message);
      } catch (error) {
        socket.destroy(error as Error);
      }
    });
    socket.on('close', () => {
      if (this.closed) return;
      this.closed = true;
      this.onClose?.();
    });
    socket.on('error', (error) => {
      if (this.closed) return;
      this.closed = true;
      this.onClose?.(error.message);
    });
  }

  async sendAll(messages: readonly Uint8Array[], sent?: (index: number) => void): Promise<void> {
    for (let i = 0; i < messages.length; i++) {
      const more = this.socket.write(messages[i] as Uint8Array);
      sent?.(i);
      if (!more) await new Promise<void>((resolve) => this.socket.once('drain', resolve));
    }
  }

  async close(): Promise<void> {
    if (this.socket.destroyed) return;
    await new Promise<void>((resolve) => this.socket.end(resolve));
    this.socket.destroy();
  }
}

export const rawNetDriver: Driver = {
  name: 'raw-net',
  measures: 'node:net socket + bgp-codec FrameParser, no transport package (the floor under every mode)',
  async listen(host, accept): Promise<Listener> {
    const server = createServer((socket) => accept(new RawLink(socket)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: 0, backlog: 4096 }, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { ports: [port], close: () => new Promise((resolve) => server.close(() => resolve())) };
  },
  async connect(host, port): Promise<Link> {
    const socket = createConnection({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawLink(socket);
  },
  ownKeepalives: false,
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
  async shutdown() {},
};
