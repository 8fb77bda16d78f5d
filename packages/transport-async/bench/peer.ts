/*
 * The other end of a benchmark connection, in its own process: `send-updates`, `send-encoded`,
 * `send-frames` or `hold`. Reports to the parent over IPC.
 */
import { ByteWriter } from 'bgp-codec';
import { type Connection, connect, listen } from '../src/index.js';
import { CpuWindow, fromParent, report } from './measure.js';
import { quietSession } from './sessions.js';
import { bigMessage, encodedUpdates, repeated, writeRouteUpdates } from './workload.js';

const [role = '', host = '127.0.0.1', portText = '0', countText = '0', perPassText = '25'] = process.argv.slice(2);
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
