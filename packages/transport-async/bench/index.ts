/*
 * transport-async benchmarks: sender and receiver in separate processes over loopback TCP.
 *
 *   pnpm --filter transport-async bench [-- --quick] [--only updates,frames,idle,memory]
 *     [--updates N] [--per-pass N] [--frames N] [--idle-sessions N] [--idle-seconds S] [--sessions N]
 *
 * Every size also reads env BENCH_<NAME> (BENCH_UPDATES=100000). Figures are printed, never asserted.
 */
import { MessageType } from 'bgp-codec';
import { type Connection, connect, listen } from '../src/index.js';
import {
  CpuWindow,
  flag,
  forkPeer,
  formatBytes,
  formatCount,
  memoryAfterGc,
  openFileLimit,
  option,
  selected,
} from './measure.js';
import { quietSession } from './sessions.js';
import { checkRouteUpdate, FRAME_SIZE } from './workload.js';

const quick = flag('quick');
const PEER = new URL('./peer.ts', import.meta.url);
const HOST = '127.0.0.1';

type StreamKind = 'updates' | 'encoded' | 'frames';
const ROLES: Record<StreamKind, string> = { updates: 'send-updates', encoded: 'send-encoded', frames: 'send-frames' };

/**
 * Receive `count` messages, one await each. `updates`: decode and check each (route n is 10.0.0.0 + n);
 * `encoded`: frame only (the sender repeats one burst); `frames`: 4096-byte frames.
 */
async function receive(connection: Connection, count: number, kind: StreamKind) {
  const size = kind === 'frames' ? FRAME_SIZE : 0;
  let frame = await connection.readMessage();
  const first = performance.now();
  const cpuAtFirst = process.cpuUsage();
  for (let n = 0; ; ) {
    if (kind === 'updates') checkRouteUpdate(frame.body, n);
    else if (frame.type !== MessageType.UPDATE || (size && frame.message.length !== size)) {
      throw new Error(`message ${n} is not the one sent`);
    }
    if (++n === count) break;
    frame = await connection.readMessage();
  }
  return { ms: performance.now() - first, cpu: process.cpuUsage(cpuAtFirst) };
}

async function stream(kind: StreamKind, count: number, perWrite: number) {
  const listener = await listen({ host: HOST, port: 0 });
  const peer = forkPeer(PEER, [ROLES[kind], HOST, String(listener.port), String(count), String(perWrite)]);
  const connection = await listener.accept();
  await listener.close();
  const { ms, cpu } = await receive(connection, count, kind);
  const sent = await peer.next<{ type: string; bytes: number; cpuPercent?: number }>('sent');
  await connection.close();
  await peer.stop();
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / ms) * 100;
  const seconds = ms / 1000;
  return { seconds, perSecond: count / seconds, bytes: connection.stats.bytesIn, cpuPercent, sent };
}

async function holdSessions(sessions: number, keepaliveMs: number) {
  const peer = forkPeer(PEER, ['hold', HOST, '0', '0', String(keepaliveMs)]);
  const { port } = await peer.next<{ type: string; port: number }>('listening');
  const connections: Connection[] = [];
  const running: Promise<void>[] = [];
  // Connect in waves so the peer's accept queue never overflows.
  for (let i = 0; i < sessions; i += 100) {
    const wave = Math.min(100, sessions - i);
    const made = await Promise.all(
      Array.from({ length: wave }, () => connect({ host: HOST, port, timeoutMs: 30_000 })),
    );
    for (const connection of made) {
      connections.push(connection);
      running.push(quietSession(connection, keepaliveMs));
    }
  }
  return {
    connections,
    stop: async () => {
      for (const connection of connections) connection.abort();
      await Promise.all(running);
      peer.send({ type: 'stop' });
      await peer.stop();
    },
  };
}

const lines: string[] = [];
function print(line: string): void {
  lines.push(line);
  console.log(line);
}

