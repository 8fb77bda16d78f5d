import {
  type IdleOutcome,
  idleOnce,
  roundTrips,
  type SessionsOutcome,
  type StreamOutcome,
  sessionsOnce,
  streamOnce,
} from './flows.js';
import { summarizeLatency } from './latency.js';
import type { WorkerPair } from './pool.js';
import { routesPerUpdate } from './traffic.js';

/** How big a scenario runs: `quick` for CI (seconds), `full` as the plan and the issue set it. */
export type Scale = 'quick' | 'full';

/** One repetition of one mode: named figures (unit in the name), latency samples, notes. */
export interface Repetition {
  readonly metrics: Record<string, number>;
  readonly latencyNs?: { send?: number[]; receive?: number[]; roundTrip?: number[]; keepaliveJitter?: number[] };
  readonly syscalls?: { sender: Record<string, number>; receiver: Record<string, number> };
  readonly timeline?: { label: string; points: [number, number][] };
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** What one repetition does, with the sizes of this scale. */
  describe(scale: Scale): string;
  /** The figure the async/sync ratio is taken on, and whether higher is better. */
  readonly primary: { metric: string; higherIsBetter: boolean };
  /** Whether a dedicated untimed repetition under strace counts system calls. */
  readonly traceSyscalls: boolean;
  run(pair: WorkerPair, scale: Scale, options: { strace: boolean }): Promise<Repetition>;
}

const HOST = '127.0.0.1';
/** Longest a stream may run; a mode that is slower is measured on what arrived by then (see `completed`). */
const DEADLINE_MS: Record<Scale, number> = { quick: 1_500, full: 30_000 };

function cpuOf(cost: StreamOutcome['sender']): number {
  return cost.window
    ? cost.window.userSeconds + cost.window.systemSeconds
    : cost.procUserSeconds + cost.procSystemSeconds;
}

function streamMetrics(o: StreamOutcome): Record<string, number> {
  const tx = o.sender;
  const rx = o.receiver;
  return {
    messagesPerSecond: o.messages / o.seconds,
    bytesPerSecond: o.bytes / o.seconds,
    routesPerSecond: o.routes / o.seconds,
    seconds: o.seconds,
    messagesReceived: o.messages,
    messagesExpected: o.expected,
    completed: o.complete ? 1 : 0,
    outOfOrder: o.received.outOfOrder,
    senderUserSeconds: tx.procUserSeconds,
    senderSystemSeconds: tx.procSystemSeconds,
    receiverUserSeconds: rx.procUserSeconds,
    receiverSystemSeconds: rx.procSystemSeconds,
    // process.cpuUsage() inside each process (microsecond resolution; /proc counts 10 ms ticks).
    cpuMicrosecondsPerMessage: ((cpuOf(tx) + cpuOf(rx)) * 1e6) / o.messages,
    senderCpuSeconds: cpuOf(tx),
    receiverCpuSeconds: cpuOf(rx),
    senderRssBytes: tx.window?.rssBytes ?? Number.NaN,
    receiverRssBytes: rx.window?.rssBytes ?? Number.NaN,
    senderHeapAfterGcBytes: tx.window?.heapAfterGcBytes ?? Number.NaN,
    receiverHeapAfterGcBytes: rx.window?.heapAfterGcBytes ?? Number.NaN,
    senderAllocatedBytesPerMessage: (tx.window?.allocatedBytes ?? Number.NaN) / o.messages,
    receiverAllocatedBytesPerMessage: (rx.window?.allocatedBytes ?? Number.NaN) / o.messages,
    senderGcCount: tx.window?.gcCount ?? Number.NaN,
    receiverGcCount: rx.window?.gcCount ?? Number.NaN,
  };
}

function syscallsPerMessage(o: StreamOutcome): Repetition['syscalls'] {
  if (!o.syscalls) return undefined;
  const per = (counts: { total: number; byName: Readonly<Record<string, number>> }): Record<string, number> => {
    const out: Record<string, number> = { totalPerMessage: counts.total / o.messages, total: counts.total };
    for (const [name, calls] of Object.entries(counts.byName)) out[name] = calls;
    return out;
  };
  return { sender: per(o.syscalls.sender), receiver: per(o.syscalls.receiver) };
}

