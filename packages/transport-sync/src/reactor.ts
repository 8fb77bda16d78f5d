/*
 * The reactor: ExaBGP's main loop (reactor/loop.py) in Node.
 *
 * ExaBGP runs every peer's generator once per pass. A peer answers ACTION.NOW (it made progress, run it
 * again) or ACTION.LATER (it waits for its socket); LATER peers leave the run set and their sockets go to
 * select()/poll(), which sleeps until a socket is ready or the next timer is due and puts the ready peers
 * back into the run set.
 *
 * Node has no select() to call: libuv's epoll_wait is the event loop itself. So "waiting" here means
 * returning to the event loop with nothing scheduled. A socket that becomes ready ('readable', 'drain',
 * 'connect', 'end', 'close', 'error') calls wake() on the task that last found it not ready, which puts the
 * task back into the run set and schedules one turn with setImmediate: the turn runs in the check phase,
 * right after the poll phase that delivered the readiness events, so every socket that became ready in the
 * same epoll_wait is served by the same turn, as with one select() returning several descriptors. The next
 * timer is one Node timeout, armed only while the reactor waits. An idle reactor therefore has no timer,
 * no immediate and no polling: it costs nothing until the kernel reports something.
 *
 * A turn runs passes while some task made progress, then gives the event loop a turn (setImmediate) so
 * sockets can deliver more bytes and drain their write queues: ExaBGP's select() with a zero timeout.
 * What a turn wrote is sent when it ends (see atTurnEnd): one system call per connection per turn, not
 * one per pass, unless a socket's send buffer fills first.
 */
import { NOT_YET } from './readiness.js';

/** What a task yields: NOT_YET when it waits (ACTION.LATER); anything else means it made progress (ACTION.NOW). */
export type TaskStep = unknown;

/** A peer's work as the reactor sees it: each `next()` is one pass of bounded work. */
export type ReactorTaskIterator<T> = Iterator<TaskStep, T, undefined>;

export interface ReactorSettings {
  /** Messages a peer reads per pass (ExaBGP: 1). The reactor publishes it; peers apply it. */
  inboundPerPass: number;
  /** Messages a peer writes per pass (ExaBGP: 25). The reactor publishes it; peers apply it. */
  outboundPerPass: number;
  /** Longest run of passes before the event loop gets a turn, in milliseconds. */
  turnMs: number;
}

export const DEFAULT_REACTOR_SETTINGS: Readonly<ReactorSettings> = {
  inboundPerPass: 1,
  outboundPerPass: 25,
  turnMs: 2,
};

export interface ReactorStats {
  /** Passes over the run set. */
  passes: number;
  /** Event-loop turns the reactor took (each is one setImmediate). */
  turns: number;
  /** Times the reactor found no work and returned to the event loop to wait. */
  waits: number;
  /** Timer callbacks run. */
  timersFired: number;
  /** Task steps run. */
  steps: number;
}

/** One task of the reactor, usually one peer. */
export class ReactorTask<T = unknown> {
  /** Settles when the task's generator returns (its value) or throws. */
  readonly done: Promise<T>;
  finished = false;
  /** In the run set of the next pass. */
  queued = false;
  /** @internal Set while the generator runs a step. */
  running = false;
  /** @internal A cancel asked for by the task itself, applied after its step. */
  cancelReason: { reason: unknown } | undefined;
  private resolve!: (value: unknown) => void;
  private reject!: (error: unknown) => void;

  constructor(
    readonly reactor: Reactor,
    readonly iterator: ReactorTaskIterator<T>,
    readonly name: string,
  ) {
    this.done = new Promise<T>((resolve, reject) => {
      this.resolve = resolve as (value: unknown) => void;
      this.reject = reject;
    });
    // A task nobody awaits must not become an unhandled rejection; awaiting `done` still sees the error.
    this.done.catch(() => {});
  }

  /** Put the task back into the run set: something it waits for is ready. Cheap and idempotent. */
  wake(): void {
    if (this.finished || this.queued) return;
    this.queued = true;
    this.reactor.enqueue(this as ReactorTask);
  }

  /**
   * Stop the task: its generator's `finally` blocks run, `done` rejects with `reason`. A task may cancel
   * itself: the generator is then closed as soon as its current step ends.
   */
  cancel(reason: unknown = new Error(`task ${this.name} cancelled`)): void {
    if (this.finished) return;
    if (this.running) {
      this.cancelReason ??= { reason };
      return;
    }
    try {
      this.iterator.return?.(undefined as T);
    } finally {
      this.settle(false, reason);
    }
  }

  /** @internal */
  settle(ok: boolean, value: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.reactor.forget(this as ReactorTask);
    if (ok) this.resolve(value);
    else this.reject(value);
  }
}

/** A reactor timer: runs its callback in a pass once its deadline is reached. */
export class ReactorTimer {
  /** Position in the reactor's heap, -1 when not armed. */
  heapIndex = -1;
  deadline = 0;
  /** Creation order, so timers with one deadline fire in the order they were set. */
  sequence = 0;

