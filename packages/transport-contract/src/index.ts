/*
 * The transport contract shared by transport-sync and transport-async: options, errors, counters and the
 * small helpers both use. Each transport re-exports it as part of its own surface. Only the way of waiting
 * differs: generators driven by a reactor on one side, promises on the other.
 */
import type { BgpError, Frame } from 'bgp-codec';

export type { Frame } from 'bgp-codec';

/** Where to connect, and from where (RFC 4271 §8.2.1: the local address of a session is configurable). */
export interface ConnectOptions {
  /** Peer address, IPv4 or IPv6 literal (`127.0.0.1`, `::1`) or a name. */
  host: string;
  /** Default 179 (RFC 4271 §8.2.1). */
  port?: number;
  /** Local address to bind before connecting. */
  localAddress?: string;
  /** Local port to bind before connecting (0 or absent: any). */
  localPort?: number;
  /** Give up after this long; default 5000 ms. Fails with {@link TimeoutError}. */
  timeoutMs?: number;
  /** TCP_NODELAY; default true (BGP messages are written whole, coalescing is done by the transport). */
  noDelay?: boolean;
  /** Keep each handed-out frame valid for ever by copying it (default false: views, see {@link copyFrame}). */
  copyFrames?: boolean;
  /** Bytes asked of the kernel per read; default 65536. */
  readBufferBytes?: number;
}

/** Where to accept connections. */
export interface ListenOptions {
  /** Local address to bind, IPv4 or IPv6 literal; default `::` (every address, both families). */
  host?: string;
  /** Default 179; 0 picks a free port (read it from `listener.port`). */
  port?: number;
  /** Kernel accept queue length; default 511. */
  backlog?: number;
  /** With host `::`, accept IPv6 only. */
  ipv6Only?: boolean;
  /**
   * Accepted connections not taken yet that the listener keeps; beyond this a new connection is closed at
   * once (a storm of connections cannot grow memory without bound). Default 1024.
   */
  maxPending?: number;
  /** Options applied to every accepted connection. */
  noDelay?: boolean;
  copyFrames?: boolean;
  readBufferBytes?: number;
}

/** Byte and message counters of one connection; plain numbers, read them at any time. */
export interface ConnectionStats {
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
}

/** Both ends of an established TCP connection. */
export interface ConnectionAddresses {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** 4 or 6. */
  readonly family: 4 | 6;
}

/** Stable strings for programs, one per error class below. */
export type TransportErrorReason =
  | 'connection-lost'
  | 'connection-closed'
  | 'connect-refused'
  | 'connect-failed'
  | 'listen-failed'
  | 'timeout'
  | 'cancelled'
  | 'protocol-error'
  | 'reader-busy';

/** The one error hierarchy of the transports. `reason` is stable; `message` is for people. */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly reason: TransportErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The peer closed or reset the connection, or the socket failed. `partialBytes`: bytes of an unfinished message. */
export class ConnectionLost extends TransportError {
  override name = 'ConnectionLost';
  constructor(
    message: string,
    readonly partialBytes = 0,
    options?: { cause?: unknown },
  ) {
    super('connection-lost', message, options);
  }
}

/** This side closed or aborted the connection and then tried to use it. */
export class ConnectionClosed extends TransportError {
  override name = 'ConnectionClosed';
  constructor(message = 'the connection was closed by this side') {
    super('connection-closed', message);
  }
}

/** Connecting failed for a reason other than refusal or timeout; `code` is the system error (EHOSTUNREACH...). */
export class ConnectFailed extends TransportError {
  override name = 'ConnectFailed';
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
    reason: TransportErrorReason = 'connect-failed',
  ) {
    super(reason, message, options);
  }
}

/** Nothing listens at the peer's address and port (ECONNREFUSED). */
export class ConnectRefused extends ConnectFailed {
  override name = 'ConnectRefused';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ECONNREFUSED', options, 'connect-refused');
  }
}

/** Binding or listening failed (EADDRINUSE, EADDRNOTAVAIL, EACCES...). */
export class ListenFailed extends TransportError {
  override name = 'ListenFailed';
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super('listen-failed', message, options);
  }
}

/** A connect or read did not finish in time. Bytes already received are kept (see the read methods). */
export class TimeoutError extends TransportError {
  override name = 'TimeoutError';
  constructor(message: string) {
    super('timeout', message);
  }
}

/** A read was cancelled through its AbortSignal; `cause` is the signal's reason. Received bytes are kept. */
export class Cancelled extends TransportError {
  override name = 'Cancelled';
  constructor(message: string, options?: { cause?: unknown }) {
    super('cancelled', message, options);
  }
}

/**
 * The byte stream is not BGP (RFC 4271 §6.1 header errors). `notification` carries the code, subcode and
 * data of the NOTIFICATION to send before closing; the connection is unusable for reading afterwards.
 */
export class ProtocolError extends TransportError {
  override name = 'ProtocolError';
  constructor(readonly notification: BgpError) {
    super('protocol-error', notification.message, { cause: notification });
  }
}

/** A second read was started while one is pending: a connection has exactly one reader. */
export class ReaderBusy extends TransportError {
  override name = 'ReaderBusy';
  constructor() {
    super('reader-busy', 'a read is already pending on this connection: a connection has exactly one reader');
  }
}

/** A copy of `frame` that stays valid after the connection reads again (frames are views by default). */
export function copyFrame(frame: Frame): Frame {
  const message = frame.message.slice();
  return { type: frame.type, message, body: message.subarray(frame.message.length - frame.body.length) };
}

/** One Buffer holding every message of a burst, so a burst costs one write system call. */
export function concatMessages(messages: readonly Uint8Array[]): Uint8Array {
  if (messages.length === 1) return messages[0] as Uint8Array;
  let total = 0;
  for (const m of messages) total += m.length;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const m of messages) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}

/** The error a failed connect maps onto (used by both connect functions). */
export function connectError(error: unknown, host: string, port: number): TransportError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED')
    return new ConnectRefused(`connection to ${host} port ${port} refused`, { cause: error });
  const text = error instanceof Error ? error.message : String(error);
  return new ConnectFailed(`cannot connect to ${host} port ${port}: ${text}`, code, { cause: error });
}

/**
 * An address as the peer would write it: a dual-stack listener (`::`) sees IPv4 peers as IPv4-mapped
 * IPv6 addresses (`::ffff:192.0.2.1`, RFC 4291 §2.5.5.2), which are IPv4 peers for BGP.
 */
export function peerAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export const DEFAULT_PORT = 179;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 1000;
export const DEFAULT_READ_BUFFER_BYTES = 65536;
export const DEFAULT_MAX_PENDING = 1024;
