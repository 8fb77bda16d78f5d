import net from 'node:net';

const GUARDED = Symbol.for('poc-runner.speaker.socket-reset-guard');

/**
 * Workaround for the transports' `Connection.abort()` (transport-sync and transport-async), which calls
 * `socket.resetAndDestroy()`. When the socket's writable side was already ended - by `close()`, or by Node
 * itself when the peer's FIN arrives on a socket without allowHalfOpen - libuv refuses the reset while the
 * shutdown is pending (`uv_tcp_close_reset` returns EINVAL), Node reports the error, and the TCP handle is
 * never closed: the process can no longer exit. It happens whenever a peer closes first (a peer that answers
 * our Cease by closing, a peer that sends a NOTIFICATION). A socket whose writing side has ended has sent
 * (or is sending) its FIN anyway, so it is destroyed instead of reset. Process-wide and idempotent.
 */
export function guardSocketReset(): void {
  const prototype = net.Socket.prototype as net.Socket & { [GUARDED]?: boolean };
  if (prototype[GUARDED]) return;
  const reset = prototype.resetAndDestroy;
  prototype.resetAndDestroy = function resetAndDestroy(this: net.Socket) {
    return this.writableEnded ? this.destroy() : reset.call(this);
  };
  prototype[GUARDED] = true;
}
