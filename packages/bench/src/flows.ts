import type { WorkerPair } from './pool.js';
import { cpuBetween, sampleProcess } from './proc.js';
import type { ReceiverStats } from './roles.js';
import { type SyscallCounts, SyscallTrace } from './strace.js';
import type { ProcessWindow } from './window.js';

/**
 * The measured procedures every scenario is made of, run from the parent against a sender and a receiver
 * process. Figures come back as plain numbers with their unit in the name.
 */

export interface ProcessCost {
  /** From /proc/PID/stat, read by the parent (includes every thread of the child). */
  readonly procUserSeconds: number;
  readonly procSystemSeconds: number;
  readonly coreShare: number;
  readonly window: ProcessWindow | null;
}

export interface StreamOutcome {
  readonly messages: number;
  readonly bytes: number;
  readonly routes: number;
  readonly seconds: number;
  readonly sender: ProcessCost;
  readonly receiver: ProcessCost;
  readonly sendLatencyNs: number[];
  readonly receiveLatencyNs: number[];
  readonly keepaliveArrivals: number[][];
  readonly streamBegin: number;
  readonly streamEnd: number;
  readonly received: ReceiverStats;
  /** UPDATEs the sender had to send; `complete` false when the deadline came first. */
  readonly expected: number;
  readonly complete: boolean;
  readonly streamError?: string;
  readonly syscalls?: { sender: SyscallCounts; receiver: SyscallCounts };
}

export interface StreamPlan {
  readonly host: string;
  readonly peers: number;
  readonly kind: 'one-route' | 'packed' | 'sized';
  readonly perPeer: number;
  readonly routesPerMessage: number;
  readonly size: number;
  /** Stamp every n-th message (bounded memory for a million messages). */
  readonly stride: number;
  /** The deadline of the stream: past it, what arrived is measured and the sender stopped. */
  readonly timeoutMs: number;
  /** Only the first `streamingPeers` connections send (the rest stay idle: KEEPALIVE jitter). */
  readonly streamingPeers?: number;
  /** KEEPALIVE every n ms on these connections during the stream. */
  readonly keepalive?: { intervalMs: number; peers: number[] };
  readonly strace?: boolean;
  readonly countRoutes?: boolean;
}

function cost(
  pid: number,
  before: ReturnType<typeof sampleProcess>,
  after: ReturnType<typeof sampleProcess>,
  window: ProcessWindow | null,
): ProcessCost {
  if (!before || !after) {
    return { procUserSeconds: Number.NaN, procSystemSeconds: Number.NaN, coreShare: Number.NaN, window };
  }
  const c = cpuBetween(before, after);
  void pid;
  return { procUserSeconds: c.userSeconds, procSystemSeconds: c.systemSeconds, coreShare: c.coreShare, window };
}

