import { type Connection, connect, listen } from 'transport-async';
import type { Driver, Link, Listener } from './driver.js';

/**
 * transport-async as a harness driver, written as idiomatic async code: one read loop per connection
 * (`await readMessage()`), writes awaited for backpressure. Bursts are coalesced in groups of the same size
 * the sync reactor writes per pass (25, ExaBGP's budget), so the two modes differ only in how they wait.
 */
const BURST = 25;

class AsyncLink implements Link {
  onMessage: ((type: number, message: Uint8Array) => void) | undefined;
  onClose: ((reason?: string) => void) | undefined;
  private ended = false;

  constructor(private readonly connection: Connection) {
    void this.readLoop();
  }

  private async readLoop(): Promise<void> {
    try {
      for (;;) {
        const frame = await this.connection.readMessage();
        this.onMessage?.(frame.type, frame.message);
      }
    } catch (error) {
      this.finish(this.closing ? undefined : (error as Error).message);
    }
  }

  private closing = false;

  private finish(reason?: string): void {
    if (this.ended) return;
    this.ended = true;
    this.onClose?.(reason);
  }

  async sendAll(messages: readonly Uint8Array[], sent?: (index: number) => void): Promise<void> {
    for (let from = 0; from < messages.length; from += BURST) {
      const to = Math.min(messages.length, from + BURST);
      const write =
        to - from === 1
          ? this.connection.writeMessage(messages[from] as Uint8Array)
          : this.connection.writeMessages(messages.slice(from, to));
      if (sent) for (let i = from; i < to; i++) sent(i);
      await write;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.connection.close();
    this.finish();
  }
}

export async function createAsyncDriver(): Promise<Driver> {
  return {
    name: 'async',
    measures: 'transport-async: await readMessage() loop per connection, awaited writes (bursts of 25)',
    async listen(host, accept): Promise<Listener> {
      const listener = await listen({ host, port: 0, backlog: 4096 });
      let open = true;
      void (async () => {
        try {
          for await (const connection of listener.connections()) accept(new AsyncLink(connection));
        } catch (error) {
          if (open) console.error(`async listener: ${(error as Error).message}`);
        }
      })();
      return {
        ports: [listener.port],
        close: async () => {
          open = false;
          await listener.close();
        },
      };
    },
    async connect(host, port): Promise<Link> {
      return new AsyncLink(await connect({ host, port, timeoutMs: 30_000 }));
    },
    ownKeepalives: false,
    every(ms, tick) {
      const timer = setInterval(tick, ms);
      return () => clearInterval(timer);
    },
    async shutdown() {},
  };
}
