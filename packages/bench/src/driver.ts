/**
 * What a scenario needs from an I/O mode, and nothing more: listen, connect, whole messages in, messages
 * out in order with backpressure, a timer, close. Each mode implements it with its own machinery (the sync
 * reactor, async/await, the FSM bridges), so what a scenario measures is that machinery.
 */
export type Mode = 'sync' | 'async' | 'bridge-polling' | 'bridge-effect';
export const MODES: readonly Mode[] = ['sync', 'async', 'bridge-polling', 'bridge-effect'];
/**
 * `raw-net` is Node's socket and the codec's FrameParser with no transport: the floor the modes sit on.
 * `fsm-sync` is the session FSM on the sync reactor: what the two bridges are compared with.
 */
export type DriverName = Mode | 'fsm-sync' | 'raw-net';

export interface Link {
  /** Whole messages (header included), in order; the view is valid during the call only. */
  onMessage: ((type: number, message: Uint8Array) => void) | undefined;
  /** The connection ended: by the peer, by an error (the reason), or by close(). */
  onClose: ((reason?: string) => void) | undefined;
  /**
   * Send `messages` in order without loss; resolves once all were handed to the socket. `sent(i)` is called
   * when message i was handed over (the send-latency stamp).
   */
  sendAll(messages: readonly Uint8Array[], sent?: (index: number) => void): Promise<void>;
  close(): Promise<void>;
}

export interface Listener {
  /** Where each expected peer connects: one port for all, or one per peer (a passive session each). */
  readonly ports: readonly number[];
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Peers that will connect (a session mode prepares one passive session per peer). */
  readonly peers: number;
  /** KEEPALIVE interval; session modes give it to the FSM (transport modes send from `every`). */
  readonly keepaliveMs?: number;
}

export interface Driver {
  readonly name: DriverName;
  /** What is measured, in one line, for the report (which package, which layer). */
  readonly measures: string;
  /** The FSM sends its own KEEPALIVEs (session modes): the harness must not add any. */
  readonly ownKeepalives: boolean;
  listen(host: string, accept: (link: Link) => void, options: SessionOptions): Promise<Listener>;
  connect(host: string, port: number, options: SessionOptions): Promise<Link>;
  /** A repeating timer run by this mode's own scheduler (the reactor's timers for sync). */
  every(ms: number, tick: () => void): () => void;
  /** Release what the mode holds (a reactor); called once per process at the end. */
  shutdown(): Promise<void>;
}

/** A mode whose package (or part of it) does not exist yet: the reason goes into the report. */
export interface DriverUnavailable {
  readonly name: DriverName;
  readonly unavailable: string;
}
