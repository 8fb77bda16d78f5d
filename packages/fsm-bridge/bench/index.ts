/**
 * pnpm --filter fsm-bridge bench [--quick] [--routes N] [--idle-sessions N] [--idle-seconds S] [--rounds N]
 *
 * The FSM under each driver, both ends of every session in this process over loopback:
 *  1. idle cost: CPU of established sessions that exchange nothing (hold time 0: no timers at all), per driver;
 *     the polling bridge wakes up to poll, the others wait on the kernel;
 *  2. throughput: one-route UPDATEs end to end (encode-free: prebuilt bytes; sent, framed, decoded by
 *     bgp-codec's decodeUpdate, delivered), rounds interleaved across drivers, median and spread;
 *  3. memory: heap and RSS per established session (both ends counted), after a forced GC (RSS is only a hint:
 *     the process keeps pages it once used).
 *  4. KEEPALIVE jitter: while one session streams `--routes` routes (and for 4 s at least), how late the other
 *     sessions' KEEPALIVEs leave (hold 3 s, keepalive 1 s), and whether any hold timer expired.
 * Figures are printed; nothing is asserted.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createDriver, type DriverName, type Session, startSession } from '../src/index.js';
import type { SessionConfig } from '../src/session.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const quick = flag('quick');
const ROUTES = option('routes', quick ? 100_000 : 1_000_000);
const IDLE_SESSIONS = option('idle-sessions', quick ? 20 : 100);
const IDLE_SECONDS = option('idle-seconds', quick ? 3 : 10);
const ROUNDS = option('rounds', quick ? 3 : 5);
const MEMORY_SESSIONS = option('memory-sessions', quick ? 200 : 1000);
const THROUGHPUT_ROUTES = option('throughput-routes', quick ? 50_000 : 200_000);
const MIN_STREAM_MS = 4000;
const DRIVERS: DriverName[] = ['sync', 'bridge-polling', 'bridge-effect'];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function routeUpdate(index: number): Uint8Array {
  const attrs = [0x40, 1, 1, 0, 0x40, 2, 6, 2, 1, 0, 0, 0xfd, 0xe9, 0x40, 3, 4, 192, 0, 2, 1];
  const nlri = [32, (index >>> 24) & 255, (index >>> 16) & 255, (index >>> 8) & 255, index & 255];
  const length = 23 + attrs.length + nlri.length;
  return Uint8Array.from([
    ...new Array(16).fill(0xff),
    length >> 8,
    length & 255,
    2,
    0,
    0,
    0,
    attrs.length,
    ...attrs,
    ...nlri,
  ]);
}

function config(overrides: Partial<SessionConfig>): SessionConfig {
  return {
    localAs: 65001,
    peerAs: 65002,
    routerId: '10.0.0.1',
    peerAddress: '127.0.0.1',
    localAddress: '127.0.0.1',
    localPort: 0,
    connectRetryTime: 1,
    idleHoldTime: 0,
    ...overrides,
  };
}

interface Pair {
  sender: Session;
  receiver: Session;
}

async function pair(
  driver: ReturnType<typeof createDriver>,
  overrides: Partial<SessionConfig>,
  receiverOptions: Parameters<typeof startSession>[1] = {},
  senderOptions: Parameters<typeof startSession>[1] = {},
  index = 0,
): Promise<Pair> {
  const receiver = await startSession(
    config({
      ...overrides,
      localAs: 65002,
      peerAs: 65001,
      routerId: `10.1.${(index >> 8) & 255}.${index & 255}`,
      passive: true,
      peerPort: 1,
    }),
    { driver, iterateUpdates: false, ...receiverOptions },
  );
  const sender = await startSession(config({ ...overrides, peerPort: receiver.listenPort }), {
    driver,
    iterateUpdates: false,
    ...senderOptions,
  });
  await Promise.all([sender.established(60_000), receiver.established(60_000)]);
  return { sender, receiver };
}

async function closeAll(pairs: Pair[]): Promise<void> {
  for (const p of pairs) {
    p.sender.destroy();
    p.receiver.destroy();
  }
  await sleep(100);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function idleCost(name: DriverName): Promise<{ cpuPercent: number; perSessionUs: number }> {
  const driver = createDriver(name);
  const pairs: Pair[] = [];
  for (let i = 0; i < IDLE_SESSIONS / 2; i++) pairs.push(await pair(driver, { holdTime: 0 }, {}, {}, i));
  // Let the set-up's garbage go first: its collection is not the idle cost of a driver.
  await sleep(1000);
  gc();
  await sleep(500);
  const before = process.cpuUsage();
  const start = performance.now();
  await sleep(IDLE_SECONDS * 1000);
  const used = process.cpuUsage(before);
  const elapsed = (performance.now() - start) * 1000;
  await closeAll(pairs);
  driver.close();
  const cpu = (used.user + used.system) / elapsed;
  return { cpuPercent: cpu * 100, perSessionUs: (used.user + used.system) / IDLE_SESSIONS / (elapsed / 1e6) };
}

async function throughput(name: DriverName, routes: number): Promise<number> {
  const driver = createDriver(name);
  let received = 0;
  const p = await pair(driver, { holdTime: 90 }, { onUpdate: () => void received++ });
  const messages = Array.from({ length: routes }, (_, i) => routeUpdate(i));
  const start = performance.now();
  await p.sender.sendUpdates(messages);
  while (received < routes) await new Promise((resolve) => setImmediate(resolve));
  const seconds = (performance.now() - start) / 1000;
  await closeAll([p]);
  driver.close();
  return routes / seconds;
}

async function jitter(name: DriverName): Promise<string> {
  const driver = createDriver(name);
  const timers = { holdTime: 3, keepaliveTime: 1 };
  const drops: string[] = [];
  const sent = new Map<Session, number[]>();
  let received = 0;
  const watch = {
    onStateChange: (from: string, to: string) => {
      if (from === 'Established') drops.push(`${from}->${to}`);
    },
    onMessage: (direction: 'sent' | 'received', type: number, _m: Uint8Array, session: Session) => {
      if (direction !== 'sent' || type !== 4) return;
      const times = sent.get(session) ?? [];
      sent.set(session, times);
      times.push(performance.now());
    },
  };
  const bulk = await pair(driver, timers, { ...watch, onUpdate: () => void received++ }, watch, 0);
  const idle: Pair[] = [];
  for (let i = 1; i <= 3; i++) idle.push(await pair(driver, timers, watch, watch, i));
  const start = performance.now();
  // At least MIN_STREAM_MS, longer than the hold time, whatever the count: otherwise there is nothing to starve.
  const total = await bulk.sender.sendUpdates(
    (function* () {
      for (let i = 0; i < ROUTES || performance.now() - start < MIN_STREAM_MS; i++) yield routeUpdate(i);
    })(),
  );
  while (received < total && drops.length === 0) await sleep(5);
  const end = performance.now();
  const late: number[] = [];
  for (const [session, times] of sent) {
    if (session === bulk.sender) continue;
    for (let i = 1; i < times.length; i++) {
      const at = times[i] as number;
      if (at >= start && at <= end) late.push(at - (times[i - 1] as number) - 1000);
    }
  }
  late.sort((a, b) => a - b);
  await closeAll([bulk, ...idle]);
  driver.close();
  const pct = (p: number) =>
    (late[Math.min(late.length - 1, Math.floor((p / 100) * late.length))] ?? Number.NaN).toFixed(1);
  const seconds = (end - start) / 1000;
  return (
    `${received}/${total} routes in ${seconds.toFixed(1)} s (${Math.round(received / seconds)}/s); ` +
    `${late.length} KEEPALIVEs of 6 idle sessions during it, late by p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms; ` +
    `hold-timer expiries / session drops: ${drops.length}`
  );
}

function settledHeap(): { heap: number; rss: number } {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

async function memory(name: DriverName): Promise<{ heapKb: number; rssKb: number }> {
  const driver = createDriver(name);
  await sleep(200);
  const before = settledHeap();
  const pairs: Pair[] = [];
  for (let i = 0; i < MEMORY_SESSIONS / 2; i++) pairs.push(await pair(driver, { holdTime: 90 }, {}, {}, i));
  await sleep(500);
  const after = settledHeap();
  await closeAll(pairs);
  driver.close();
  await sleep(500);
  return {
    heapKb: (after.heap - before.heap) / MEMORY_SESSIONS / 1024,
    rssKb: (after.rss - before.rss) / MEMORY_SESSIONS / 1024,
  };
}

async function main(): Promise<void> {
  console.log(`fsm-bridge bench (${quick ? 'quick' : 'full'}), node ${process.version}`);

  console.log(`\n1. idle cost: ${IDLE_SESSIONS} established sessions (hold time 0), ${IDLE_SECONDS} s, this process`);
  const idle = new Map<DriverName, number>();
  for (const name of DRIVERS) {
    const r = await idleCost(name);
    idle.set(name, r.cpuPercent);
    console.log(
      `  ${name.padEnd(15)} ${r.cpuPercent.toFixed(2)}% of one core, ${r.perSessionUs.toFixed(1)} µs CPU per session per second`,
    );
  }
  const effectIdle = idle.get('bridge-effect') as number;
  console.log(`  polling / effect: ${((idle.get('bridge-polling') as number) / effectIdle).toFixed(1)}x`);

  console.log(`\n2. throughput: ${THROUGHPUT_ROUTES} one-route UPDATEs end to end, ${ROUNDS} rounds interleaved`);
  const rates = new Map<DriverName, number[]>(DRIVERS.map((d) => [d, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of DRIVERS) rates.get(name)?.push(await throughput(name, THROUGHPUT_ROUTES));
  }
  const syncMedian = median(rates.get('sync') as number[]);
  for (const name of DRIVERS) {
    const r = rates.get(name) as number[];
    console.log(
      `  ${name.padEnd(15)} median ${Math.round(median(r))} msg/s (min ${Math.round(Math.min(...r))}, max ${Math.round(Math.max(...r))}), ${(median(r) / syncMedian).toFixed(2)}x sync`,
    );
  }

  console.log(
    `\n3. memory: ${MEMORY_SESSIONS} established sessions (both ends of ${MEMORY_SESSIONS / 2} pairs), after GC`,
  );
  for (const name of DRIVERS) {
    const m = await memory(name);
    console.log(
      `  ${name.padEnd(15)} heap ${m.heapKb.toFixed(1)} KB per session, RSS ${m.rssKb.toFixed(1)} KB per session`,
    );
  }

  console.log(`\n4. KEEPALIVE jitter while one session streams ${ROUTES}+ routes for 4+ s (hold 3 s, keepalive 1 s)`);
  for (const name of DRIVERS) console.log(`  ${name.padEnd(15)} ${await jitter(name)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
