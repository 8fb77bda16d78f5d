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
import { type Connection, connect, listen } from '../src/index.js';
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

async function sendUpdates(): Promise<void> {
  const connection = await connect({ host, port });
  const cpu = new CpuWindow();
  const started = performance.now();
  const writer = new ByteWriter(64 * 1024);
  for (let n = 0; n < count; ) {
    const end = Math.min(count, n + perPass);
    writer.reset();
    writeRouteUpdates(writer, n, end);
    // The socket keeps the buffer until the kernel takes it: hand it a copy, the writer is reused.
    await connection.writeBytes(writer.buf.slice(0, writer.pos), end - n);
    n = end;
  }
  const queuedMs = performance.now() - started;
  await closeAndWait(connection);
  report({ type: 'sent', queuedMs, cpuPercent: cpu.percentOfCore(), bytes: connection.stats.bytesOut });
}

/** Pre-encoded bursts (`send-frames`: 4096-byte messages; `send-encoded`: one-route UPDATEs 0..perPass-1). */
async function sendFrames(): Promise<void> {
  const connection = await connect({ host, port });
  const burst = role === 'send-frames' ? repeated(bigMessage(), perPass) : encodedUpdates(perPass);
  for (let n = 0; n < count; n += perPass) await connection.writeBytes(burst, perPass);
  await closeAndWait(connection);
  report({ type: 'sent', bytes: connection.stats.bytesOut });
}

async function closeAndWait(connection: Connection): Promise<void> {
  await connection.close(10_000);
}

async function hold(): Promise<void> {
  const keepaliveMs = perPass;
  const listener = await listen({ host, port: 0, backlog: 4096 });
  report({ type: 'listening', port: listener.port });
  const accepting = (async () => {
    for await (const connection of listener.connections()) void quietSession(connection, keepaliveMs);
  })();
  await fromParent('stop');
  await listener.close();
  await accepting;
  process.exit(0);
}

async function clientSessions(): Promise<void> {
  const keepaliveMs = perPass;
  if (measure === 'memory') {
    // Warm up (code compiled, pools allocated), so the difference is the sessions' own memory.
    const warm = await openQuietSessions(host, port, Math.min(100, count), keepaliveMs);
    for (const connection of warm.connections) connection.abort();
    await Promise.all(warm.sessions);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const before = await memoryAfterGc();
  const { connections, sessions } = await openQuietSessions(host, port, count, keepaliveMs);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  if (measure === 'idle') {
    const idle = await idleWindow(Number(secondsText));
    report({ type: 'idle', ...idle, sessions: connections.length });
  } else {
    const after = await memoryAfterGc();
    report({ type: 'memory', before, after, sessions: connections.length });
  }
  for (const connection of connections) connection.abort();
  await Promise.all(sessions);
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
