/*
 * Established, quiet sessions on the reactor, as a BGP speaker holds them: each reads whatever arrives and
 * sends a KEEPALIVE when its keepalive timer fires (RFC 4271 §4.4), on reactor timers.
 */
import { encodeKeepalive } from 'bgp-codec';
import { type Connection, connect, NOT_YET, type Reactor } from '../src/index.js';

export function* quietSession(connection: Connection, reactor: Reactor, keepaliveMs: number): Generator<unknown, void> {
  const keepalive = encodeKeepalive();
  let due = false;
  const timer = reactor.setTimer(keepaliveMs, () => {
    due = true;
  });
  const reader = connection.reader();
  try {
    for (;;) {
      let progressed = false;
      if (reader.next().value !== NOT_YET) progressed = true;
      if (due) {
        due = false;
        yield* connection.writer(keepalive);
        timer.restart(keepaliveMs);
        progressed = true;
      }
      yield progressed ? true : NOT_YET;
    }
  } finally {
    timer.cancel();
  }
}

/** Open `count` quiet sessions to host:port, in waves of 100 so the peer's accept queue never overflows. */
export async function openQuietSessions(
  reactor: Reactor,
  host: string,
  port: number,
  count: number,
  keepaliveMs: number,
): Promise<Connection[]> {
  const connections: Connection[] = [];
  for (let i = 0; i < count; i += 100) {
    const wave = Math.min(100, count - i);
    const made = await Promise.all(
      Array.from({ length: wave }, () => reactor.run(connect({ host, port, timeoutMs: 30_000 }, reactor))),
    );
    for (const connection of made) {
      connections.push(connection);
      reactor.spawn(quietSession(connection, reactor, keepaliveMs), 'session');
    }
  }
  return connections;
}