  constructor(
    private readonly reactor: Reactor,
    private readonly callback: () => void,
    /** The task that set the timer; it is woken after the callback runs. */
    readonly owner: ReactorTask | undefined,
  ) {}

  get active(): boolean {
    return this.heapIndex >= 0;
  }

  /** Fire `delayMs` from now instead (a hold timer restarted by a KEEPALIVE). */
  restart(delayMs: number): void {
    this.reactor.armTimer(this, delayMs);
  }

  cancel(): void {
    this.reactor.disarmTimer(this);
  }

  /** @internal */
  fire(): void {
    this.callback();
    this.owner?.wake();
  }
}

export class Reactor {
  readonly settings: ReactorSettings;
  readonly stats: ReactorStats = { passes: 0, turns: 0, waits: 0, timersFired: 0, steps: 0 };
  /** The task whose step is running; sockets it finds not ready remember it to wake it later. */
  current: ReactorTask | undefined;
  private readonly tasks = new Set<ReactorTask>();
  /** The run set of the next pass: runSet[0, runCount). Two arrays take turns, so a pass allocates nothing. */
  private runSet: (ReactorTask | undefined)[] = [];
  private runCount = 0;
  private spare: (ReactorTask | undefined)[] = [];
  private readonly heap: ReactorTimer[] = [];
  private timerSequence = 0;
  /** Work to finish before the event loop gets control back: corked sockets to flush, once per turn. */
  private readonly turnEnd: (() => void)[] = [];
  private turnScheduled = false;
  private inTurn = false;
  private nodeTimer: NodeJS.Timeout | undefined;
  private nodeTimerDeadline = Number.POSITIVE_INFINITY;
  private stopped = false;
  private readonly runTurn = (): void => this.turn();
  private readonly onNodeTimer = (): void => {
    this.nodeTimer = undefined;
    this.nodeTimerDeadline = Number.POSITIVE_INFINITY;
    this.scheduleTurn();
  };

  constructor(settings: Partial<ReactorSettings> = {}) {
    this.settings = { ...DEFAULT_REACTOR_SETTINGS, ...settings };
  }

  /** Monotonic milliseconds, the clock of the reactor's timers. */
  now(): number {
    return performance.now();
  }

  /** Tasks not finished yet. */
  get taskCount(): number {
    return this.tasks.size;
  }

  /** Timers armed. */
  get timerCount(): number {
    return this.heap.length;
  }

  /**
   * Give the reactor a task (a peer's generator). It runs from the next pass on; `done` settles with the
   * generator's return value or error. A generator that yields NOT_YET waits until a socket it used or a
   * timer it set wakes it; any other yielded value means it made progress and runs again next pass.
   */
  spawn<T>(iterator: ReactorTaskIterator<T>, name = 'task'): ReactorTask<T> {
    if (this.stopped) throw new Error('the reactor is stopped');
    const task = new ReactorTask<T>(this, iterator, name);
    this.tasks.add(task as ReactorTask);
    task.wake();
    return task;
  }

  /** Run `iterator` as a task and wait for its result: the way code outside the reactor uses a generator. */
  run<T>(iterator: ReactorTaskIterator<T>, name?: string): Promise<T> {
    return this.spawn(iterator, name).done;
  }

  /** A timer owned by the running task (if any), which is woken after `callback` runs. */
  setTimer(delayMs: number, callback: () => void): ReactorTimer {
    const timer = new ReactorTimer(this, callback, this.current);
    this.armTimer(timer, delayMs);
    return timer;
  }

  /** A timer that is not armed yet (`restart` arms it): for timers set up before they are started. */
  createTimer(callback: () => void, owner: ReactorTask | undefined = this.current): ReactorTimer {
    return new ReactorTimer(this, callback, owner);
  }

  /**
   * Run `flush` once the running turn's passes are over, before the event loop gets control back; false
   * outside a turn. A connection corks its socket for the turn, so the messages a peer writes over many
   * passes leave in one system call when the turn yields (one write per pass cost the sender half its CPU
   * in write(2)). The passes, their budgets and the order of bytes are unchanged; bytes leave at most one
   * turn (turnMs) later.
   */
  atTurnEnd(flush: () => void): boolean {
    if (!this.inTurn) return false;
    this.turnEnd.push(flush);
    return true;
  }

  /** Cancel every task and timer; the reactor cannot be used afterwards. */
  stop(): void {
    this.stopped = true;
    for (const task of [...this.tasks]) task.cancel(new Error('the reactor stopped'));
    while (this.heap.length > 0) this.disarmTimer(this.heap[0] as ReactorTimer);
    if (this.nodeTimer) clearTimeout(this.nodeTimer);
    this.nodeTimer = undefined;
  }

  /** @internal */
  enqueue(task: ReactorTask): void {
    this.runSet[this.runCount++] = task;
    this.scheduleTurn();
  }

  /** @internal */
  forget(task: ReactorTask): void {
    this.tasks.delete(task);
  }

