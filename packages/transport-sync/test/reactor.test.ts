import fc from 'fast-check';
import { delay } from 'transport-contract/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_YET, Reactor, type ReactorTask } from '../src/index.js';

const reactors: Reactor[] = [];
afterEach(() => {
  for (const reactor of reactors.splice(0)) reactor.stop();
});

function newReactor(settings?: ConstructorParameters<typeof Reactor>[0]): Reactor {
  const reactor = new Reactor(settings);
  reactors.push(reactor);
  return reactor;
}

/** A reactor on a clock the test moves by hand. */
class ManualClockReactor extends Reactor {
  time = 0;
  override now(): number {
    return this.time;
  }
}

describe('Reactor passes (ExaBGP reactor/loop.py)', () => {
  it('resumes every ready task once per pass, in turn', async () => {
    const reactor = newReactor();
    const trace: string[] = [];
    function* peer(name: string, steps: number) {
      for (let i = 1; i <= steps; i++) {
        trace.push(`${name}${i}`);
        yield true;
      }
      return name;
    }
    const results = await Promise.all([reactor.run(peer('a', 3)), reactor.run(peer('b', 2))]);
    expect(results).toEqual(['a', 'b']);
    expect(trace).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
  });

  it('does not resume a waiting task until it is woken (ACTION.LATER)', async () => {
    const reactor = newReactor();
    let steps = 0;
    let task: ReactorTask | undefined;
    task = reactor.spawn(
      (function* () {
        for (;;) {
          steps++;
          yield NOT_YET;
        }
      })(),
    );
    await delay(50);
    expect(steps).toBe(1);
    task.wake();
    task.wake(); // idempotent: one wake-up, one step
    await delay(50);
    expect(steps).toBe(2);
    task.cancel();
    await expect(task.done).rejects.toThrow(/cancelled/);
    task = undefined;
  });

  it('costs nothing while idle: no pass runs without an event or a due timer', async () => {
    const reactor = newReactor();
    reactor.spawn(
      (function* () {
        for (;;) yield NOT_YET;
      })(),
    );
    await delay(20);
    const { passes, turns } = reactor.stats;
    await delay(200);
    expect(reactor.stats.passes).toBe(passes);
    expect(reactor.stats.turns).toBe(turns);
  });

  it('lets the event loop run during a long burst of work (no task starves I/O or Node timers)', async () => {
    const reactor = newReactor({ turnMs: 2 });
    let stop = false;
    let steps = 0;
    const busy = reactor.run(
      (function* () {
        while (!stop) {
          steps++;
          yield true;
        }
      })(),
    );
    await delay(30); // a Node timer fires although the task always has work
    stop = true;
    await busy;
    expect(steps).toBeGreaterThan(0);
    expect(reactor.stats.turns).toBeGreaterThan(1);
  });

  it('fails only the task that throws; the others go on', async () => {
    const reactor = newReactor();
    const failing = reactor.run(
      (function* () {
        yield true;
        throw new Error('peer failed');
      })(),
    );
    const healthy = reactor.run(
      (function* () {
        yield true;
        yield true;
        return 'ok';
      })(),
    );
    await expect(failing).rejects.toThrow('peer failed');
    await expect(healthy).resolves.toBe('ok');
    expect(reactor.taskCount).toBe(0);
  });

  it('stop() cancels tasks (their finally blocks run) and timers', async () => {
    const reactor = newReactor();
    let cleaned = false;
    const task = reactor.spawn(
      (function* () {
        try {
          reactor.setTimer(60_000, () => {});
          for (;;) yield NOT_YET;
        } finally {
          cleaned = true;
        }
      })(),
    );
    await delay(10);
    expect(reactor.timerCount).toBe(1);
    reactor.stop();
    expect(cleaned).toBe(true);
    expect(reactor.timerCount).toBe(0);
    await expect(task.done).rejects.toThrow(/stopped/);
  });

  it('publishes ExaBGP per-pass budgets as settings', () => {
    expect(newReactor().settings).toMatchObject({ inboundPerPass: 1, outboundPerPass: 25 });
    expect(newReactor({ outboundPerPass: 100 }).settings.outboundPerPass).toBe(100);
  });
});

