/*
 * transport-sync benchmarks: sender and receiver in separate processes over loopback TCP.
 *
 *   pnpm --filter transport-sync bench [-- --quick] [--only updates,frames,idle,memory]
 *     [--updates N] [--per-pass N] [--frames N] [--idle-sessions N] [--idle-seconds S] [--sessions N]
 *
 * Every size also reads env BENCH_<NAME> (BENCH_UPDATES=100000). Figures are printed, never asserted.
 */
import { MessageType } from 'bgp-codec';
import {
  checkRouteUpdate,
  FRAME_SIZE,
  flag,
  forkPeer,
  formatBytes,
  formatCount,
  formatSpread,
  openFileLimit,
  option,
  selected,
  spread,
} from 'transport-contract/bench';
import { type Connection, type Listener, listen, NOT_YET, Reactor } from '../src/index.js';

const quick = flag('quick');
const PEER = new URL('./peer.ts', import.meta.url);
const HOST = '127.0.0.1';

function* acceptOne(listener: Listener): Generator<unknown, Connection> {
  for (const accepted of listener.accepted()) {
    if (accepted !== NOT_YET) return accepted;
    yield NOT_YET;
  }
  throw new Error('listener closed');
}

type StreamKind = 'updates' | 'encoded' | 'frames';
const ROLES: Record<StreamKind, string> = { updates: 'send-updates', encoded: 'send-encoded', frames: 'send-frames' };

interface Timing {
  first: number;
  last: number;
  cpuAtFirst: NodeJS.CpuUsage | undefined;
  cpuAtLast: NodeJS.CpuUsage | undefined;
}

/**
 * Receive `count` messages, `inboundPerPass` per pass (ExaBGP: one). `updates`: decode and check each
 * (route n is 10.0.0.0 + n); `encoded`: frame only (the sender repeats one burst); `frames`: 4096-byte frames.
 */
function* receive(
  connection: Connection,
  reactor: Reactor,
  count: number,
  kind: StreamKind,
  timing: Timing,
): Generator<unknown, void> {
  const reader = connection.reader();
  const perPass = reactor.settings.inboundPerPass;
  const size = kind === 'frames' ? FRAME_SIZE : 0;
  let n = 0;
  while (n < count) {
    let progressed = false;
    for (let i = 0; i < perPass && n < count; i++) {
      const frame = reader.next().value;
      if (frame === NOT_YET) break;
      if (n === 0) {
        timing.first = performance.now();
        timing.cpuAtFirst = process.cpuUsage();
      }
      if (kind === 'updates') checkRouteUpdate(frame.body, n);
      else if (frame.type !== MessageType.UPDATE || (size && frame.message.length !== size)) {
        throw new Error(`message ${n} is not the one sent`);
      }
      n++;
      progressed = true;
    }
    yield progressed ? true : NOT_YET;
  }
  timing.last = performance.now();
  timing.cpuAtLast = process.cpuUsage(timing.cpuAtFirst);
  reader.return(undefined as never);
}

async function stream(kind: StreamKind, count: number, perWrite: number) {
  const reactor = new Reactor();
  const listener = await reactor.run(listen({ host: HOST, port: 0 }, reactor));
  const peer = forkPeer(PEER, [ROLES[kind], HOST, String(listener.port), String(count), String(perWrite)]);
  const connection = await reactor.run(acceptOne(listener));
  listener.close();
  const timing: Timing = { first: 0, last: 0, cpuAtFirst: undefined, cpuAtLast: undefined };
  await reactor.run(receive(connection, reactor, count, kind, timing));
  const sent = await peer.next<{ type: string; bytes: number; cpuPercent?: number }>('sent');
  connection.close();
  await peer.stop();
  reactor.stop();
  const ms = timing.last - timing.first;
  const cpu = timing.cpuAtLast ?? { user: 0, system: 0 };
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / ms) * 100;
  const seconds = ms / 1000;
  return { seconds, perSecond: count / seconds, bytes: connection.stats.bytesIn, cpuPercent, sent, reactor };
}

/** A process accepting quiet sessions, and one process per measurement opening them (a fresh process each). */
async function withSessionHolder<T>(keepaliveMs: number, work: (port: number) => Promise<T>): Promise<T> {
  const holder = forkPeer(PEER, ['hold', HOST, '0', '0', String(keepaliveMs)]);
  try {
    const { port } = await holder.next<{ type: string; port: number }>('listening');
    return await work(port);
  } finally {
    holder.send({ type: 'stop' });
    await holder.stop();
  }
}

async function measureSessions<T extends { type: string }>(
  port: number,
  sessions: number,
  keepaliveMs: number,
  measure: 'idle' | 'memory',
  seconds = 0,
): Promise<T> {
  const args = ['client-sessions', HOST, String(port), String(sessions), String(keepaliveMs), measure, String(seconds)];
  const client = forkPeer(PEER, args);
  const result = await client.next<T>(measure);
  await client.stop(30_000);
  return result;
}

const lines: string[] = [];
function print(line: string): void {
  lines.push(line);
  console.log(line);
}

