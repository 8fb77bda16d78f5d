import { type DriverName as FsmDriverName, type NotificationRecord, type State, startSession } from 'fsm-bridge';
import { errorText, type StepContext } from '../context.js';
import { equalBytes, UPDATE_BYTES } from './wire.js';

const WAIT_MS = 10_000;
const ACTIVE_ORDER: State[] = ['Idle', 'Connect', 'OpenSent', 'OpenConfirm', 'Established'];
const PASSIVE_ORDER: State[] = ['Idle', 'Active', 'OpenSent', 'OpenConfirm', 'Established'];

/** Whether `expected` appears in `seen` in order (other states may come between). */
function inOrder(seen: readonly State[], expected: readonly State[]): boolean {
  let i = 0;
  for (const s of seen) if (s === expected[i]) i++;
  return i === expected.length;
}

/** Two sessions in this process over loopback, both driven by `mode`: states, an UPDATE, a Cease. */
export async function sessionPair(ctx: StepContext, mode: FsmDriverName): Promise<void> {
  const activeStates: State[] = ['Idle'];
  const passiveStates: State[] = ['Idle'];
  const received: Uint8Array[] = [];
  const notifications: NotificationRecord[] = [];
  const passive = await startSession(
    {
      localAs: 65002,
      peerAs: 65001,
      routerId: '192.0.2.2',
      peerAddress: '127.0.0.1',
      localAddress: '127.0.0.1',
      localPort: 0,
      passive: true,
      listen: true,
      idleHoldTime: 0,
    },
    {
      driver: mode,
      iterateUpdates: false,
      onStateChange: (_f, to) => passiveStates.push(to),
      onUpdate: (u) => received.push(u.message),
      onNotification: (n) => notifications.push(n),
    },
  );
  const active = await startSession(
    {
      localAs: 65001,
      peerAs: 65002,
      routerId: '192.0.2.1',
      peerAddress: '127.0.0.1',
      peerPort: passive.listenPort,
      localAddress: '127.0.0.1',
      idleHoldTime: 0,
    },
    { driver: mode, iterateUpdates: false, onStateChange: (_f, to) => activeStates.push(to) },
  );
  try {
    const t0 = process.hrtime.bigint();
    await Promise.all([active.established(WAIT_MS), passive.established(WAIT_MS)]);
    ctx.step.figures[`${mode}: establishment ms`] = Number(process.hrtime.bigint() - t0) / 1e6;
    ctx.check(
      'active side: Idle, Connect, OpenSent, OpenConfirm, Established in order',
      inOrder(activeStates, ACTIVE_ORDER),
      activeStates.join(' → '),
      mode,
    );
    ctx.check(
      'passive side: Idle, Active, OpenSent, OpenConfirm, Established in order',
      inOrder(passiveStates, PASSIVE_ORDER),
      passiveStates.join(' → '),
      mode,
    );
    await active.sendUpdates([UPDATE_BYTES]);
    const deadline = Date.now() + WAIT_MS;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    ctx.check(
      'UPDATE delivered through the bridge, bytes intact',
      received.length === 1 && equalBytes(received[0] as Uint8Array, UPDATE_BYTES),
      `${received.length} received`,
      mode,
    );
    await active.stop();
    const until = Date.now() + WAIT_MS;
    while (!notifications.some((n) => n.direction === 'received') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 5));
    const cease = notifications.find((n) => n.direction === 'received');
    ctx.check(
      'stop sends Cease (6/2) and the peer receives it',
      cease?.code === 6 && cease.subcode === 2,
      cease ? `${cease.code}/${cease.subcode}` : 'none within 10 s',
      mode,
    );
  } catch (error) {
    ctx.check('session pair over loopback (every wait bounded)', false, errorText(error), mode);
  } finally {
    active.destroy();
    passive.destroy();
  }
}

/** CPU of `pairs` idle established session pairs in this process over `seconds` (% of one core). */
async function idleCpu(mode: FsmDriverName, pairs: number, seconds: number): Promise<number> {
  const sessions: Awaited<ReturnType<typeof startSession>>[] = [];
  try {
    for (let i = 0; i < pairs; i++) {
      const p = await startSession(
        {
          localAs: 65002,
          peerAs: 65001,
          routerId: '192.0.2.2',
          peerAddress: '127.0.0.1',
          localAddress: '127.0.0.1',
          localPort: 0,
          passive: true,
          listen: true,
          idleHoldTime: 0,
        },
        { driver: mode, iterateUpdates: false },
      );
      const a = await startSession(
        {
          localAs: 65001,
          peerAs: 65002,
          routerId: '192.0.2.1',
          peerAddress: '127.0.0.1',
          peerPort: p.listenPort,
          localAddress: '127.0.0.1',
          idleHoldTime: 0,
        },
        { driver: mode, iterateUpdates: false },
      );
      sessions.push(p, a);
      await a.established(WAIT_MS);
    }
    const cpu = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const used = process.cpuUsage(cpu);
    return ((used.user + used.system) / 1e6 / (Number(process.hrtime.bigint() - t0) / 1e9)) * 100;
  } finally {
    for (const s of sessions) s.destroy();
  }
}

/** Step 4: the generator FSM over async I/O through both bridges (and the sync reactor for reference). */
export async function runBridge(ctx: StepContext): Promise<void> {
  for (const mode of ['bridge-polling', 'bridge-effect', 'sync'] as const) {
    ctx.progress(`${mode}: session pair`);
    await sessionPair(ctx, mode);
  }
  const pairs = ctx.options.quick ? 10 : 50;
  const seconds = ctx.options.quick ? 1 : 5;
  const bars: { label: string; value: number }[] = [];
  for (const mode of ['bridge-polling', 'bridge-effect'] as const) {
    ctx.progress(`${mode}: idle CPU of ${pairs} session pairs`);
    try {
      const pct = await idleCpu(mode, pairs, seconds);
      ctx.step.figures[`${mode}: idle CPU of ${pairs * 2} established sessions, % of one core`] = pct;
      bars.push({ label: mode, value: pct });
    } catch (error) {
      ctx.check(`idle CPU of ${pairs} session pairs`, false, errorText(error), mode);
    }
  }
  const [polling, effect] = bars;
  if (polling && effect) {
    ctx.step.figures['idle CPU polling/effect'] = polling.value / Math.max(effect.value, 1e-9);
    ctx.check(
      'idle CPU measured for both bridges',
      true,
      `polling ${polling.value.toFixed(2)}%, effect ${effect.value.toFixed(2)}% of one core`,
    );
    ctx.step.charts.push({
      title: `Idle CPU of ${pairs * 2} established sessions`,
      unit: '% of one core',
      kind: 'bars',
      bars,
    });
  }
}