  /** @internal */
  armTimer(timer: ReactorTimer, delayMs: number): void {
    if (this.stopped) return;
    timer.deadline = this.now() + Math.max(0, delayMs);
    timer.sequence = this.timerSequence++;
    if (timer.heapIndex < 0) {
      timer.heapIndex = this.heap.length;
      this.heap.push(timer);
    }
    // The deadline may have moved either way.
    this.siftUp(timer.heapIndex);
    this.siftDown(timer.heapIndex);
    // Only a waiting reactor needs a Node timeout; a running one checks its heap at every pass.
    if (!this.turnScheduled && !this.inTurn) this.armNodeTimer();
  }

  /** @internal */
  disarmTimer(timer: ReactorTimer): void {
    const at = timer.heapIndex;
    if (at < 0) return;
    const last = this.heap.pop() as ReactorTimer;
    timer.heapIndex = -1;
    if (last !== timer) {
      this.heap[at] = last;
      last.heapIndex = at;
      this.siftUp(at);
      this.siftDown(last.heapIndex);
    }
  }

  private scheduleTurn(): void {
    // A task woken during a turn is in the run set already; the turn itself decides what comes next.
    if (this.turnScheduled || this.inTurn || this.stopped) return;
    this.turnScheduled = true;
    setImmediate(this.runTurn);
  }

  private turn(): void {
    this.turnScheduled = false;
    if (this.stopped) return;
    this.stats.turns++;
    this.inTurn = true;
    let now = this.now();
    const until = now + this.settings.turnMs;
    try {
      for (;;) {
        this.runDueTimers(now);
        if (this.runCount === 0) break;
        this.pass();
        now = this.now();
        if (now >= until) break;
      }
    } finally {
      this.flushTurn();
      this.inTurn = false;
    }
    // Still work to do: let the event loop move bytes first, then carry on (select with a zero timeout).
    if (this.runCount > 0) this.scheduleTurn();
    else this.wait();
  }

  private flushTurn(): void {
    const flushes = this.turnEnd;
    for (let i = 0; i < flushes.length; i++) {
      try {
        (flushes[i] as () => void)();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    flushes.length = 0;
  }

  /** Nothing is ready: return to the event loop until a socket event or the next timer. */
  private wait(): void {
    this.stats.waits++;
    this.armNodeTimer();
  }

  private armNodeTimer(): void {
    const next = this.heap[0];
    if (next === undefined) {
      if (this.nodeTimer) clearTimeout(this.nodeTimer);
      this.nodeTimer = undefined;
      this.nodeTimerDeadline = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.nodeTimer && this.nodeTimerDeadline <= next.deadline) return;
    if (this.nodeTimer) clearTimeout(this.nodeTimer);
    this.nodeTimerDeadline = next.deadline;
    // Node timeouts have millisecond resolution and may fire a little early; a turn that finds the timer
    // not due yet simply waits again.
    this.nodeTimer = setTimeout(this.onNodeTimer, Math.max(0, Math.ceil(next.deadline - this.now())));
  }

  private pass(): void {
    this.stats.passes++;
    const run = this.runSet;
    const count = this.runCount;
    this.runSet = this.spare;
    this.runCount = 0;
    for (let i = 0; i < count; i++) {
      const task = run[i] as ReactorTask;
      run[i] = undefined;
      task.queued = false;
      if (task.finished) continue;
      this.current = task;
      this.stats.steps++;
      task.running = true;
      try {
        const result = task.iterator.next();
        task.running = false;
        if (task.cancelReason) task.cancel(task.cancelReason.reason);
        else if (result.done) task.settle(true, result.value);
        else if (result.value !== NOT_YET) task.wake();
      } catch (error) {
        task.running = false;
        task.settle(false, error);
      }
    }
    this.current = undefined;
    this.spare = run;
  }

  private runDueTimers(now: number): void {
    if (this.heap.length === 0) return;
    for (let timer = this.heap[0]; timer !== undefined && timer.deadline <= now; timer = this.heap[0]) {
      this.disarmTimer(timer);
      this.stats.timersFired++;
      this.current = timer.owner;
      try {
        timer.fire();
      } catch (error) {
        // A timer belongs to its task: the task fails with the error, the reactor carries on.
        if (timer.owner) timer.owner.cancel(error);
        else
          queueMicrotask(() => {
            throw error;
          });
      } finally {
        this.current = undefined;
      }
    }
  }

  private less(a: ReactorTimer, b: ReactorTimer): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.sequence < b.sequence);
  }

  private siftUp(at: number): void {
    const heap = this.heap;
    const timer = heap[at] as ReactorTimer;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = heap[parentAt] as ReactorTimer;
      if (!this.less(timer, parent)) break;
      heap[at] = parent;
      parent.heapIndex = at;
      at = parentAt;
    }
    heap[at] = timer;
    timer.heapIndex = at;
  }

  private siftDown(at: number): void {
    const heap = this.heap;
    const size = heap.length;
    const timer = heap[at] as ReactorTimer;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && this.less(heap[right] as ReactorTimer, heap[left] as ReactorTimer)) child = right;
      const smallest = heap[child] as ReactorTimer;
      if (!this.less(smallest, timer)) break;
      heap[at] = smallest;
      smallest.heapIndex = at;
      at = child;
    }
    heap[at] = timer;
    timer.heapIndex = at;
  }
}