interface StreamScenarioSizes {
  peers: number;
  perPeer: number;
  kind: 'one-route' | 'packed' | 'sized';
  size: number;
  stride: number;
  pings: number;
}

function streamScenario(
  id: string,
  title: string,
  sizes: Record<Scale, StreamScenarioSizes>,
  what: (s: StreamScenarioSizes) => string,
  traceSyscalls = false,
): Scenario {
  return {
    id,
    title,
    describe: (scale) => what(sizes[scale]),
    primary: { metric: 'messagesPerSecond', higherIsBetter: true },
    traceSyscalls,
    async run(pair, scale, options) {
      const s = sizes[scale];
      const outcome = await streamOnce(pair, {
        host: HOST,
        peers: s.peers,
        kind: s.kind,
        perPeer: s.perPeer,
        routesPerMessage: routesPerUpdate(),
        size: s.size,
        stride: s.stride,
        timeoutMs: DEADLINE_MS[scale],
        strace: options.strace,
      });
      const roundTrip = s.pings > 0 && !options.strace ? await roundTrips(pair, HOST, s.pings, 5_000) : undefined;
      const metrics = streamMetrics(outcome);
      if (roundTrip) metrics.roundTripP50Microseconds = summarizeLatency(roundTrip).p50Us;
      const syscalls = syscallsPerMessage(outcome);
      return {
        metrics,
        latencyNs: {
          send: outcome.sendLatencyNs,
          receive: outcome.receiveLatencyNs,
          ...(roundTrip ? { roundTrip } : {}),
        },
        ...(syscalls ? { syscalls } : {}),
      };
    },
  };
}

export const updates1000 = streamScenario(
  'updates-1000',
  '1,000 one-route UPDATEs (plan test 1)',
  {
    quick: { peers: 1, perPeer: 1000, kind: 'one-route', size: 0, stride: 1, pings: 50 },
    full: { peers: 1, perPeer: 1000, kind: 'one-route', size: 0, stride: 1, pings: 500 },
  },
  (s) =>
    `${s.perPeer} one-route UPDATEs on one session, sender and receiver in two processes; then ${s.pings} round trips`,
  true,
);

export const peers10 = streamScenario(
  'peers-10',
  '10 concurrent peers (plan test 2)',
  {
    quick: { peers: 10, perPeer: 100, kind: 'one-route', size: 0, stride: 1, pings: 0 },
    full: { peers: 10, perPeer: 1000, kind: 'one-route', size: 0, stride: 1, pings: 0 },
  },
  (s) => `${s.peers} sessions, ${s.perPeer} one-route UPDATEs each, all at once`,
);

export const large4096 = streamScenario(
  'large-4096',
  '4,096-byte messages (plan test 3)',
  {
    quick: { peers: 1, perPeer: 200, kind: 'sized', size: 4096, stride: 1, pings: 0 },
    full: { peers: 1, perPeer: 5000, kind: 'sized', size: 4096, stride: 1, pings: 0 },
  },
  (s) => `${s.perPeer} UPDATEs of exactly ${s.size} bytes on one session`,
  true,
);

export const bulk = streamScenario(
  'bulk-routes',
  'Bulk send of routes',
  {
    quick: { peers: 1, perPeer: 10_000, kind: 'one-route', size: 0, stride: 20, pings: 0 },
    full: { peers: 1, perPeer: 1_000_000, kind: 'one-route', size: 0, stride: 1000, pings: 0 },
  },
  (s) =>
    `${s.perPeer.toLocaleString('en-US')} routes, one per UPDATE (the slowest way, ExaBGP's asyncio worst case), one session`,
);