print(`transport-sync benchmarks (Node ${process.version}, ${quick ? 'quick sizes' : 'full sizes'})`);

const repeat = option('repeat', quick ? 1 : 3);

/** Run a stream scenario `repeat` times (the machine is shared: print the median and the range). */
async function repeated(kind: StreamKind, count: number, perWrite: number) {
  const runs: Awaited<ReturnType<typeof stream>>[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await stream(kind, count, perWrite));
  const cpu = spread(runs.map((r) => r.cpuPercent)).median;
  const senderCpu = spread(runs.map((r) => r.sent.cpuPercent ?? 0)).median;
  return { runs, rates: runs.map((r) => r.perSecond), cpu, senderCpu };
}

if (selected('updates')) {
  const count = option('updates', quick ? 200_000 : 2_000_000);
  const perPass = option('per-pass', 25);
  const r = await repeated('updates', count, perPass);
  print(
    `one-route UPDATEs end to end (writeUpdate, send, frame, decodeUpdate + check), ${formatCount(count)} per run: ` +
      `${formatSpread(r.rates)} messages/s (sender: ${perPass} per pass, CPU ${r.senderCpu.toFixed(0)}% of a core; receiver: ${r.runs[0]?.reactor.settings.inboundPerPass} per pass, CPU ${r.cpu.toFixed(0)}%)`,
  );
  const framed = await repeated('encoded', count, perPass);
  print(
    `one-route UPDATEs, transport only (pre-encoded bursts of ${perPass}, framed, not decoded): ` +
      `${formatSpread(framed.rates)} messages/s (receiver CPU ${framed.cpu.toFixed(0)}%)`,
  );
}

if (selected('frames')) {
  const count = option('frames', quick ? 50_000 : 500_000);
  const r = await repeated('frames', count, 16);
  const megabytes = r.runs.map((run) => run.bytes / run.seconds / 1e6);
  print(
    `4096-byte messages framed, ${formatCount(count)} (${formatBytes(count * FRAME_SIZE)}) per run: ` +
      `${formatSpread(megabytes)} MB/s (bursts of 16; receiver CPU ${r.cpu.toFixed(0)}%)`,
  );
}

interface IdleResult {
  type: string;
  percent: number;
  user: number;
  system: number;
  turns?: number;
  steps?: number;
  timersFired?: number;
}

if (selected('idle')) {
  const sessions = option('idle-sessions', 100);
  const seconds = option('idle-seconds', quick ? 3 : 10);
  const keepaliveMs = option('keepalive-ms', 30_000);
  // Keepalives every second: the same sessions with their timers and KEEPALIVEs at work in the window.
  const busyKeepaliveMs = 1000;
  // Both ends keep the same interval; the holder is another process, so only the sessions' side is measured.
  const [control, idle] = await withSessionHolder(keepaliveMs, async (port) => [
    // The same kind of process with no session: what the runtime itself costs (V8 background work, IPC).
    await measureSessions<IdleResult>(port, 0, keepaliveMs, 'idle', seconds),
    await measureSessions<IdleResult>(port, sessions, keepaliveMs, 'idle', seconds),
  ]);
  const busy = await withSessionHolder(busyKeepaliveMs, (port) =>
    measureSessions<IdleResult>(port, sessions, busyKeepaliveMs, 'idle', seconds),
  );
  const describe = (r: IdleResult | undefined) =>
    `${r?.percent.toFixed(3)}% of one core (${r?.turns} reactor turns, ${r?.steps} steps, ${r?.timersFired} timers, user ${formatCount(r?.user ?? 0)} µs, system ${formatCount(r?.system ?? 0)} µs)`;
  print(
    `idle: ${sessions} established sessions for ${seconds} s, keepalive every ${keepaliveMs / 1000} s: ${describe(idle)}; ` +
      `keepalive every ${busyKeepaliveMs / 1000} s both ways: ${describe(busy)}; the same process with no session: ` +
      `${control?.percent.toFixed(3)}%`,
  );
}

const limit = openFileLimit();

if (selected('memory')) {
  let sessions = option('sessions', quick ? 200 : 1000);
  // Each session is one descriptor in the measured process and one in the holder, plus a few for the runtime.
  if (sessions + 64 > limit) {
    const capped = Math.max(1, limit - 64);
    print(`open-file limit is ${limit} (ulimit -n): memory scenario capped from ${sessions} to ${capped} sessions`);
    sessions = capped;
  }
  type Sample = { rss: number; heapUsed: number; external: number };
  const result = await withSessionHolder(30_000, (port) =>
    measureSessions<{ type: string; before: Sample; after: Sample }>(port, sessions, 30_000, 'memory'),
  );
  const per = (key: keyof Sample) => formatBytes((result.after[key] - result.before[key]) / sessions);
  print(
    `memory per session at ${formatCount(sessions)} concurrent sessions: RSS ${per('rss')}, JS heap ` +
      `${per('heapUsed')}, buffers ${per('external')} (open-file limit ${limit})`,
  );
}

process.exit(0);
