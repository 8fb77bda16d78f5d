import net from 'node:net';
import { BgpError, FrameParser } from 'bgp-codec';
import {
  Cancelled,
  type ConnectionAddresses,
  ConnectionClosed,
  ConnectionLost,
  type ConnectionStats,
  type ConnectOptions,
  concatMessages,
  connectError,
  copyFrame,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_PORT,
  DEFAULT_READ_BUFFER_BYTES,
  type Frame,
  ProtocolError,
  peerAddress,
  ReaderBusy,
  TimeoutError,
} from 'transport-contract';

export interface ConnectionOptions {
  noDelay?: boolean;
  copyFrames?: boolean;
}

/** How long a read or accept may wait. Neither a timeout nor a cancellation loses a byte already received. */
export interface WaitOptions {
  /** Cancel the wait; it rejects with {@link Cancelled} (`cause`: the signal's reason). */
  signal?: AbortSignal;
  /** Give up after this long with {@link TimeoutError}. */
  timeoutMs?: number;
}

const DONE: Promise<void> = Promise.resolve();

/**
 * One BGP connection over a paused net.Socket, read and written with promises.
 *
 * Bytes are pulled with `socket.read()` only when a reader asks for a message and none is framed yet; the
 * socket stays paused otherwise, so a slow reader leaves bytes in the kernel and TCP flow control stops
 * the sender (memory bounded by the socket's readableHighWaterMark plus one read). Received bytes live in
 * the bgp-codec FrameParser, not in the pending promise: a read that times out or is cancelled drops only
 * its promise, and the next read returns the whole message (ExaBGP's asyncio reader lost them).
 *
 * Fast path: when a whole message is already framed (a read of 64 KB brings about a thousand one-route
 * UPDATEs), `readMessage` returns it in an already-resolved promise without waiting on the socket.
 *
 * Frames are views of the bytes read: valid until the next read. Copy with {@link copyFrame} (or the
 * `copyFrames` option) what must outlive that.
 */