export const bulkPacked = streamScenario(
  'bulk-packed',
  'Bulk send of routes, packed UPDATEs',
  {
    quick: { peers: 1, perPeer: 124, kind: 'packed', size: 0, stride: 1, pings: 0 },
    full: { peers: 1, perPeer: 1234, kind: 'packed', size: 0, stride: 1, pings: 0 },
  },
  (s) =>
    `${(s.perPeer * routesPerUpdate()).toLocaleString('en-US')} routes in ${s.perPeer} UPDATEs of ${routesPerUpdate()} host routes (ExaBGP groups routes this way), one session`,
);

const JITTER: Record<Scale, { perPeer: number; intervalMs: number }> = {
  quick: { perPeer: 30_000, intervalMs: 10 },
  full: { perPeer: 1_000_000, intervalMs: 20 },
};

/**
 * How late each KEEPALIVE was during the stream: the gaps between the stream's start, every KEEPALIVE that
 * arrived within it, and its end, less the interval (0 when on time). A timer starved by the stream shows
 * as one long gap, even when no KEEPALIVE arrived at all.
 */
function lateness(arrivals: number[], intervalNs: number, from: number, to: number): number[] {
  const points = [from, ...arrivals.filter((t) => t > from && t < to), to];
  const out: number[] = [];
  for (let i = 1; i < points.length; i++) {
    out.push(Math.max(0, (points[i] as number) - (points[i - 1] as number) - intervalNs));
  }
  return out;
}

export const keepaliveJitter: Scenario = {
  id: 'keepalive-jitter',
  title: 'KEEPALIVE jitter during a bulk send',
  describe: (scale) =>
    `session A streams ${JITTER[scale].perPeer.toLocaleString('en-US')} one-route UPDATEs; a KEEPALIVE every ` +
    `${JITTER[scale].intervalMs} ms on A and on an idle session B from the mode's timers; how late they arrive`,
  primary: { metric: 'keepaliveLateMaxMicroseconds', higherIsBetter: false },
  traceSyscalls: false,
  async run(pair, scale) {
    const j = JITTER[scale];
    const o = await streamOnce(pair, {
      host: HOST,
      peers: 2,
      streamingPeers: 1,
      kind: 'one-route',
      perPeer: j.perPeer,
      routesPerMessage: 1,
      size: 0,
      stride: 1000,
      timeoutMs: DEADLINE_MS[scale],
      keepalive: { intervalMs: j.intervalMs, peers: [0, 1] },
    });
    const intervalNs = j.intervalMs * 1e6;
    // The receiver numbers connections in accept order, which is the sender's connect order (one at a time).
    const onStream = lateness(o.keepaliveArrivals[0] ?? [], intervalNs, o.streamBegin, o.streamEnd);
    const onIdle = lateness(o.keepaliveArrivals[1] ?? [], intervalNs, o.streamBegin, o.streamEnd);
    const all = [...onStream, ...onIdle];
    const summary = summarizeLatency(all);
    const inWindow = (list: number[] | undefined): number =>
      (list ?? []).filter((t) => t > o.streamBegin && t < o.streamEnd).length;
    return {
      metrics: {
        ...streamMetrics(o),
        streamMilliseconds: (o.streamEnd - o.streamBegin) / 1e6,
        keepalivesExpected: (2 * (o.streamEnd - o.streamBegin)) / intervalNs,
        keepalivesInWindow: inWindow(o.keepaliveArrivals[0]) + inWindow(o.keepaliveArrivals[1]),
        keepaliveLateP50Microseconds: summary.p50Us,
        keepaliveLateP99Microseconds: summary.p99Us,
        keepaliveLateMaxMicroseconds: summary.maxUs,
        streamingSessionLateMaxMicroseconds: summarizeLatency(onStream).maxUs,
        idleSessionLateMaxMicroseconds: summarizeLatency(onIdle).maxUs,
      },
      latencyNs: { keepaliveJitter: all },
    };
  },
};

const IDLE: Record<Scale, { sessions: number; seconds: number; keepaliveMs: number }> = {
  quick: { sessions: 50, seconds: 1, keepaliveMs: 1000 },
  full: { sessions: 100, seconds: 5, keepaliveMs: 1000 },
};

