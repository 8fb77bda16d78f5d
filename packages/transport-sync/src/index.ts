/**
 * transport-sync: ExaBGP's I/O model in Node. Non-blocking sockets read and written by generators, and a
 * reactor that runs every peer's generator in passes of bounded work.
 *
 * The transport contract (the same in transport-async, written with promises there):
 *
 * | what                     | transport-sync (this package)                   | transport-async                          |
 * |--------------------------|-------------------------------------------------|------------------------------------------|
 * | connect                  | `yield* connect(options, reactor)` → Connection (cancel: cancel the task) | `await connect(options, {signal})` → Connection |
 * | listen (port 0 allowed)  | `yield* listen(options, reactor)` → Listener    | `await listen(options)` → Listener       |
 * | accept                   | `listener.accepted()` yields NOT_YET/Connection | `await listener.accept({signal,timeoutMs})` |
 * | read one message         | `conn.reader()` yields NOT_YET/Frame; `conn.poll()` one step | `await conn.readMessage({signal,timeoutMs})`, `conn.messages()` |
 * | write, backpressure      | `yield* conn.writer(bytes or list, n?)`; `conn.writable()` + `conn.write()` | `await conn.writeMessage(bytes)` / `writeMessages(list)` / `writeBytes(buf, n)` |
 * | Extended Message         | `conn.setExtendedMessage(true)`                 | same                                     |
 * | clean close / abort      | `conn.close(timeoutMs)` / `conn.abort()`        | `await conn.close(timeoutMs)` / `conn.abort()` |
 * | counters                 | `conn.stats` {bytesIn,bytesOut,messagesIn,messagesOut} | same                              |
 * | errors                   | ConnectionLost, ConnectionClosed, ConnectRefused, ConnectFailed, ListenFailed, TimeoutError, Cancelled, ProtocolError (`.notification`: BgpError), ReaderBusy — all TransportError with a stable `reason` | same |
 *
 * Messages are handed out as bgp-codec `Frame`s (type, whole message, body): decoding is the caller's job.
 * A frame is a view of the bytes read, valid until the connection reads again; `copyFrame(frame)` or the
 * `copyFrames` option keeps it longer. Connections use TCP_NODELAY unless told otherwise (`noDelay`).
 *
 * The reactor (`Reactor`): `spawn(generator)` adds a task (one peer); each pass resumes each ready task
 * once. A task yields NOT_YET when it waits (ExaBGP's ACTION.LATER) and anything else when it made progress
 * (ACTION.NOW). Sockets a task found not ready, and timers it set (`reactor.setTimer`), wake it. Its
 * `settings` publish the per-pass budget (inboundPerPass 1, outboundPerPass 25, as ExaBGP) that peers
 * apply. See reactor.ts for how this maps onto ExaBGP's select loop. `reactor.run(generator)` returns a
 * promise of the generator's result, for code outside the reactor (setting up, tests). Timers:
 * `setTimer(ms, callback)` (owned by the running task, which is woken after the callback) or
 * `createTimer(callback, task)` then `timer.restart(ms)`; `timer.cancel()`. `reactor.stop()` ends everything.
 */

export * from 'transport-contract';
export { Connection, type ConnectionOptions, connect } from './connection.js';
export { Listener, listen } from './listener.js';
export {
  DEFAULT_REACTOR_SETTINGS,
  Reactor,
  type ReactorSettings,
  type ReactorStats,
  ReactorTask,
  type ReactorTaskIterator,
  ReactorTimer,
  type TaskStep,
} from './reactor.js';
export { NOT_YET, type NotYet } from './readiness.js';
