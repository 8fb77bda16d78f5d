/*
 * The other end of a benchmark connection, in its own process: `send-updates`, `send-frames` or `hold`.
 * Reports to the parent over IPC.
 */
import { ByteWriter } from 'bgp-codec';
import { type Connection, connect, type Listener, listen, NOT_YET, Reactor } from '../src/index.js';
import { CpuWindow, fromParent, report } from './measure.js';
import { quietSession } from './sessions.js';
import { bigMessage, encodedUpdates, repeated, writeRouteUpdates } from './workload.js';

const [role = '', host = '127.0.0.1', portText = '0', countText = '0', perPassText = '25'] = process.argv.slice(2);
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

const roles: Record<string, () => Promise<void>> = {
  'send-updates': sendUpdates,
  'send-frames': sendFrames,
  'send-encoded': sendFrames,
  hold,
};
const run = roles[role];
if (!run) throw new Error(`unknown role ${role}`);
await run();
process.exit(0);
