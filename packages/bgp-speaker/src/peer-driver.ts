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
import type { Driver, DriverListener, DriverName, Fsm, IncomingConnection, Runner, RunnerHooks } from 'fsm-bridge';

export interface MessageTap {
  /** A whole message as it arrived (a view: use it before returning); `context` once OPENs were exchanged. */
  received?(type: number, message: Uint8Array, context: CodecContext | undefined): void;
  /** Messages handed to the transport. */
  sent?(messages: readonly Uint8Array[]): void;
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
    return this.shared.run(fsm, {
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