/** Connect, send every prepared message, wait until the receiver has them all; measure both processes. */
export async function streamOnce(pair: WorkerPair, plan: StreamPlan): Promise<StreamOutcome> {
  const { tx, rx } = pair;
  const { ports } = await rx.request<{ ports: number[] }>('rx.listen', {
    mode: pair.mode,
    host: plan.host,
    stride: plan.stride,
    countRoutes: plan.countRoutes ?? true,
    echo: true,
    peers: plan.peers,
    ...(plan.keepalive ? { keepaliveMs: plan.keepalive.intervalMs } : {}),
  });
  try {
    await tx.request('tx.connect', {
      mode: pair.mode,
      host: plan.host,
      ports,
      peers: plan.peers,
      parallel: 64,
      ...(plan.keepalive ? { keepaliveMs: plan.keepalive.intervalMs } : {}),
    });
    await rx.request('rx.waitConnections', { count: plan.peers, timeoutMs: plan.timeoutMs });
    const prepared = await tx.request<{ messages: number; bytes: number }>('tx.prepare', {
      kind: plan.kind,
      perPeer: plan.perPeer,
      routesPerMessage: plan.routesPerMessage,
      size: plan.size,
      streamingPeers: plan.streamingPeers ?? plan.peers,
    });
    await rx.request('rx.reset', {});
    let traces: [SyscallTrace, SyscallTrace] | undefined;
    if (plan.strace) traces = await Promise.all([SyscallTrace.attach(tx.pid), SyscallTrace.attach(rx.pid)]);
    await Promise.all([tx.request('window.open', {}), rx.request('window.open', {})]);
    if (plan.keepalive) await tx.request('tx.keepalive', plan.keepalive);
    const txBefore = sampleProcess(tx.pid);
    const rxBefore = sampleProcess(rx.pid);
    const expected = prepared.messages;
    const requested = Number(process.hrtime.bigint());
    let streamError: string | undefined;
    const streaming = tx
      .request<{ begin: number; end: number; starts: number[][]; sendLatency: number[] }>('tx.stream', {
        stride: plan.stride,
      })
      .catch((error: Error) => {
        streamError = error.message.split('\n')[0];
        return undefined;
      });
    const received = await rx.request<ReceiverStats>('rx.waitFor', {
      messages: expected,
      timeoutMs: plan.timeoutMs,
      partial: true,
    });
    // Past the deadline the sender is stopped: closing its connections ends the stream it is in.
    if (!received.complete) await tx.request('tx.close', {}).catch(() => undefined);
    const sent = await streaming;
    const stream = sent ?? { begin: requested, end: Number.NaN, starts: [], sendLatency: [] };
    const txAfter = sampleProcess(tx.pid);
    const rxAfter = sampleProcess(rx.pid);
    if (plan.keepalive) await tx.request('tx.stopKeepalive', {});
    const [txWindow, rxWindow] = await Promise.all([
      tx.request<ProcessWindow | null>('window.close', {}),
      rx.request<ProcessWindow | null>('window.close', {}),
    ]);
    const syscalls = traces ? { sender: await traces[0].stop(), receiver: await traces[1].stop() } : undefined;
    const stamps = await rx.request<{ arrivals: number[][]; keepaliveArrivals: number[][] }>('rx.stamps', {});
    const receiveLatencyNs: number[] = [];
    stamps.arrivals.forEach((arrivals, id) => {
      // Connections are accepted in the order they were opened only by chance: match by position only when
      // the counts agree, which they do for streams of equal length per connection.
      const starts = stream.starts[id] ?? [];
      const n = Math.min(arrivals.length, starts.length);
      for (let i = 0; i < n; i++) receiveLatencyNs.push((arrivals[i] as number) - (starts[i] as number));
    });
    const seconds = (received.lastAt - stream.begin) / 1e9;
    return {
      messages: received.byType[2] ?? 0,
      bytes: received.bytes,
      routes: received.routes,
      seconds,
      sender: cost(tx.pid, txBefore, txAfter, txWindow),
      receiver: cost(rx.pid, rxBefore, rxAfter, rxWindow),
      sendLatencyNs: stream.sendLatency,
      receiveLatencyNs,
      keepaliveArrivals: stamps.keepaliveArrivals,
      streamBegin: stream.begin,
      streamEnd: received.lastAt,
      received,
      expected,
      complete: received.complete === true,
      ...(streamError && received.complete !== true ? { streamError } : {}),
      ...(syscalls ? { syscalls } : {}),
    };
  } finally {
    await tx.request('tx.close', {}).catch(() => undefined);
    await rx.request('rx.close', {}).catch(() => undefined);
  }
}

/** Round trips on one established connection (ROUTE-REFRESH out, echo back). */
export async function roundTrips(pair: WorkerPair, host: string, count: number, timeoutMs: number): Promise<number[]> {
  const { tx, rx } = pair;
  const { ports } = await rx.request<{ ports: number[] }>('rx.listen', {
    mode: pair.mode,
    host,
    stride: 1,
    countRoutes: false,
    echo: true,
    peers: 1,
  });
  try {
    await tx.request('tx.connect', { mode: pair.mode, host, ports, peers: 1, parallel: 1 });
    await tx.request('tx.ping', { count: Math.min(20, count), timeoutMs });
    return await tx.request<number[]>('tx.ping', { count, timeoutMs });
  } finally {
    await tx.request('tx.close', {}).catch(() => undefined);
    await rx.request('rx.close', {}).catch(() => undefined);
  }
}