print(`transport-async benchmarks (Node ${process.version}, ${quick ? 'quick sizes' : 'full sizes'})`);

if (selected('updates')) {
  const count = option('updates', quick ? 200_000 : 2_000_000);
  const perPass = option('per-pass', 25);
  const r = await stream('updates', count, perPass);
  print(
    `one-route UPDATEs end to end (writeUpdate, send, frame, decodeUpdate + check): ${formatCount(count)} in ` +
      `${r.seconds.toFixed(2)} s = ${formatCount(r.perSecond)} messages/s (sender: bursts of ${perPass}, ` +
      `CPU ${r.sent.cpuPercent?.toFixed(0)}% of a core; receiver: one await per message, ` +
      `CPU ${r.cpuPercent.toFixed(0)}%)`,
  );
  const framed = await stream('encoded', count, perPass);
  print(
    `one-route UPDATEs, transport only (pre-encoded bursts of ${perPass}, framed, not decoded): ` +
      `${formatCount(framed.perSecond)} messages/s (receiver CPU ${framed.cpuPercent.toFixed(0)}%)`,
  );
}

if (selected('frames')) {
  const count = option('frames', quick ? 50_000 : 500_000);
  const r = await stream('frames', count, 16);
  print(
    `4096-byte messages framed: ${formatCount(count)} (${formatBytes(r.bytes)}) in ${r.seconds.toFixed(2)} s = ` +
      `${(r.bytes / r.seconds / 1e6).toFixed(0)} MB/s (${formatCount(r.perSecond)} messages/s, bursts of 16; ` +
      `receiver CPU ${r.cpuPercent.toFixed(0)}%)`,
  );
}

const limit = openFileLimit();

/** CPU of this process over `seconds` doing nothing but what is already set up, after a full collection. */
async function idleWindow(seconds: number) {
  await memoryAfterGc();
  const cpu = new CpuWindow();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return { percent: cpu.percentOfCore(), used: cpu.cpuMicros() };
}

if (selected('idle')) {
  const sessions = option('idle-sessions', 100);
  const seconds = option('idle-seconds', quick ? 3 : 10);
  const keepaliveMs = option('keepalive-ms', 30_000);
  // The same process with nothing open: what the runtime itself costs (V8 background work, IPC channel).
  const control = await idleWindow(seconds);
  const held = await holdSessions(sessions, keepaliveMs);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = await idleWindow(seconds);
  print(
    `idle: ${sessions} established sessions (keepalive every ${keepaliveMs / 1000} s) for ${seconds} s: ` +
      `${idle.percent.toFixed(3)}% of one core (user ${formatCount(idle.used.user)} µs, system ` +
      `${formatCount(idle.used.system)} µs); the same process ` +
      `with no session: ${control.percent.toFixed(3)}%`,
  );
  await held.stop();
}

if (selected('memory')) {
  let sessions = option('sessions', quick ? 200 : 1000);
  // Each session is one descriptor here and one in the peer process, plus a few for the runtime.
  if (sessions + 64 > limit) {
    const capped = Math.max(1, limit - 64);
    print(`open-file limit is ${limit} (ulimit -n): memory scenario capped from ${sessions} to ${capped} sessions`);
    sessions = capped;
  }
  // Warm up first (code compiled, pools allocated), so the difference is the sessions' own memory.
  const warmup = await holdSessions(Math.min(100, sessions), 30_000);
  await warmup.stop();
  const before = await memoryAfterGc();
  const held = await holdSessions(sessions, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await memoryAfterGc();
  print(
    `memory per session at ${formatCount(sessions)} concurrent sessions: RSS ${formatBytes((after.rss - before.rss) / sessions)}, ` +
      `JS heap ${formatBytes((after.heapUsed - before.heapUsed) / sessions)}, buffers ` +
      `${formatBytes((after.external - before.external) / sessions)} (open-file limit ${limit})`,
  );
  await held.stop();
}

process.exit(0);
