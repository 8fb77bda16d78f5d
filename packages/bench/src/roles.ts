import { encodeMessage, encodeOpen, MessageType } from 'bgp-codec';
import type { Driver, DriverName, Link, Listener } from './driver.js';
import { loadDriver } from './drivers.js';
import { countRoutes, keepaliveMessage, routeRefreshMessage, updateMessage, updateOfLength } from './traffic.js';
import { MeasureWindow, type ProcessWindow } from './window.js';

/**
 * The two sides of every scenario, run inside worker processes. The receiver accepts connections and counts,
 * stamps and checks what arrives; the sender opens connections and sends. Both are driven by the parent over
 * IPC, one request at a time, so the parent decides when a measured window opens and closes.
 */

let driver: Driver | undefined;
async function useDriver(name: DriverName): Promise<Driver> {
  if (driver?.name === name) return driver;
  if (driver) await driver.shutdown();
  const loaded = await loadDriver(name);
  if ('unavailable' in loaded) throw new Error(`mode ${name} is not available: ${loaded.unavailable}`);
  driver = loaded;
  return driver;
}

const now = (): number => Number(process.hrtime.bigint());
let window: MeasureWindow | undefined;

// ---------------------------------------------------------------- receiver

interface ReceiverState {
  listener: Listener;
  links: Link[];
  messages: number;
  updates: number;
  bytes: number;
  routes: number;
  byType: Record<number, number>;
  /** Arrival stamps of every `stride`-th UPDATE per connection, by connection. */
  arrivals: number[][];
  keepaliveArrivals: number[][];
  firstAt: number;
  lastAt: number;
  /** Order check: the next expected route index per connection (-1 once broken). */
  expectedIndex: number[];
  outOfOrder: number;
  closedWithReason: string[];
  waiters: { messages: number; resolve: () => void }[];
  stride: number;
  countRoutes: boolean;
  stops: (() => void)[];
}
let receiver: ReceiverState | undefined;

export interface ReceiverStats {
  readonly connections: number;
  readonly messages: number;
  readonly bytes: number;
  readonly routes: number;
  readonly byType: Record<number, number>;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly outOfOrder: number;
  readonly closedWithReason: string[];
  readonly complete?: boolean;
}

function receiverStats(r: ReceiverState): ReceiverStats {
  return {
    connections: r.links.length,
    messages: r.messages,
    bytes: r.bytes,
    routes: r.routes,
    byType: { ...r.byType },
    firstAt: r.firstAt,
    lastAt: r.lastAt,
    outOfOrder: r.outOfOrder,
    closedWithReason: [...r.closedWithReason],
  };
}

const routeRefresh = routeRefreshMessage();

/** Answer a real peer's OPEN (RFC 4271 §8.2.2): our OPEN and a KEEPALIVE, then KEEPALIVEs a third of the hold time apart. */
function answerOpen(d: Driver, link: Link, bgp: { asn: number; holdTime: number }, stops: (() => void)[]): void {
  const open = encodeOpen({
    type: 'open',
    version: 4,
    asn: bgp.asn,
    holdTime: bgp.holdTime,
    bgpIdentifier: '192.0.2.250',
    capabilities: [
      { type: 'multiprotocol', afi: 1, safi: 1 },
      { type: 'route-refresh' },
      { type: 'asn4', asn: bgp.asn },
    ],
  });
  const keepalive = encodeMessage({ type: 'keepalive' });
  void link.sendAll([open, keepalive]).catch(() => undefined);
  if (bgp.holdTime > 0) {
    stops.push(d.every((bgp.holdTime * 1000) / 3, () => void link.sendAll([keepalive]).catch(() => undefined)));
  }
}

