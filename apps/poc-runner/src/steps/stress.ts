import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type DriverName, loadDriver, slope, streamOnce, WorkerPool } from 'bench';
import { connect as connectAsync } from 'transport-async';
import { errorText, type StepContext } from '../context.js';
import { awaitNotification, passiveSession, rawEstablish, rawMessage, WAIT_MS } from './raw-peer.js';

const MODES: DriverName[] = ['sync', 'async', 'fsm-sync', 'bridge-polling', 'bridge-effect'];

/** A full GC in this process: --expose-gc switched on at run time (the runner starts without it). */
function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Heap in use after a full GC, compiled code left out: the JIT compiles each mode's code paths during the
 * first hundreds of cycles (more code for the FSM modes than for raw-net), which is not memory a connection
 * holds. Deoptimization data stays counted: it lives among the objects.
 */
function heapAfterGc(gc: () => void): number {
  // A second pass frees what the first one's finalizers released.
  gc();
  gc();
  return v8
    .getHeapSpaceStatistics()
    .filter((space) => !space.space_name.startsWith('code_'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

/** Heap snapshot node types that are objects of the program; code, V8's internals and shapes are not. */
const PROGRAM_TYPES = new Set(['object', 'closure', 'array', 'string', 'concatenated string', 'sliced string']);

/**
 * Objects alive after a full GC, counted in a heap snapshot: the program's objects, closures, arrays and
 * strings, without compiled code and V8's internal structures. Bytes after GC also move with the JIT's
 * deoptimization data and feedback, which keep growing for thousands of cycles in the session modes (they
 * run far more code than raw-net) and blur a slope by a few hundred bytes per cycle; a count does not. A
 * connection kept alive is dozens of objects per cycle (its socket, stream states, Connection, FrameParser,
 * listeners), Node's own bookkeeping a fraction of one.
 */
async function objectsAfterGc(gc: () => void): Promise<number> {
  gc();
  gc();
  const chunks: Buffer[] = [];
  for await (const chunk of v8.getHeapSnapshot()) chunks.push(chunk as Buffer);
  const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const counted = snapshot.snapshot.meta.node_types[0].map((type) => PROGRAM_TYPES.has(type));
  const nodes = snapshot.nodes;
  let count = 0;
  for (let at = fields.indexOf('type'); at < nodes.length; at += fields.length) {
    if (counted[nodes[at] as number]) count++;
  }
  return count;
}

/**
 * Connect/disconnect cycles in one mode; heap after GC sampled along the way; the slope of the trend.
 * Node's own socket bookkeeping grows the heap a little per connection, so each mode is held to the floor
 * `raw-net` (Node's socket and the FrameParser, no transport) shows in the same run.
 */
async function churn(
  ctx: StepContext,
  mode: DriverName,
  cycles: number,
  floor: { bytes: number; objects: number },
): Promise<{ bytes: number; objects: number }> {
  const gc = gcFunction();
  const loaded = await loadDriver(mode);
  if ('unavailable' in loaded) {
    ctx.check(`${cycles} connect/disconnect cycles`, false, loaded.unavailable, mode);
    return { bytes: Number.NaN, objects: Number.NaN };
  }
  const accepted: { close(): Promise<void> }[] = [];
  // A session mode's listener is one passive session per peer: each cycle gets its own and closes it.
  const listenerPerCycle = mode === 'fsm-sync' || mode.startsWith('bridge-');
  const open = () => loaded.listen('127.0.0.1', (link) => accepted.push(link), { peers: 1 });
  let listener = await open();
  const xs: number[] = [];
  const ys: number[] = [];
  // 50 samples: one sample's noise (tens of KB) moves a 20-sample slope by about 100 B/cycle over 1,000 cycles.
  const every = Math.max(1, Math.floor(cycles / 50));
  // Objects are counted after the first quarter (warm-up: JIT, pools) and at the end.
  const counted = Math.floor(cycles / 4);
  let objectsFrom = 0;
  try {
    for (let i = 0; i < cycles; i++) {
      if (i === counted) objectsFrom = await objectsAfterGc(gc);
      if (listenerPerCycle && i > 0) listener = await open();
      const link = await loaded.connect('127.0.0.1', listener.ports[0] as number, { peers: 1 });
      await link.close();
      for (const a of accepted.splice(0)) await a.close();
      if (listenerPerCycle) await listener.close();
      if (i % every === every - 1) {
        xs.push(i + 1);
        ys.push(heapAfterGc(gc));
      }
    }
    // The first samples include warm-up (JIT, pools): the trend is read over the later 75%.
    const from = Math.floor(xs.length / 4);
    const growth = slope(xs.slice(from), ys.slice(from));
    const objects = ((await objectsAfterGc(gc)) - objectsFrom) / (cycles - counted);
    ctx.step.figures[`${mode}: heap growth per cycle after GC, bytes (slope)`] = growth;
    ctx.step.figures[`${mode}: objects kept per cycle after GC (heap snapshots)`] = objects;
    if (mode !== 'raw-net') {
      ctx.check(
        `${cycles} connect/disconnect cycles: no more objects kept after GC than Node's own (excess <= 1 object/cycle)`,
        objects - floor.objects <= 1,
        `${objects.toFixed(2)} objects/cycle over cycles ${counted}..${cycles}, raw-net ${floor.objects.toFixed(2)}; ` +
          `heap ${growth.toFixed(1)} B/cycle over cycles ${xs[from]}..${xs[xs.length - 1]}, raw-net ${floor.bytes.toFixed(1)} B/cycle ` +
          '(compiled code excluded; JIT data included)',
        mode,
      );
    }
    ctx.step.charts.push({
      title: `Heap after GC during connect/disconnect cycles (${mode})`,
      unit: 'bytes',
      kind: 'lines',
      xUnit: 'cycles',
      lines: [{ name: mode, points: xs.map((x, i) => [x, ys[i] as number]) }],
    });
    return { bytes: growth, objects };
  } catch (error) {
    ctx.check(`${cycles} connect/disconnect cycles`, false, errorText(error), mode);
    return { bytes: Number.NaN, objects: Number.NaN };
  } finally {
    await listener.close().catch(() => undefined);
    await loaded.shutdown();
  }
}

/** Resource exhaustion against a passive session: a huge length, a message that never ends, a storm. */
async function exhaustion(
  ctx: StepContext,
  mode: 'sync' | 'bridge-polling' | 'bridge-effect',
  storm: number,
): Promise<void> {
  let peer = await passiveSession(mode, 3);
  try {
    const c = await rawEstablish(peer.port, 3);
    await c.writeMessage(rawMessage(65535, 2, new Uint8Array(100)));
    const got = await awaitNotification(c);
    ctx.check(
      'huge length (65535 without Extended Message) → NOTIFICATION 1/2',
      'code' in got && got.code === 1 && got.subcode === 2,
      'code' in got ? `${got.code}/${got.subcode}` : got.none,
      mode,
    );
    c.abort();
  } catch (error) {
    ctx.check('huge length', false, errorText(error), mode);
  } finally {
    peer.session.destroy();
  }
  peer = await passiveSession(mode, 3);
  try {
    const c = await rawEstablish(peer.port, 3);
    const rss = process.memoryUsage().rss;
    await c.writeMessage(rawMessage(4096, 2, new Uint8Array(200)));
    const got = await awaitNotification(c, 8_000);
    const grew = process.memoryUsage().rss - rss;
    ctx.check(
      'message that never ends → hold timer NOTIFICATION 4/0, memory bounded',
      'code' in got && got.code === 4 && grew < 64 * 2 ** 20,
      `${'code' in got ? `${got.code}/${got.subcode} after ${got.afterMs} ms` : got.none}; RSS ${(grew / 2 ** 20).toFixed(1)} MiB`,
      mode,
    );
    c.abort();
  } catch (error) {
    ctx.check('message that never ends', false, errorText(error), mode);
  } finally {
    peer.session.destroy();
  }
  peer = await passiveSession(mode, 90);
  try {
    const attempts = await Promise.allSettled(
      Array.from({ length: storm }, () => connectAsync({ host: '127.0.0.1', port: peer.port, timeoutMs: WAIT_MS })),
    );
    for (const a of attempts) if (a.status === 'fulfilled') a.value.abort();
    await new Promise((r) => setTimeout(r, 300));
    const after = await rawEstablish(peer.port).then(
      (c) => {
        c.abort();
        return 'established';
      },
      (e: Error) => e.message,
    );
    ctx.check(
      `storm of ${storm} connections: no crash, a real peer still establishes afterwards`,
      after === 'established',
      `${attempts.filter((a) => a.status === 'fulfilled').length} connected; then ${after}`,
      mode,
    );
  } catch (error) {
    ctx.check(`storm of ${storm} connections`, false, errorText(error), mode);
  } finally {
    peer.session.destroy();
  }
}

/** Step 8: churn, flood, concurrency, malformed input and exhaustion, every mode. */
export async function runStress(ctx: StepContext): Promise<void> {
  const quick = ctx.options.quick;
  const cycles = quick ? 200 : 1000;
  ctx.progress(`raw-net: ${cycles} connect/disconnect cycles (Node's own floor)`);
  const floor = await churn(ctx, 'raw-net', cycles, { bytes: 0, objects: 0 });
  // Every mode runs the same number of cycles: a whole BGP session per cycle takes about a millisecond in
  // each session mode (the polling bridge included), so 1,000 cycles fit the step's time in every mode.
  for (const mode of MODES) {
    ctx.progress(`${mode}: ${cycles} connect/disconnect cycles`);
    await churn(ctx, mode, cycles, floor);
  }
  // Flood and concurrent sessions in child processes, every mode at once (correctness, not speed).
  const pool = new WorkerPool();
  const flood = 10_000;
  const peers = ctx.options.peers;
  try {
    ctx.progress(`flood of ${flood} UPDATEs and ${peers} concurrent sessions, every mode`);
    await Promise.all(
      MODES.map(async (mode) => {
        try {
          const pair = await pool.get(mode);
          const o = await streamOnce(pair, {
            host: '127.0.0.1',
            peers: 1,
            kind: 'one-route',
            perPeer: flood,
            routesPerMessage: 1,
            size: 0,
            stride: 100,
            timeoutMs: 60_000,
          });
          ctx.check(
            `flood of ${flood} UPDATEs: none lost, in order`,
            o.complete && o.messages === flood && o.received.outOfOrder === 0,
            `${o.messages}/${flood} in ${o.seconds.toFixed(2)} s, ${o.received.outOfOrder} out of order`,
            mode,
          );
          const c = await streamOnce(pair, {
            host: '127.0.0.1',
            peers,
            kind: 'one-route',
            perPeer: 20,
            routesPerMessage: 1,
            size: 0,
            stride: 1,
            timeoutMs: 60_000,
          });
          ctx.check(
            `${peers} concurrent sessions, 20 UPDATEs each: all delivered`,
            c.complete && c.messages === peers * 20 && c.received.connections === peers,
            `${c.received.connections} sessions, ${c.messages}/${peers * 20} UPDATEs`,
            mode,
          );
        } catch (error) {
          ctx.check('flood and concurrent sessions', false, errorText(error), mode);
        }
      }),
    );
  } finally {
    await pool.close();
  }
  const storm = quick ? 200 : 1000;
  await Promise.all(
    (['sync', 'bridge-polling', 'bridge-effect'] as const).map(async (mode) => {
      ctx.progress(`${mode}: huge length, endless message, storm of ${storm}`);
      await exhaustion(ctx, mode, storm);
    }),
  );
}
