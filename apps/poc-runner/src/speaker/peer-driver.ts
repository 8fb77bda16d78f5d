/**
 * The driver one neighbor's session runs on: the speaker's shared driver (one reactor for every neighbor
 * with `sync`, as ExaBGP runs one), seen through two additions the session API does not offer:
 *
 * - every message received, raw, with the context negotiated on its connection (for `--print-received`),
 *   and every message sent;
 * - one listening socket per address and port shared by every neighbor listening there, handing each
 *   accepted connection to the neighbor whose address it comes from (ExaBGP's one listener), where the
 *   session API would open one socket per session and the second would fail with EADDRINUSE.
 */
import type { CodecContext } from 'bgp-codec';
import type {
  Driver,
  DriverListener,
  DriverName,
  Fsm,
  FsmEvent,
  IncomingConnection,
  Runner,
  RunnerHooks,
} from 'fsm-bridge';

export interface MessageTap {
  /** A whole message as it arrived (a view: use it before returning); `context` once OPENs were exchanged. */
  received?(type: number, message: Uint8Array, context: CodecContext | undefined): void;
  /** Messages handed to the transport. */
  sent?(messages: readonly Uint8Array[]): void;
  /** A connection attempt failed or the connection closed (the transport's reason, which the FSM does not report). */
  failed?(reason: string): void;
}

function normalize(address: string): string {
  return address.replace(/^::ffff:/i, '').toLowerCase();
}

interface SharedListener {
  readonly listening: Promise<DriverListener>;
  readonly peers: Map<string, (connection: IncomingConnection) => void>;
}

/** Listening sockets shared by the neighbors of one speaker. */
export class SharedListeners {
  private readonly byEndpoint = new Map<string, SharedListener>();

  constructor(private readonly driver: Driver) {}

  async listen(
    options: { host: string; port: number },
    peer: string,
    onConnection: (connection: IncomingConnection) => void,
  ): Promise<DriverListener> {
    const key = `[${options.host}]:${options.port}`;
    let shared = this.byEndpoint.get(key);
    if (shared === undefined) {
      const peers = new Map<string, (connection: IncomingConnection) => void>();
      const listening = this.driver.listen(options, (connection) => {
        const owner = peers.get(normalize(connection.remoteAddress));
        // RFC 4271 §8.2.1.1: connections from addresses that are not configured peers are refused.
        if (owner === undefined) connection.reject();
        else owner(connection);
      });
      shared = { listening, peers };
      this.byEndpoint.set(key, shared);
      listening.catch(() => this.byEndpoint.delete(key));
    }
    const address = normalize(peer);
    if (shared.peers.has(address)) throw new Error(`two neighbors ${peer} listen on ${key}`);
    const entry = shared;
    entry.peers.set(address, onConnection);
    let listener: DriverListener;
    try {
      listener = await entry.listening;
    } catch (error) {
      entry.peers.delete(address);
      throw error;
    }
    let closed = false;
    return {
      port: listener.port,
      close: () => {
        if (closed) return;
        closed = true;
        entry.peers.delete(address);
        if (entry.peers.size === 0 && this.byEndpoint.get(key) === entry) {
          this.byEndpoint.delete(key);
          listener.close();
        }
      },
    };
  }
}

/**
 * Workaround for the sync driver (fsm-bridge drivers/sync.ts): when a connection is adopted or connected it
 * makes the socket readable and queues `tcp-connected`, and its next event is read from the socket before
 * the queue. A peer that already sent its OPEN (the side that connects always has; BIRD sends it as soon as
 * it accepts) gets it delivered while the FSM is still in Active/Connect, where a message without a
 * connection is dropped (fsm.ts `handle`): the FSM then answers the peer's KEEPALIVE with 5/1, or waits for
 * an OPEN that never comes. This wrapper of the FSM generator keeps such messages (copies) and hands them
 * to the FSM right after the state change `tcp-connected` causes (-> OpenSent), in their order.
 */
export function* connectedFirst(fsm: Fsm, observe?: (event: FsmEvent) => void): Fsm {
  let connected = false;
  const early: FsmEvent[] = [];
  let input: FsmEvent | undefined;
  try {
    for (;;) {
      const step = fsm.next(input);
      input = undefined;
      if (step.done) return step.value;
      const effect = step.value;
      if (effect.kind === 'state') {
        connected = effect.to === 'OpenSent' || effect.to === 'OpenConfirm' || effect.to === 'Established';
        if (!connected) early.length = 0;
      }
      if (effect.kind !== 'receive') {
        input = yield effect;
        continue;
      }
      if (connected && early.length > 0) {
        input = early.shift();
        continue;
      }
      for (;;) {
        const event = yield effect;
        if (event !== undefined) observe?.(event);
        if (!connected && event !== undefined && (event.kind === 'message' || event.kind === 'message-error')) {
          // a frame is a view valid until the next receive: keep a copy
          if (event.kind === 'message') {
            const message = event.message.slice();
            early.push({ kind: 'message', type: event.type, message, body: message.subarray(19) });
          } else early.push(event);
          continue;
        }
        input = event;
        break;
      }
    }
  } finally {
    fsm.return({ reason: 'stopped' });
  }
}

/** The driver of one neighbor's sessions. Its `close` releases nothing: the speaker owns the shared driver. */
export class PeerDriver implements Driver {
  constructor(
    private readonly shared: Driver,
    private readonly listeners: SharedListeners,
    private readonly peer: string,
    private readonly tap: MessageTap,
  ) {}

  get name(): DriverName {
    return this.shared.name;
  }

  run(fsm: Fsm, hooks: RunnerHooks): Runner {
    let context: CodecContext | undefined;
    const tap = this.tap;
    const events = (event: FsmEvent) => {
      if (event.kind === 'tcp-failed') tap.failed?.(event.reason ?? 'connection lost');
    };
    return this.shared.run(connectedFirst(fsm, events), {
      target: hooks.target,
      observe(effect) {
        if (effect.kind === 'open-received') context = effect.negotiated.context;
        else if (effect.kind === 'state' && effect.to === 'Idle') context = undefined;
        else if (effect.kind === 'send') tap.sent?.(effect.messages);
        hooks.observe(effect);
      },
      received(type, message) {
        tap.received?.(type, message, context);
        hooks.received?.(type, message);
      },
    });
  }

  listen(
    options: { host: string; port: number },
    onConnection: (connection: IncomingConnection) => void,
  ): Promise<DriverListener> {
    return this.listeners.listen(options, this.peer, onConnection);
  }

  close(): void {}
}
