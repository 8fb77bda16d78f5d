import { type Connection, connect, listen, NOT_YET, Reactor, type ReactorTask } from 'transport-sync';
import type { Driver, Link, Listener } from './driver.js';

/**
 * transport-sync as a harness driver, written the way ExaBGP's peers are: one reactor per process, one
 * generator task per connection, and each pass of a task does bounded work (the reactor's published budget:
 * `inboundPerPass` messages read, up to `outboundPerPass` messages written in one buffer).
 */
interface Outgoing {
  readonly messages: readonly Uint8Array[];
  next: number;
  readonly sent: ((index: number) => void) | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const PROGRESS = true;

class SyncLink implements Link {
  onMessage: ((type: number, message: Uint8Array) => void) | undefined;
  onClose: ((reason?: string) => void) | undefined;
  private readonly queue: Outgoing[] = [];
  private readonly urgent: Outgoing[] = [];
  private readonly task: ReactorTask<void>;
  private ended = false;

  constructor(
    private readonly reactor: Reactor,
    private readonly connection: Connection,
  ) {
    this.task = reactor.spawn(this.run(), 'peer');
    this.task.done.catch(() => undefined);
  }

  private *run(): Generator<unknown, void, undefined> {
    const { inboundPerPass, outboundPerPass } = this.reactor.settings;
    const batch: Uint8Array[] = [];
    try {
      for (;;) {
        let progressed = false;
        for (let i = 0; i < inboundPerPass; i++) {
          const frame = this.connection.poll();
          if (frame === NOT_YET) break;
          this.onMessage?.(frame.type, frame.message);
          progressed = true;
        }
        // A single message (a KEEPALIVE) goes before the rest of a bulk send, at a message boundary, as
        // ExaBGP's peer loop writes its KEEPALIVE between UPDATEs.
        const head = this.urgent.length ? this.urgent[0] : this.queue[0];
        if (head && this.connection.writable()) {
          const from = head.next;
          const to = Math.min(head.messages.length, from + outboundPerPass);
          batch.length = 0;
          for (let i = from; i < to; i++) batch.push(head.messages[i] as Uint8Array);
          this.connection.write(batch);
          head.next = to;
          if (head.sent) for (let i = from; i < to; i++) head.sent(i);
          if (to === head.messages.length) {
            if (this.urgent[0] === head) this.urgent.shift();
            else this.queue.shift();
            head.resolve();
          }
          progressed = true;
        }
        yield progressed ? PROGRESS : NOT_YET;
      }
    } catch (error) {
      this.finish((error as Error).message);
    }
  }

  private finish(reason?: string): void {
    if (this.ended) return;
    this.ended = true;
    for (const out of [...this.urgent.splice(0), ...this.queue.splice(0)])
      out.reject(new Error(reason ?? 'connection closed'));
    this.onClose?.(reason);
  }

  sendAll(messages: readonly Uint8Array[], sent?: (index: number) => void): Promise<void> {
    if (this.ended) return Promise.reject(new Error('connection closed'));
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      (messages.length === 1 ? this.urgent : this.queue).push({ messages, next: 0, sent, resolve, reject });
      this.task.wake();
    });
  }

  async close(): Promise<void> {
    this.connection.close();
    this.task.cancel();
    this.finish();
  }
}

export async function createSyncDriver(): Promise<Driver> {
  const reactor = new Reactor();
  return {
    name: 'sync',
    measures: 'transport-sync: generator reader/writer per connection, run by its Reactor (ExaBGP budget per pass)',
    async listen(host, accept): Promise<Listener> {
      const listener = await reactor.run(listen({ host, port: 0, backlog: 4096 }, reactor), 'listen');
      const acceptor = reactor.spawn(
        (function* () {
          for (const next of listener.accepted()) {
            if (next === NOT_YET) yield NOT_YET;
            else accept(new SyncLink(reactor, next));
          }
        })(),
        'accept',
      );
      acceptor.done.catch(() => undefined);
      return {
        ports: [listener.port],
        close: async () => {
          listener.close();
          acceptor.cancel();
        },
      };
    },
    async connect(host, port): Promise<Link> {
      const connection = await reactor.run(connect({ host, port, timeoutMs: 30_000 }, reactor), 'connect');
      return new SyncLink(reactor, connection);
    },
    ownKeepalives: false,
    every(ms, tick) {
      const timer = reactor.createTimer(() => {
        tick();
        timer.restart(ms);
      }, undefined);
      timer.restart(ms);
      return () => timer.cancel();
    },
    async shutdown() {
      reactor.stop();
    },
  };
}
