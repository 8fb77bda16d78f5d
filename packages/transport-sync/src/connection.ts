import net from 'node:net';
import { BgpError, FrameParser } from 'bgp-codec';
import {
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
import type { Reactor } from './reactor.js';
import { NOT_YET, type NotYet, Readiness } from './readiness.js';

export interface ConnectionOptions {
  noDelay?: boolean;
  copyFrames?: boolean;
}

/**
 * One BGP connection over a paused net.Socket, ExaBGP's `Connection` (reactor/network/connection.py).
 *
 * Reading never blocks: `socket.read()` takes whatever the kernel delivered, the bgp-codec FrameParser
 * frames it, and when no whole message is there the reader yields {@link NOT_YET} and the socket's next
 * 'readable' event wakes the waiting reactor task. The socket stays paused, so a slow reader leaves bytes
 * in the kernel and TCP flow control stops the sender: memory stays bounded by the socket's
 * readableHighWaterMark plus one read.
 *
 * Writes made during a reactor turn are coalesced: the socket is corked for the turn and sends them in one
 * system call when the turn ends, or as soon as they fill its send buffer.
 *
 * Frames are views of the bytes read: valid until the reader is resumed again. Copy with
 * {@link copyFrame} (or the `copyFrames` option) what must outlive that.
 */
export class Connection implements ConnectionAddresses {
  readonly stats: ConnectionStats = { bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0 };
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly family: 4 | 6;
  private readonly parser = new FrameParser();
  private readonly readiness: Readiness;
  private readonly copyFrames: boolean;
  private failure: unknown;
  private peerEnded = false;
  private socketClosed = false;
  private closing = false;
  private reading = false;
  private readonly reactor: Reactor | undefined;
  /** Corked until the reactor's turn ends: writes of many passes leave in one system call. */
  private corked = false;
  private flushQueued = false;

  constructor(
    readonly socket: net.Socket,
    reactor: Reactor | undefined,
    options: ConnectionOptions = {},
  ) {
    this.reactor = reactor;
    this.readiness = new Readiness(reactor);
    this.copyFrames = options.copyFrames ?? false;
    socket.setNoDelay(options.noDelay ?? true);
    this.localAddress = peerAddress(socket.localAddress);
    this.localPort = socket.localPort ?? 0;
    this.remoteAddress = peerAddress(socket.remoteAddress);
    this.remotePort = socket.remotePort ?? 0;
    this.family = net.isIPv4(this.remoteAddress) ? 4 : 6;
    // These listeners are the select() registration: they only wake the task that waits.
    socket.on('readable', this.readiness.signalReadable);
    socket.on('drain', this.readiness.signalWritable);
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
   * ExaBGP's `reader()`: yields {@link NOT_YET} while no whole message is framed and each message as it
   * is framed; runs until the connection ends. Throws {@link ConnectionLost} when the peer closes or resets
   * the connection (with the count of bytes of an unfinished message), {@link ProtocolError} carrying the
   * NOTIFICATION when the header is invalid, {@link ReaderBusy} if another reader is active.
   */
  *reader(): Generator<Frame | NotYet, never, undefined> {
    if (this.reading) throw new ReaderBusy();
    this.reading = true;
    try {
      for (;;) yield this.poll();
    } finally {
      this.reading = false;
    }
  }

  /**
   * One non-blocking read: the next whole message, or NOT_YET (and the running reactor task will be woken
   * by the socket's next event). The building block of {@link reader}, for drivers that count messages
   * per pass without a generator in between.
   */
  poll(): Frame | NotYet {
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
        this.readiness.waitReadable();
        return NOT_YET;
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

  /**
   * ExaBGP's `writer()`: yields {@link NOT_YET} while the socket's send buffer is full, then hands the
   * bytes to the socket, which keeps whatever the kernel does not take at once and sends it in order: a
   * write is never partial and never dropped. A list is written as one buffer (one system call for a
   * burst). `messages` is what the counters add (default: the list's length, or 1).
   */
  *writer(data: Uint8Array | readonly Uint8Array[], messages?: number): Generator<NotYet, void, undefined> {
    while (this.mustWaitForDrain()) {
      this.throwIfNotWritable();
      this.readiness.waitWritable();
      yield NOT_YET;
    }
    this.write(data, messages);
  }

  /**
   * Whether a write now would not exceed the send buffer; when false the running task is woken by 'drain'.
   * With {@link write}, the building block of {@link writer}.
   */
  writable(): boolean {
    this.throwIfNotWritable();
    if (!this.mustWaitForDrain()) return true;
    this.readiness.waitWritable();
    return false;
  }

  /** Queue bytes on the socket now, whatever its buffer holds (use {@link writer} to respect backpressure). */
  write(data: Uint8Array | readonly Uint8Array[], messages?: number): void {
    this.throwIfNotWritable();
    const list = data instanceof Uint8Array ? undefined : data;
    const bytes = list === undefined ? (data as Uint8Array) : concatMessages(list);
    this.stats.bytesOut += bytes.length;
    this.stats.messagesOut += messages ?? (list === undefined ? 1 : list.length);
    // Inside a reactor turn the socket stays corked until the turn ends. Backpressure is unchanged: what a
    // corked socket holds counts against its buffer, so a writer waits for 'drain' as before.
    if (!this.corked && (this.flushQueued || this.reactor?.atTurnEnd(this.flushTurn))) {
      this.flushQueued = true;
      this.corked = true;
      this.socket.cork();
    }
    this.socket.write(bytes);
  }

  /**
   * The send buffer is full. A corked socket first sends what it holds (the buffer is full, no reason to
   * wait for the turn's end): when the kernel takes it all at once, the writer goes on without waiting.
   */
  private mustWaitForDrain(): boolean {
    const socket = this.socket;
    if (!socket.writableNeedDrain) return false;
    if (!this.corked) return true;
    // Corked, the flag may be stale: an earlier flush of this turn emptied the buffer, and the flag is
    // only cleared by the 'drain' of the next tick. The buffer's length is what counts.
    if (socket.writableLength < socket.writableHighWaterMark) return false;
    this.uncork();
    return socket.writableLength > 0;
  }

  private uncork(): void {
    this.corked = false;
    this.socket.uncork();
  }

  /** End of the reactor's turn: send what the turn wrote. */
  private readonly flushTurn = (): void => {
    this.flushQueued = false;
    if (this.corked) this.uncork();
  };

  /**
   * Clean close: queued bytes are sent, then FIN; the socket is released as soon as the peer's FIN arrives,
   * or destroyed if the peer has not closed its side within `timeoutMs`. What the peer sends after our close
   * is discarded (RFC 4271 §8.2.2: a closed connection is done; messages already framed can still be read):
   * the paused socket would otherwise never take the peer's FIN, and every closed connection would hold its
   * socket and descriptor for the whole timeout.
   */
  close(timeoutMs: number = DEFAULT_CLOSE_TIMEOUT_MS): void {
    if (this.closing) return;
    this.closing = true;
    if (this.socketClosed) return;
    this.socket.end();
    this.socket.on('readable', this.discardInput);
    this.discardInput();
    const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
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
    // What this turn wrote goes to the kernel first, as an uncorked write would have: the reset drops only
    // what the kernel did not take.
    if (this.corked) this.uncork();
    if (this.socket.writableEnded && !this.socket.writableFinished) this.socket.destroy();
    else this.socket.resetAndDestroy();
  }

  /** After close(): take whatever arrives off the socket, so that its end (the peer's FIN) is seen. */
  private readonly discardInput = (): void => {
    while (this.socket.read() !== null) {}
  };

  private readonly onEnd = (): void => {
    this.peerEnded = true;
    this.readiness.signalAll();
  };

  private readonly onError = (error: Error): void => {
    this.failure ??= error;
    this.readiness.signalAll();
  };

  private readonly onClose = (): void => {
    this.socketClosed = true;
    this.readiness.signalAll();
  };

  private throwIfGone(): void {
    if (this.failure !== undefined) {
      const text = this.failure instanceof Error ? this.failure.message : String(this.failure);
      throw new ConnectionLost(this.lostText(`connection failed: ${text}`), this.parser.buffered, {
        cause: this.failure,
      });
    }
    if (this.peerEnded || this.socket.readableEnded)
      throw new ConnectionLost(this.lostText('peer closed the connection'), this.parser.buffered);
    if (this.socketClosed || this.socket.destroyed) {
      if (this.closing) throw new ConnectionClosed();
      throw new ConnectionLost(this.lostText('connection closed'), this.parser.buffered);
    }
  }

  private throwIfNotWritable(): void {
    if (this.closing) throw new ConnectionClosed();
    if (this.failure !== undefined || this.socketClosed || this.socket.destroyed || !this.socket.writable) {
      this.throwIfGone();
      throw new ConnectionLost('connection can no longer be written');
    }
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
 * ExaBGP's `Outgoing.establish()`: a generator that yields {@link NOT_YET} until the TCP connection is
 * established and returns it. Throws ConnectRefused, ConnectFailed, or TimeoutError after `timeoutMs`
 * (a reactor timer). The socket is destroyed on failure or if the generator is abandoned.
 */
export function* connect(options: ConnectOptions, reactor: Reactor): Generator<NotYet, Connection, undefined> {
  const port = options.port ?? DEFAULT_PORT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  // net.Socket hands stream options on to its Duplex: the read size, as with the server's highWaterMark.
  const socket = new net.Socket({
    readableHighWaterMark: options.readBufferBytes ?? DEFAULT_READ_BUFFER_BYTES,
  } as net.SocketConstructorOpts);
  const readiness = new Readiness(reactor);
  let connected = false;
  let failure: unknown;
  let timedOut = false;
  const onConnect = (): void => {
    connected = true;
    readiness.signalWritable();
  };
  const onError = (error: Error): void => {
    failure ??= error;
    readiness.signalWritable();
  };
  socket.once('connect', onConnect);
  socket.on('error', onError);
  // The connecting socket must not read before the Connection takes it over.
  socket.pause();
  const timer = reactor.setTimer(timeoutMs, () => {
    timedOut = true;
  });
  let ok = false;
  try {
    socket.connect({
      host: options.host,
      port,
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      ...(options.localPort ? { localPort: options.localPort } : {}),
    });
    while (!connected) {
      if (failure !== undefined) throw connectError(failure, options.host, port);
      if (timedOut)
        throw new TimeoutError(`connection to ${options.host} port ${port} not established in ${timeoutMs} ms`);
      readiness.waitWritable();
      yield NOT_YET;
    }
    ok = true;
  } finally {
    timer.cancel();
    socket.off('connect', onConnect);
    socket.off('error', onError);
    if (!ok) socket.destroy();
  }
  const connectionOptions: ConnectionOptions = {};
  if (options.noDelay !== undefined) connectionOptions.noDelay = options.noDelay;
  if (options.copyFrames !== undefined) connectionOptions.copyFrames = options.copyFrames;
  return new Connection(socket, reactor, connectionOptions);
}