function share(cost: IdleOutcome['sender']): number {
  const w = cost.window;
  return w ? (w.userSeconds + w.systemSeconds) / w.wallSeconds : cost.coreShare;
}

export const idle100: Scenario = {
  id: 'idle-100',
  title: 'Idle CPU of 100 sessions',
  describe: (scale) =>
    `${IDLE[scale].sessions} established sessions, a KEEPALIVE each every ${IDLE[scale].keepaliveMs} ms ` +
    `(hold time 3 s, the busiest idle), CPU of both processes over ${IDLE[scale].seconds} s from /proc/PID/stat`,
  primary: { metric: 'idleCorePercent', higherIsBetter: false },
  traceSyscalls: false,
  async run(pair, scale) {
    const s = IDLE[scale];
    const o = await idleOnce(pair, HOST, s.sessions, s.seconds, s.keepaliveMs, 60_000);
    return {
      metrics: {
        // process.cpuUsage() in each process (microseconds); /proc/PID/stat counts 10 ms ticks, too coarse
        // for a few seconds of near-idle, and is kept beside it as a cross-check.
        idleCorePercent: (share(o.sender) + share(o.receiver)) * 100,
        senderCorePercent: share(o.sender) * 100,
        receiverCorePercent: share(o.receiver) * 100,
        procStatCorePercent: (o.sender.coreShare + o.receiver.coreShare) * 100,
        keepalivesReceived: o.keepalivesReceived,
        senderAllocatedBytesPerSecond: (o.sender.window?.allocatedBytes ?? Number.NaN) / o.seconds,
      },
    };
  },
};

const SESSIONS: Record<Scale, number> = { quick: 50, full: 1000 };

export const sessions1000: Scenario = {
  id: 'sessions-1000',
  title: 'Memory per session',
  describe: (scale) =>
    `${SESSIONS[scale]} established sessions in one process pair: heap after GC and RSS growth per session`,
  primary: { metric: 'heapBytesPerSession', higherIsBetter: false },
  traceSyscalls: false,
  async run(pair, scale) {
    const o: SessionsOutcome = await sessionsOnce(pair, HOST, SESSIONS[scale], 120_000);
    return {
      metrics: {
        heapBytesPerSession: (o.senderHeapPerSession + o.receiverHeapPerSession) / 2,
        rssBytesPerSession: (o.senderRssPerSession + o.receiverRssPerSession) / 2,
        senderHeapBytesPerSession: o.senderHeapPerSession,
        receiverHeapBytesPerSession: o.receiverHeapPerSession,
        connectSeconds: o.connectSeconds,
      },
    };
  },
};

const SCALE_PEERS: Record<Scale, { peers: number[]; perPeer: number }> = {
  quick: { peers: [10, 50], perPeer: 20 },
  full: { peers: [10, 100, 1000], perPeer: 100 },
};

/** Scalability: the same per-peer load at 10, 100 and 1,000 peers; one scenario per peer count. */
export function scalabilityScenarios(scale: Scale): Scenario[] {
  const { peers, perPeer } = SCALE_PEERS[scale];
  return peers.map((n) =>
    streamScenario(
      `scale-${n}`,
      `Scalability at ${n} peers`,
      {
        quick: { peers: n, perPeer, kind: 'one-route', size: 0, stride: 1, pings: 0 },
        full: { peers: n, perPeer, kind: 'one-route', size: 0, stride: 1, pings: 0 },
      },
      (s) => `${s.peers} sessions sending ${s.perPeer} one-route UPDATEs each at once`,
    ),
  );
}

/** Every scenario of the benchmark at this scale, in the order the report lists them. */
export function allScenarios(scale: Scale): Scenario[] {
  return [
    updates1000,
    peers10,
    large4096,
    bulk,
    bulkPacked,
    keepaliveJitter,
    idle100,
    sessions1000,
    ...scalabilityScenarios(scale),
  ];
}
