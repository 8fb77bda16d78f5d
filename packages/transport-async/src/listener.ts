import net from 'node:net';
import {
  Cancelled,
  ConnectionClosed,
  DEFAULT_MAX_PENDING,
  DEFAULT_PORT,
  DEFAULT_READ_BUFFER_BYTES,
  ListenFailed,
  type ListenOptions,
  ReaderBusy,
  TimeoutError,
} from 'transport-contract';
import { Connection, type ConnectionOptions, type WaitOptions } from './connection.js';

/**
 * The passive side (RFC 4271 §8.2.1.1): a bound TCP server whose accepted connections are taken with
 * {@link Listener.accept}. Accepted sockets arrive paused (no byte is read before a Connection owns them);
 * connections not taken yet wait in a queue.
 */
export class Listener {
  private readonly queue: net.Socket[] = [];
  private readonly connectionOptions: ConnectionOptions = {};
  private failure: unknown;
  private closed = false;
  private wakeAccept: (() => void) | undefined;

  constructor(
    readonly server: net.Server,
    options: ListenOptions,
  ) {
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
      this.wakeAccept?.();
    });
    server.on('error', (error) => {
      this.failure ??= error;
      this.wakeAccept?.();
    });
    server.on('close', () => {
      this.closed = true;
      this.wakeAccept?.();
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
   * The next accepted connection. Rejects with ConnectionClosed once the listener is closed, ListenFailed
   * if the server fails, TimeoutError / Cancelled when the wait ends first, ReaderBusy if another accept
   * is pending.
   */
  async accept(options?: WaitOptions): Promise<Connection> {
    if (this.wakeAccept) throw new ReaderBusy();
    const signal = options?.signal;
    let timer: NodeJS.Timeout | undefined;
    let stop: Error | undefined;
    let reject: ((error: unknown) => void) | undefined;
    const end = (error: Error): void => {
      stop ??= error;
      reject?.(stop);
    };
    const onAbort = (): void => end(new Cancelled('accept cancelled', { cause: signal?.reason }));
    try {
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      if (options?.timeoutMs !== undefined) {
        const ms = options.timeoutMs;
        timer = setTimeout(() => end(new TimeoutError(`no connection accepted within ${ms} ms`)), ms);
      }
      for (;;) {
        this.throwIfFailed();
        const socket = this.queue.shift();
        if (socket !== undefined) {
          socket.off('error', ignore);
          return new Connection(socket, this.connectionOptions);
        }
        if (this.closed) throw new ConnectionClosed('the listener was closed');
        if (stop) throw stop;
        await new Promise<void>((resolve, fail) => {
          this.wakeAccept = resolve;
          reject = fail;
        });
        this.wakeAccept = reject = undefined;
      }
    } finally {
      this.wakeAccept = undefined;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Accepted connections, one after the other, until the listener is closed. */
  async *connections(options?: Omit<WaitOptions, 'timeoutMs'>): AsyncGenerator<Connection, void, undefined> {
    for (;;) {
      try {
        yield await this.accept(options);
      } catch (error) {
        if (error instanceof ConnectionClosed) return;
        throw error;
      }
    }
  }

  /**
   * Stop listening at once; connections accepted and not taken are destroyed, connections already taken
   * are not affected (Node's server 'close' waits for them, so this does not).
   */
  close(): Promise<void> {
    for (const socket of this.queue.splice(0)) socket.destroy();
    if (!this.closed) {
      this.closed = true;
      this.server.close();
      this.wakeAccept?.();
    }
    return DONE;
  }

  private throwIfFailed(): void {
    if (this.failure === undefined) return;
    const code = (this.failure as NodeJS.ErrnoException).code;
    const text = this.failure instanceof Error ? this.failure.message : String(this.failure);
    throw new ListenFailed(`cannot listen: ${text}`, code, { cause: this.failure });
  }
}

function ignore(): void {}

const DONE: Promise<void> = Promise.resolve();

/** Bind and listen; resolves once listening (port 0 picks a free port), rejects with ListenFailed. */
export function listen(options: ListenOptions): Promise<Listener> {
  const server = net.createServer({
    pauseOnConnect: true,
    highWaterMark: options.readBufferBytes ?? DEFAULT_READ_BUFFER_BYTES,
  });
  return new Promise<Listener>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.close();
      reject(new ListenFailed(`cannot listen: ${error.message}`, error.code, { cause: error }));
    };
    server.once('error', onError);
    server.listen(
      {
        host: options.host ?? '::',
        port: options.port ?? DEFAULT_PORT,
        backlog: options.backlog ?? 511,
        ipv6Only: options.ipv6Only ?? false,
      },
      () => {
        server.off('error', onError);
        resolve(new Listener(server, options));
      },
    );
  });
}
