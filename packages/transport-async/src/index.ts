/**
 * transport-async: the transport contract of transport-sync written with async/await.
 *
 * The transport contract (the same in transport-sync, written with generators and a reactor there):
 *
 * | what                     | transport-async (this package)                  | transport-sync                           |
 * |--------------------------|-------------------------------------------------|------------------------------------------|
 * | connect                  | `await connect(options, {signal})` → Connection | `yield* connect(options, reactor)`       |
 * | listen (port 0 allowed)  | `await listen(options)` → Listener              | `yield* listen(options, reactor)`        |
 * | accept                   | `await listener.accept({signal,timeoutMs})`, `listener.connections()` | `listener.accepted()` yields NOT_YET/Connection |
 * | read one message         | `await conn.readMessage({signal,timeoutMs})`, `conn.messages()` | `conn.reader()` yields NOT_YET/Frame |
 * | write, backpressure      | `await conn.writeMessage(bytes)` / `writeMessages(list)` / `writeBytes(buf, n)` | `yield* conn.writer(bytes or list)` |
 * | Extended Message         | `conn.setExtendedMessage(true)`                 | same                                     |
 * | clean close / abort      | `await conn.close(timeoutMs)` / `conn.abort()`  | `conn.close(timeoutMs)` / `conn.abort()` |
 * | counters                 | `conn.stats` {bytesIn,bytesOut,messagesIn,messagesOut} | same                              |
 * | errors                   | ConnectionLost, ConnectionClosed, ConnectRefused, ConnectFailed, ListenFailed, TimeoutError, Cancelled, ProtocolError (`.notification`: BgpError), ReaderBusy — all TransportError with a stable `reason` | same |
 *
 * Messages are handed out as bgp-codec `Frame`s (type, whole message, body): decoding is the caller's job.
 * A frame is a view of the bytes read, valid until the next read; `copyFrame(frame)` or the `copyFrames`
 * option keeps it longer. Connections use TCP_NODELAY unless told otherwise (`noDelay`).
 *
 * A read that times out or is cancelled loses nothing: received bytes stay in the connection's frame
 * parser and the next read returns the whole message. A connection has exactly one reader: a second
 * concurrent `readMessage` rejects with ReaderBusy. When a whole message is already framed, `readMessage`
 * returns it without waiting on the socket (an already-resolved promise).
 */

export * from 'transport-contract';
export { Connection, type ConnectionOptions, connect, type WaitOptions } from './connection.js';
export { Listener, listen } from './listener.js';
