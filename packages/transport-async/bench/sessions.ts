/*
 * Established, quiet sessions with async/await, as a BGP speaker holds them: each awaits whatever arrives
 * and sends a KEEPALIVE when its keepalive timer fires (RFC 4271 §4.4), on Node timers.
 */
import { encodeKeepalive } from 'bgp-codec';
import type { Connection } from '../src/index.js';

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
