import net from 'node:net';
import {
  ConnectionClosed,
  DEFAULT_MAX_PENDING,
  DEFAULT_PORT,
  DEFAULT_READ_BUFFER_BYTES,
  ListenFailed,
  type ListenOptions,
} from 'transport-contract';
import { Connection, type ConnectionOptions } from './connection.js';
import type { Reactor } from './reactor.js';
import { NOT_YET, type NotYet, Readiness } from './readiness.js';

/**
 * The passive side (RFC 4271 §8.2.1.1, ExaBGP's `Listener`): a bound TCP server whose accepted connections
 * are handed out by {@link Listener.accepted}. Accepted sockets arrive paused (no byte is read before a
 * Connection owns them); connections not taken yet wait in a queue.
 */
export class Listener {
  private readonly queue: net.Socket[] = [];
  private readonly readiness: Readiness;
  private readonly connectionOptions: ConnectionOptions = {};
  private failure: unknown;
  private listening = false;
  private closed = false;

  constructor(
    readonly server: net.Server,
    private readonly reactor: Reactor,
    options: ListenOptions,
  ) {
    this.readiness = new Readiness(reactor);
    if (options.noDelay !== undefined) this.connectionOptions.noDelay = options.noDelay;
    if (options.copyFrames !== undefined) this.connectionOptions.copyFrames = options.copyFrames;
    const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    server.on('connection', (socket: net.Socket) => {
      // Until a Connection takes the socket over, an error must not crash the process.
      socket.on('error', ignore);
      if (this.queue.length >= maxPending) {
        socket.destroy();
        return;
      }
      this.queue.push(socket);
      this.readiness.signalReadable();
    });
    server.on('listening', () => {
      this.listening = true;
      this.readiness.signalAll();
    });
    server.on('error', (error) => {
      this.failure ??= error;
      this.readiness.signalAll();
    });
    server.on('close', () => {
      this.closed = true;
      this.readiness.signalAll();
    });
  }

  /** The bound address (the one asked for, or the one picked for port 0). */
  get address(): string {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.address : '';
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Connections accepted and not taken yet. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Yields {@link NOT_YET} while no connection is waiting and each accepted {@link Connection}; ends when
   * the listener is closed. Throws ListenFailed if the server fails.
   */
  *accepted(): Generator<Connection | NotYet, void, undefined> {
    for (;;) {
      const connection = this.poll();
      if (connection === undefined) return;
      yield connection;
    }
  }

  /** One non-blocking accept: a connection, NOT_YET, or undefined once closed. */
  poll(): Connection | NotYet | undefined {
    this.throwIfFailed();
    const socket = this.queue.shift();
    if (socket !== undefined) {
      socket.off('error', ignore);
      return new Connection(socket, this.reactor, this.connectionOptions);
    }
    if (this.closed) return undefined;
    this.readiness.waitReadable();
    return NOT_YET;
  }

  /**
   * Stop listening at once; connections accepted and not taken are destroyed, connections already taken
   * are not affected.
   */
  close(): void {
    for (const socket of this.queue.splice(0)) socket.destroy();
    if (!this.closed) this.server.close();
    this.closed = true;
    this.readiness.signalAll();
  }

  /** @internal */
  *whenListening(): Generator<NotYet, void, undefined> {
    while (!this.listening) {
      this.throwIfFailed();
      if (this.closed) throw new ConnectionClosed('the listener was closed');
      this.readiness.waitWritable();
      yield NOT_YET;
    }
  }

  private throwIfFailed(): void {
    if (this.failure === undefined) return;
    const code = (this.failure as NodeJS.ErrnoException).code;
    const text = this.failure instanceof Error ? this.failure.message : String(this.failure);
    throw new ListenFailed(`cannot listen: ${text}`, code, { cause: this.failure });
  }
}

function ignore(): void {}

/**
 * Bind and listen; a generator (the reactor's way of waiting) that returns the {@link Listener} once the
 * socket is listening, or throws ListenFailed (EADDRINUSE...). Port 0 picks a free port.
 */
export function* listen(options: ListenOptions, reactor: Reactor): Generator<NotYet, Listener, undefined> {
  const server = net.createServer({
    pauseOnConnect: true,
    highWaterMark: options.readBufferBytes ?? DEFAULT_READ_BUFFER_BYTES,
  });
  const listener = new Listener(server, reactor, options);
  try {
    server.listen({
      host: options.host ?? '::',
      port: options.port ?? DEFAULT_PORT,
      backlog: options.backlog ?? 511,
      ipv6Only: options.ipv6Only ?? false,
    });
    yield* listener.whenListening();
  } catch (error) {
    listener.close();
    throw error;
  }
  return listener;
}