export interface IdleOutcome {
  readonly sessions: number;
  readonly seconds: number;
  readonly sender: ProcessCost;
  readonly receiver: ProcessCost;
  readonly keepalivesReceived: number;
}

/** `sessions` established connections doing nothing but KEEPALIVEs for `seconds`: CPU of both processes. */
export async function idleOnce(
  pair: WorkerPair,
  host: string,
  sessions: number,
  seconds: number,
  keepaliveMs: number,
  timeoutMs: number,
): Promise<IdleOutcome> {
  const { tx, rx } = pair;
  const { ports } = await rx.request<{ ports: number[] }>('rx.listen', {
    mode: pair.mode,
    host,
    stride: 1,
    countRoutes: false,
    echo: false,
    peers: sessions,
    keepaliveMs,
  });
  try {
    await tx.request('tx.connect', { mode: pair.mode, host, ports, peers: sessions, parallel: 64, keepaliveMs });
    await rx.request('rx.waitConnections', { count: sessions, timeoutMs });
    await tx.request('tx.keepalive', { intervalMs: keepaliveMs, peers: Array.from({ length: sessions }, (_, i) => i) });
    await rx.request('rx.reset', {});
    await Promise.all([tx.request('window.open', {}), rx.request('window.open', {})]);
    const txBefore = sampleProcess(tx.pid);
    const rxBefore = sampleProcess(rx.pid);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const txAfter = sampleProcess(tx.pid);
    const rxAfter = sampleProcess(rx.pid);
    const [txWindow, rxWindow] = await Promise.all([
      tx.request<ProcessWindow | null>('window.close', {}),
      rx.request<ProcessWindow | null>('window.close', {}),
    ]);
    const stats = await rx.request<ReceiverStats>('rx.stats', {});
    return {
      sessions,
      seconds,
      sender: cost(tx.pid, txBefore, txAfter, txWindow),
      receiver: cost(rx.pid, rxBefore, rxAfter, rxWindow),
      keepalivesReceived: stats.byType[4] ?? 0,
    };
  } finally {
    await tx.request('tx.close', {}).catch(() => undefined);
    await rx.request('rx.close', {}).catch(() => undefined);
  }
}

export interface SessionsOutcome {
  readonly sessions: number;
  readonly senderHeapPerSession: number;
  readonly senderRssPerSession: number;
  readonly receiverHeapPerSession: number;
  readonly receiverRssPerSession: number;
  readonly connectSeconds: number;
}

/** Memory per session: heap after GC and RSS of both processes before and with `sessions` connections up. */
export async function sessionsOnce(
  pair: WorkerPair,
  host: string,
  sessions: number,
  timeoutMs: number,
): Promise<SessionsOutcome> {
  const { tx, rx } = pair;
  type Mem = { rss: number; heapUsed: number };
  const { ports } = await rx.request<{ ports: number[] }>('rx.listen', {
    mode: pair.mode,
    host,
    stride: 1,
    countRoutes: false,
    echo: false,
    peers: sessions,
  });
  try {
    const [txBefore, rxBefore] = await Promise.all([tx.request<Mem>('memory', {}), rx.request<Mem>('memory', {})]);
    const t0 = process.hrtime.bigint();
    await tx.request('tx.connect', { mode: pair.mode, host, ports, peers: sessions, parallel: 64 });
    await rx.request('rx.waitConnections', { count: sessions, timeoutMs });
    const connectSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const [txAfter, rxAfter] = await Promise.all([tx.request<Mem>('memory', {}), rx.request<Mem>('memory', {})]);
    return {
      sessions,
      senderHeapPerSession: (txAfter.heapUsed - txBefore.heapUsed) / sessions,
      senderRssPerSession: (txAfter.rss - txBefore.rss) / sessions,
      receiverHeapPerSession: (rxAfter.heapUsed - rxBefore.heapUsed) / sessions,
      receiverRssPerSession: (rxAfter.rss - rxBefore.rss) / sessions,
      connectSeconds,
    };
  } finally {
    await tx.request('tx.close', {}).catch(() => undefined);
    await rx.request('rx.close', {}).catch(() => undefined);
  }
}