export const handlers: Record<string, (params: never) => Promise<unknown> | unknown> = {
  ping: () => ({ pid: process.pid }),

  'window.open': () => {
    window = new MeasureWindow();
    return null;
  },
  'window.close': (): ProcessWindow | null => {
    const result = window?.close() ?? null;
    window = undefined;
    return result;
  },
  memory: () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers };
  },

  'rx.listen': async (p: {
    mode: DriverName;
    host: string;
    stride: number;
    countRoutes: boolean;
    echo: boolean;
    peers: number;
    keepaliveMs?: number;
    /** Answer an OPEN like a BGP speaker (for a real peer such as ExaBGP): OPEN, KEEPALIVE, then KEEPALIVEs. */
    bgp?: { asn: number; holdTime: number };
  }) => {
    const d = await useDriver(p.mode);
    const bgp = p.bgp;
    const state: ReceiverState = {
      listener: undefined as unknown as Listener,
      links: [],
      messages: 0,
      updates: 0,
      bytes: 0,
      routes: 0,
      byType: {},
      arrivals: [],
      keepaliveArrivals: [],
      firstAt: 0,
      lastAt: 0,
      expectedIndex: [],
      outOfOrder: 0,
      closedWithReason: [],
      waiters: [],
      stride: Math.max(1, p.stride),
      countRoutes: p.countRoutes,
      stops: [],
    };
    state.listener = await d.listen(
      p.host,
      (link) => {
        const id = state.links.length;
        state.links.push(link);
        state.arrivals.push([]);
        state.keepaliveArrivals.push([]);
        state.expectedIndex.push(0);
        let updates = 0;
        link.onMessage = (type, message) => {
          const t = now();
          if (state.messages === 0) state.firstAt = t;
          state.lastAt = t;
          state.messages++;
          state.bytes += message.length;
          state.byType[type] = (state.byType[type] ?? 0) + 1;
          if (type === MessageType.UPDATE) {
            if (updates % state.stride === 0) state.arrivals[id]?.push(t);
            updates++;
            state.updates++;
            if (state.countRoutes) {
              const counted = countRoutes(message);
              state.routes += counted.announced;
              const expected = state.expectedIndex[id] as number;
              if (counted.firstIndex >= 0 && expected >= 0) {
                if (counted.firstIndex !== expected) {
                  state.outOfOrder++;
                  state.expectedIndex[id] = -1;
                } else {
                  state.expectedIndex[id] = expected + counted.announced;
                }
              }
            }
          } else if (type === MessageType.KEEPALIVE) {
            state.keepaliveArrivals[id]?.push(t);
          } else if (type === MessageType.ROUTE_REFRESH && p.echo) {
            void link.sendAll([routeRefresh]);
          } else if (type === MessageType.OPEN && bgp) {
            answerOpen(d, link, bgp, state.stops);
          }
          if (state.waiters.length) {
            state.waiters = state.waiters.filter((w) => {
              if (state.updates < w.messages) return true;
              w.resolve();
              return false;
            });
          }
        };
        link.onClose = (reason) => {
          if (reason) state.closedWithReason.push(reason);
        };
      },
      { peers: p.peers, ...(p.keepaliveMs ? { keepaliveMs: p.keepaliveMs } : {}) },
    );
    receiver = state;
    return { ports: state.listener.ports, ownKeepalives: d.ownKeepalives };
  },
  'rx.reset': () => {
    const r = needReceiver();
    r.messages = r.updates = r.bytes = r.routes = r.outOfOrder = 0;
    r.byType = {};
    r.arrivals = r.links.map(() => []);
    r.keepaliveArrivals = r.links.map(() => []);
    r.expectedIndex = r.links.map(() => 0);
    r.firstAt = r.lastAt = 0;
    return null;
  },
  /**
   * Resolve once `messages` UPDATEs arrived in total; after `timeoutMs` resolve with what arrived (complete
   * false) when `partial`, else reject.
   */
  'rx.waitFor': async (p: { messages: number; timeoutMs: number; partial?: boolean }) => {
    const r = needReceiver();
    let complete = true;
    if (r.updates < p.messages) {
      complete = await new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(() => {
          r.waiters = r.waiters.filter((w) => w.resolve !== done);
          if (p.partial) resolve(false);
          else reject(new Error(`receiver: ${r.updates} of ${p.messages} UPDATEs arrived within ${p.timeoutMs} ms`));
        }, p.timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          resolve(true);
        };
        r.waiters.push({ messages: p.messages, resolve: done });
      });
    }
    return { ...receiverStats(r), complete };
  },
  /** Resolve once `routes` routes arrived (counted in every UPDATE), or with complete false after `timeoutMs`. */
  'rx.waitRoutes': async (p: { routes: number; timeoutMs: number }) => {
    const r = needReceiver();
    const deadline = Date.now() + p.timeoutMs;
    while (r.routes < p.routes && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    return { ...receiverStats(r), complete: r.routes >= p.routes };
  },
  'rx.waitConnections': async (p: { count: number; timeoutMs: number }) => {
    const r = needReceiver();
    const deadline = Date.now() + p.timeoutMs;
    while (r.links.length < p.count) {
      if (Date.now() > deadline) throw new Error(`receiver: ${r.links.length} of ${p.count} connections accepted`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return r.links.length;
  },
  'rx.stats': () => receiverStats(needReceiver()),
  'rx.stamps': () => {
    const r = needReceiver();
    return { arrivals: r.arrivals, keepaliveArrivals: r.keepaliveArrivals };
  },
  'rx.close': async () => {
    const r = receiver;
    receiver = undefined;
    if (!r) return null;
    for (const stop of r.stops) stop();
    await Promise.all(r.links.map((l) => l.close().catch(() => undefined)));
    await r.listener.close();
    return null;
  },

  // -------------------------------------------------------------- sender

  'tx.connect': async (p: {
    mode: DriverName;
    host: string;
    ports: number[];
    peers: number;
    parallel: number;
    keepaliveMs?: number;
  }) => {
    const d = await useDriver(p.mode);
    const links: Link[] = [];
    let next = 0;
    const options = { peers: 1, ...(p.keepaliveMs ? { keepaliveMs: p.keepaliveMs } : {}) };
    const open = async (): Promise<void> => {
      while (next < p.peers) {
        const id = next++;
        const link = await d.connect(p.host, p.ports[id % p.ports.length] as number, options);
        link.onMessage = (type) => {
          if (type === MessageType.ROUTE_REFRESH) pong?.();
        };
        links[id] = link;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(p.parallel, p.peers)) }, open));
    sender = { links, messages: [], stopKeepalive: [] };
    return links.length;
  },
  /** Build each peer's messages (outside any window): one-route UPDATEs, packed UPDATEs or fixed-size ones. */
  'tx.prepare': (p: {
    kind: 'one-route' | 'packed' | 'sized';
    perPeer: number;
    routesPerMessage: number;
    size: number;
    streamingPeers: number;
  }) => {
    const s = needSender();
    s.messages = s.links.map((_, id) => {
      if (id >= p.streamingPeers) return [];
      const list: Uint8Array[] = new Array(p.perPeer);
      let route = 0;
      for (let i = 0; i < p.perPeer; i++) {
        if (p.kind === 'sized') {
          const built = updateOfLength(route, p.size);
          list[i] = built.message;
          route += built.routes;
        } else {
          const count = p.kind === 'packed' ? p.routesPerMessage : 1;
          list[i] = updateMessage(route, count);
          route += count;
        }
      }
      return list;
    });
    let bytes = 0;
    for (const list of s.messages) for (const m of list) bytes += m.length;
    return { messages: p.perPeer * Math.min(p.streamingPeers, s.links.length), bytes };
  },
  /** Send every peer's prepared messages at once; stamps every `stride`-th send start and send duration. */
  'tx.stream': async (p: { stride: number }) => {
    const s = needSender();
    const stride = Math.max(1, p.stride);
    const starts: number[][] = [];
    const sendLatency: number[] = [];
    const begin = now();
    await Promise.all(
      s.links.map(async (link, id) => {
        const stamps: number[] = [];
        starts[id] = stamps;
        let last = now();
        const list = s.messages[id] ?? [];
        await link.sendAll(list, (i) => {
          const t = now();
          if (i % stride === 0) {
            stamps.push(last);
            sendLatency.push(t - last);
          }
          last = t;
        });
      }),
    );
    const end = now();
    return { begin, end, starts, sendLatency };
  },
  /** `count` round trips on the first connection: ROUTE-REFRESH out, the echo back. */
  'tx.ping': async (p: { count: number; timeoutMs: number }) => {
    const s = needSender();
    const link = s.links[0];
    if (!link) throw new Error('sender: no connection');
    const rtts: number[] = [];
    for (let i = 0; i < p.count; i++) {
      const t0 = now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no echo within ${p.timeoutMs} ms`)), p.timeoutMs);
        pong = () => {
          clearTimeout(timer);
          pong = undefined;
          resolve();
        };
        void link.sendAll([routeRefresh]);
      });
      rtts.push(now() - t0);
    }
    return rtts;
  },
  /** KEEPALIVEs every `intervalMs` on the given connections, from the mode's own timers. */
  'tx.keepalive': (p: { intervalMs: number; peers: number[] }) => {
    const s = needSender();
    const d = driver as Driver;
    // Session modes: the FSM sends KEEPALIVEs on its own timer (set at connect).
    if (d.ownKeepalives) return null;
    const keepalive = keepaliveMessage();
    for (const id of p.peers) {
      const link = s.links[id];
      if (link) s.stopKeepalive.push(d.every(p.intervalMs, () => void link.sendAll([keepalive])));
    }
    return null;
  },
  'tx.stopKeepalive': () => {
    const s = needSender();
    for (const stop of s.stopKeepalive) stop();
    s.stopKeepalive = [];
    return null;
  },
  'tx.close': async () => {
    const s = sender;
    sender = undefined;
    if (!s) return null;
    for (const stop of s.stopKeepalive) stop();
    await Promise.all(s.links.map((l) => l.close().catch(() => undefined)));
    return null;
  },
  /** Wait `ms` (an idle window: the process does nothing but its timers). */
  sleep: (p: { ms: number }) => new Promise((resolve) => setTimeout(() => resolve(null), p.ms)),
  shutdown: async () => {
    await driver?.shutdown();
    driver = undefined;
    return null;
  },
};

interface SenderState {
  links: Link[];
  messages: Uint8Array[][];
  stopKeepalive: (() => void)[];
}
let sender: SenderState | undefined;
let pong: (() => void) | undefined;

function needReceiver(): ReceiverState {
  if (!receiver) throw new Error('receiver: not listening');
  return receiver;
}
function needSender(): SenderState {
  if (!sender) throw new Error('sender: not connected');
  return sender;
}