export class Connection implements ConnectionAddresses {
  readonly stats: ConnectionStats = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 };
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly family: 4 | 6;
  private readonly parser = new FrameParser();
  private readonly copyFrames: boolean;
  private failure: unknown;
  private peerEnded = false;
  private socketClosed = false;
  private closing = false;
  private reading = false;
  /** Settles the pending read's wait for the socket: resolve on an event, reject on timeout or cancel. */
  private wakeReader: (() => void) | undefined;
  private failReader: ((error: unknown) => void) | undefined;
  private drain: Promise<void> | undefined;
  private resolveDrain: (() => void) | undefined;
  private rejectDrain: ((error: unknown) => void) | undefined;
  private readonly whenClosed: Promise<void>;

  constructor(
    readonly socket: net.Socket,
    options: ConnectionOptions = {},
  ) {
    this.copyFrames = options.copyFrames ?? false;
    socket.setNoDelay(options.noDelay ?? true);
    this.localAddress = peerAddress(socket.localAddress);
    this.localPort = socket.localPort ?? 0;
    this.remoteAddress = peerAddress(socket.remoteAddress);
    this.remotePort = socket.remotePort ?? 0;
    this.family = net.isIPv4(this.remoteAddress) ? 4 : 6;
    this.whenClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('readable', this.onReadable);
    socket.on('drain', this.onDrain);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  /** Bytes received and not handed out as messages yet (kernel excluded). */
  get bufferedBytes(): number {
    return this.parser.buffered + this.socket.readableLength;
  }

  /** Bytes written and not yet taken by the kernel. */
  get pendingWriteBytes(): number {
    return this.socket.writableLength;
  }

  /** The socket is fully closed. */
  get closed(): boolean {
    return this.socketClosed;
  }

  /** RFC 8654: once Extended Message is negotiated, accept messages up to 65535 bytes. */
  setExtendedMessage(enabled: boolean): void {
    this.parser.setExtendedMessage(enabled);
  }

  /**
   * The next whole message. Rejects with {@link ConnectionLost} when the peer closes or resets the
   * connection (with the count of bytes of an unfinished message), {@link ProtocolError} carrying the
   * NOTIFICATION for an invalid header, {@link TimeoutError} / {@link Cancelled} when the wait ends first
   * (nothing received is lost), {@link ReaderBusy} when another read is pending.
   */
  readMessage(options?: WaitOptions): Promise<Frame> {
    if (this.reading) return Promise.reject(new ReaderBusy());
    let frame: Frame | undefined;
    try {
      frame = this.tryRead();
    } catch (error) {
      return Promise.reject(error);
    }
    if (frame !== undefined) return Promise.resolve(frame);
    return this.waitForMessage(options);
  }

  /** Every message until the connection ends (then it throws ConnectionLost, as readMessage does). */
  async *messages(options?: Omit<WaitOptions, 'timeoutMs'>): AsyncGenerator<Frame, never, undefined> {
    for (;;) yield await this.readMessage(options);
  }

  /**
   * Queue one message. Resolves at once while the socket's send buffer has room, and after 'drain'
   * otherwise: awaiting each write bounds what the process holds. The socket sends everything queued,
   * in order; nothing is dropped.
   */
  writeMessage(bytes: Uint8Array): Promise<void> {
    return this.writeBytes(bytes, 1);
  }

  /** Queue a burst as one buffer: one system call instead of one per message. */
  writeMessages(messages: readonly Uint8Array[]): Promise<void> {
    return this.writeBytes(concatMessages(messages), messages.length);
  }

  /** Queue bytes holding `messages` messages (already coalesced by the caller). */
  writeBytes(bytes: Uint8Array, messages: number): Promise<void> {
    const unwritable = this.notWritable();
    if (unwritable) return Promise.reject(unwritable);
    this.stats.bytesOut += bytes.length;
    this.stats.messagesOut += messages;
    if (this.socket.write(bytes)) return DONE;
    if (this.drain === undefined) {
      this.drain = new Promise<void>((resolve, reject) => {
        this.resolveDrain = resolve;
        this.rejectDrain = reject;
      });
      // Shared by every write waiting for this drain: a writer that did not wait must not turn the
      // connection's loss into an unhandled rejection. Writers that await still see the error.
      this.drain.catch(() => {});
    }
    return this.drain;
  }

  /**
   * Clean close: queued bytes are sent, then FIN; the socket is released as soon as the peer's FIN arrives,
   * or destroyed if the peer has not closed its side within `timeoutMs`. Resolves once the socket is closed.
   * What the peer sends after our close is discarded (RFC 4271 §8.2.2: a closed connection is done; messages
   * already framed can still be read): the paused socket would otherwise never take the peer's FIN, and
   * every closed connection would hold its socket and descriptor for the whole timeout.
   */
  close(timeoutMs: number = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    if (!this.closing && !this.socketClosed) {
      this.closing = true;
      this.socket.end();
      this.socket.on('readable', this.discardInput);
      this.discardInput();
      const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
      timer.unref();
      this.socket.once('close', () => clearTimeout(timer));
    }
    this.closing = true;
    return this.whenClosed;
  }

  /**
   * Abort: drop queued bytes and reset the connection (TCP RST). Once the writing side has ended - by
   * {@link close}, or by Node itself on the peer's FIN (no allowHalfOpen) - and the FIN is still being sent,
   * libuv refuses the reset (`uv_tcp_close_reset` returns EINVAL while a shutdown is pending), Node emits
   * that error and never closes the TCP handle, so the process could not exit. Our FIN is committed then:
   * the socket is destroyed instead. After the FIN went out (`writableFinished`) the reset is allowed again.
   */
  abort(): void {
    this.closing = true;
    if (this.socketClosed || this.socket.destroyed) return;
    if (this.socket.writableEnded && !this.socket.writableFinished) this.socket.destroy();
    else this.socket.resetAndDestroy();
  }

  /** Frame from what was received, reading the socket without waiting; undefined when more bytes are needed. */
  private tryRead(): Frame | undefined {
    for (;;) {
      let frame: Frame | undefined;
      try {
        frame = this.parser.next();
      } catch (error) {
        throw asProtocolError(error);
      }
      if (frame !== undefined) {
        this.stats.messagesIn++;
        return this.copyFrames ? copyFrame(frame) : frame;
      }
      const chunk = this.socket.read() as Buffer | null;
      if (chunk === null) {
        this.throwIfGone();
        return undefined;
      }
      this.stats.bytesIn += chunk.length;
      try {
        // A plain Uint8Array view: the parser's subarray() calls are then the typed array's, not Buffer's
        // (Buffer.prototype.subarray builds a FastBuffer, measurably slower per frame).
        this.parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      } catch (error) {
        throw asProtocolError(error);
      }
    }
  }

  private async waitForMessage(options: WaitOptions | undefined): Promise<Frame> {
    this.reading = true;
    const signal = options?.signal;
    let timer: NodeJS.Timeout | undefined;
    // Set when the wait must end; checked before each wait too, in case it came while bytes were framed.
    let stop: Error | undefined;
    const end = (error: Error): void => {
      stop ??= error;
      this.failReader?.(stop);
    };
    const onAbort = (): void => end(new Cancelled('read cancelled', { cause: signal?.reason }));
    try {
      if (signal?.aborted) throw new Cancelled('read cancelled', { cause: signal.reason });
      signal?.addEventListener('abort', onAbort, { once: true });
      const timeoutMs = options?.timeoutMs;
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => end(new TimeoutError(`no whole message within ${timeoutMs} ms`)), timeoutMs);
      }
      for (;;) {
        if (stop) throw stop;
        await new Promise<void>((resolve, reject) => {
          this.wakeReader = resolve;
          this.failReader = reject;
        });
        this.wakeReader = this.failReader = undefined;
        const frame = this.tryRead();
        if (frame !== undefined) return frame;
      }
    } finally {
      this.wakeReader = this.failReader = undefined;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.reading = false;
    }
  }

  private readonly onReadable = (): void => this.wakeReader?.();

  /** After close(): take whatever arrives off the socket, so that its end (the peer's FIN) is seen. */
  private readonly discardInput = (): void => {
    while (this.socket.read() !== null) {}
  };

  private readonly onDrain = (): void => {
    const resolve = this.resolveDrain;
    this.drain = this.resolveDrain = this.rejectDrain = undefined;
    resolve?.();
  };

  private readonly onEnd = (): void => {
    this.peerEnded = true;
    this.wakeReader?.();
  };

  private readonly onError = (error: Error): void => {
    this.failure ??= error;
    this.wakeReader?.();
  };

  private readonly onClose = (): void => {
    this.socketClosed = true;
    this.wakeReader?.();
    const reject = this.rejectDrain;
    this.drain = this.resolveDrain = this.rejectDrain = undefined;
    reject?.(this.notWritable());
  };

  private throwIfGone(): void {
    if (this.failure !== undefined) {
      const text = this.failure instanceof Error ? this.failure.message : String(this.failure);
      throw new ConnectionLost(this.lostText(`connection failed: ${text}`), this.parser.buffered, {
        cause: this.failure,
      });
    }
    if (this.peerEnded || this.socket.readableEnded) {
      throw new ConnectionLost(this.lostText('peer closed the connection'), this.parser.buffered);
    }
    if (this.socketClosed || this.socket.destroyed) {
      if (this.closing) throw new ConnectionClosed();
      throw new ConnectionLost(this.lostText('connection closed'), this.parser.buffered);
    }
  }

  private notWritable(): Error | undefined {
    if (this.closing) return new ConnectionClosed();
    if (this.failure !== undefined || this.socketClosed || this.socket.destroyed || !this.socket.writable) {
      try {
        this.throwIfGone();
      } catch (error) {
        return error as Error;
      }
      return new ConnectionLost('connection can no longer be written');
    }
    return undefined;
  }

  private lostText(what: string): string {
    const partial = this.parser.buffered;
    return partial > 0 ? `${what} with ${partial} bytes of an unfinished message` : what;
  }
}

