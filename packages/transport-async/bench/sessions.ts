/*
 * Established, quiet sessions with async/await, as a BGP speaker holds them: each awaits whatever arrives
 * and sends a KEEPALIVE when its keepalive timer fires (RFC 4271 §4.4), on Node timers.
 */
import { encodeKeepalive } from 'bgp-codec';
import { type Connection, connect } from '../src/index.js';

export function quietSession(connection: Connection, keepaliveMs: number): Promise<void> {
  const keepalive = encodeKeepalive();
  const timer = setTimeout(function sendKeepalive() {
    connection.writeMessage(keepalive).catch(() => {});
    timer.refresh();
  }, keepaliveMs);
  return (async () => {
    try {
      for (;;) await connection.readMessage();
    } catch {
      // The session ends with its connection.
    } finally {
      clearTimeout(timer);
    }
  })();
}

/** Open `count` quiet sessions to host:port, in waves of 100 so the peer's accept queue never overflows. */
export async function openQuietSessions(
  host: string,
  port: number,
  count: number,
  keepaliveMs: number,
): Promise<{ connections: Connection[]; sessions: Promise<void>[] }> {
  const connections: Connection[] = [];
  const sessions: Promise<void>[] = [];
  for (let i = 0; i < count; i += 100) {
    const wave = Math.min(100, count - i);
    const made = await Promise.all(Array.from({ length: wave }, () => connect({ host, port, timeoutMs: 30_000 })));
    for (const connection of made) {
      connections.push(connection);
      sessions.push(quietSession(connection, keepaliveMs));
    }
  }
  return { connections, sessions };
}