describe('Reactor timers (HoldTimer, KeepaliveTimer, ConnectRetryTimer run on them)', () => {
  it('fires a timer on time and wakes the task that set it', async () => {
    const reactor = newReactor();
    const started = performance.now();
    const firedAt = await reactor.run(
      (function* () {
        let fired = 0;
        reactor.setTimer(100, () => {
          fired = performance.now();
        });
        while (fired === 0) yield NOT_YET;
        return fired;
      })(),
    );
    expect(firedAt - started).toBeGreaterThanOrEqual(99);
    expect(reactor.stats.timersFired).toBe(1);
  });

  it('restart() moves a deadline later or earlier; cancel() disarms', async () => {
    const reactor = new ManualClockReactor();
    reactors.push(reactor);
    const fired: string[] = [];
    const hold = reactor.setTimer(90_000, () => fired.push('hold'));
    const keepalive = reactor.setTimer(30_000, () => fired.push('keepalive'));
    const retry = reactor.setTimer(120_000, () => fired.push('retry'));
    hold.restart(10_000); // earlier
    keepalive.restart(100_000); // later
    retry.cancel();
    expect([hold.active, keepalive.active, retry.active]).toEqual([true, true, false]);
    reactor.time = 50_000;
    await reactor.run((function* () {})());
    expect(fired).toEqual(['hold']);
    reactor.time = 200_000;
    await reactor.run((function* () {})());
    expect(fired).toEqual(['hold', 'keepalive']);
    expect(reactor.timerCount).toBe(0);
  });

  it('fires timers in deadline order, equal deadlines in the order they were set (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            delay: fc.integer({ min: 0, max: 50 }),
            restart: fc.option(fc.integer({ min: 0, max: 50 })),
            cancel: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        async (plans) => {
          const reactor = new ManualClockReactor();
          const fired: number[] = [];
          const timers = plans.map((plan, i) => reactor.setTimer(plan.delay, () => fired.push(i)));
          const expected: { i: number; deadline: number; order: number }[] = [];
          let order = plans.length;
          plans.forEach((plan, i) => {
            const timer = timers[i];
            if (timer === undefined) return;
            let deadline = plan.delay;
            let setAt = i;
            if (plan.restart !== null) {
              timer.restart(plan.restart);
              deadline = plan.restart;
              setAt = order++;
            }
            if (plan.cancel) timer.cancel();
            else expected.push({ i, deadline, order: setAt });
          });
          reactor.time = 1000;
          await reactor.run((function* () {})());
          reactor.stop();
          expected.sort((a, b) => a.deadline - b.deadline || a.order - b.order);
          expect(fired).toEqual(expected.map((e) => e.i));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('Reactor task cancellation', () => {
  it('lets a task cancel itself: its generator closes after the current step', async () => {
    const reactor = newReactor();
    let closed = false;
    let task: ReactorTask | undefined;
    task = reactor.spawn(
      (function* () {
        try {
          yield true;
          task?.cancel(new Error('done with this peer'));
          yield true;
          throw new Error('not reached');
        } finally {
          closed = true;
        }
      })(),
    );
    await expect(task.done).rejects.toThrow('done with this peer');
    expect(closed).toBe(true);
  });

  it('fails the task that owns a timer whose callback throws, and runs its finally blocks', async () => {
    const reactor = newReactor();
    let closed = false;
    const task = reactor.spawn(
      (function* () {
        try {
          reactor.setTimer(1, () => {
            throw new Error('timer failed');
          });
          for (;;) yield NOT_YET;
        } finally {
          closed = true;
        }
      })(),
    );
    await expect(task.done).rejects.toThrow('timer failed');
    expect(closed).toBe(true);
  });
});
