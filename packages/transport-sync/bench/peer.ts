/*
 * One end of a benchmark, in its own process: `send-updates`, `send-encoded`, `send-frames` (senders),
 * `hold` (accepts quiet sessions), `client-sessions` (opens quiet sessions and measures their idle CPU or
 * their memory in a fresh process, untouched by earlier scenarios). Reports to the parent over IPC.
 *
 * Arguments: role host port count perPass [measure seconds]; for `hold` and `client-sessions`, perPass
 * is the keepalive interval in milliseconds.
 */
import { ByteWriter } from 'bgp-codec';
import {
  bigMessage,
  CpuWindow,
  encodedUpdates,
  fromParent,
  idleWindow,
  memoryAfterGc,
  repeated,
  report,
  writeRouteUpdates,
} from 'transport-contract/bench';
import { type Connection, connect, type Listener, listen, NOT_YET, Reactor } from '../src/index.js';
import { openQuietSessions, quietSession } from './sessions.js';

const [
  role = '',
  host = '127.0.0.1',
  portText = '0',
  countText = '0',
  perPassText = '25',
  measure = '',
  secondsText = '0',
] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const perPass = Number(perPassText);

async function closeAndWait(connection: Connection): Promise<void> {
  if (connection.closed) return;
  const closed = new Promise((resolve) => connection.socket.once('close', resolve));
  connection.close(10_000);
  await closed;
}

async function sendUpdates(): Promise<void> {
  const reactor = new Reactor({ outboundPerPass: perPass });
  const connection = await reactor.run(connect({ host, port }, reactor));
  const cpu = new CpuWindow();
  const started = performance.now();
  await reactor.run(
    (function* () {
      const writer = new ByteWriter(64 * 1024);
      const batch = reactor.settings.outboundPerPass;
      for (let n = 0; n < count; ) {
        const end = Math.min(count, n + batch);
        writer.reset();
        writeRouteUpdates(writer, n, end);
        // The socket keeps the buffer until the kernel takes it: hand it a copy, the writer is reused.
        yield* connection.writer(writer.buf.slice(0, writer.pos), end - n);
        n = end;
        yield true;
      }
    })(),
  );
  const queuedMs = performance.now() - started;
  await closeAndWait(connection);
  report({
    type: 'sent',
    queuedMs,
    cpuPercent: cpu.percentOfCore(),
    bytes: connection.stats.bytesOut,
    stats: reactor.stats,
  });
  reactor.stop();
}

/** Pre-encoded bursts (`send-frames`: 4096-byte messages; `send-encoded`: one-route UPDATEs 0..perPass-1). */
async function sendFrames(): Promise<void> {
  const reactor = new Reactor();
  const connection = await reactor.run(connect({ host, port }, reactor));
  const burst = role === 'send-frames' ? repeated(bigMessage(), perPass) : encodedUpdates(perPass);
  await reactor.run(
    (function* () {
      for (let n = 0; n < count; n += perPass) {
        yield* connection.writer(burst, perPass);
        yield true;
      }
    })(),
  );
  await closeAndWait(connection);
  report({ type: 'sent', bytes: connection.stats.bytesOut, stats: reactor.stats });
  reactor.stop();
}

async function hold(): Promise<void> {
  const keepaliveMs = perPass;
  const reactor = new Reactor();
  const listener: Listener = await reactor.run(listen({ host, port: 0, backlog: 4096 }, reactor));
  report({ type: 'listening', port: listener.port });
  reactor.spawn(
    (function* () {
      for (const accepted of listener.accepted()) {
        if (accepted === NOT_YET) yield NOT_YET;
        else {
          reactor.spawn(quietSession(accepted, reactor, keepaliveMs), 'session');
          yield true;
        }
      }
    })(),
  );
  await fromParent('stop');
  reactor.stop();
  listener.close();
  process.exit(0);
}

async function clientSessions(): Promise<void> {
  const keepaliveMs = perPass;
  const reactor = new Reactor();
  if (measure === 'memory') {
    // Warm up (code compiled, pools allocated), so the difference is the sessions' own memory.
    for (const connection of await openQuietSessions(reactor, host, port, Math.min(100, count), keepaliveMs)) {
      connection.abort();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const before = await memoryAfterGc();
  const connections = await openQuietSessions(reactor, host, port, count, keepaliveMs);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  if (measure === 'idle') {
    const { turns, steps, timersFired } = reactor.stats;
    const idle = await idleWindow(Number(secondsText));
    report({
      type: 'idle',
      ...idle,
      turns: reactor.stats.turns - turns,
      steps: reactor.stats.steps - steps,
      timersFired: reactor.stats.timersFired - timersFired,
      sessions: connections.length,
    });
  } else {
    const after = await memoryAfterGc();
    report({ type: 'memory', before, after, sessions: connections.length });
  }
  reactor.stop();
  for (const connection of connections) connection.abort();
}

const roles: Record<string, () => Promise<void>> = {
  'client-sessions': clientSessions,
  'send-updates': sendUpdates,
  'send-frames': sendFrames,
  'send-encoded': sendFrames,
  hold,
};
const run = roles[role];
if (!run) throw new Error(`unknown role ${role}`);
await run();
process.exit(0);