function asProtocolError(error: unknown): unknown {
  return error instanceof BgpError ? new ProtocolError(error) : error;
}

/**
 * Open a TCP connection. Rejects with ConnectRefused, ConnectFailed, TimeoutError after `timeoutMs`, or
 * Cancelled when `signal` aborts (the transport-sync counterpart is cancelling the connecting task); the
 * socket is destroyed on failure.
 */
export function connect(options: ConnectOptions, wait: { signal?: AbortSignal } = {}): Promise<Connection> {
  const port = options.port ?? DEFAULT_PORT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const signal = wait.signal;
  if (signal?.aborted) return Promise.reject(new Cancelled('connect cancelled', { cause: signal.reason }));
  // net.Socket hands stream options on to its Duplex: the read size, as with the server's highWaterMark.
  const socket = new net.Socket({
    readableHighWaterMark: options.readBufferBytes ?? DEFAULT_READ_BUFFER_BYTES,
  } as net.SocketConstructorOpts);
  // The connecting socket must not read before the Connection takes it over.
  socket.pause();
  return new Promise<Connection>((resolve, reject) => {
    const fail = (error: Error): void => {
      finish();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new TimeoutError(`connection to ${options.host} port ${port} not established in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onAbort = (): void => fail(new Cancelled('connect cancelled', { cause: signal?.reason }));
    const onConnect = (): void => {
      finish();
      const connectionOptions: ConnectionOptions = {};
      if (options.noDelay !== undefined) connectionOptions.noDelay = options.noDelay;
      if (options.copyFrames !== undefined) connectionOptions.copyFrames = options.copyFrames;
      resolve(new Connection(socket, connectionOptions));
    };
    const onError = (error: Error): void => fail(connectError(error, options.host, port));
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', onConnect);
    socket.once('error', onError);
    socket.connect({
      host: options.host,
      port,
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      ...(options.localPort ? { localPort: options.localPort } : {}),
    });
  });
}
