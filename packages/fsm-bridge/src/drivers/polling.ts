/**
 * The polling bridge of PLAN.md step 4, kept as written because it is the baseline to measure: a generator
 * that, for each I/O, starts the transport-async promise and yields "WRITING" or "READING" while the task is
 * not done; a driver loop resumes it again and again until it is.
 *
 *     task = create_task(connection.writer_async(...))      const task = settle(io.send(effect));
 *     while not task.done(): yield "WRITING"                 while (!task.done) yield 'WRITING';
 *
 * The write task is AsyncIo.send: it settles once the transport has queued the bytes, not once the peer
 * read them, because an FSM that waits for room in the send buffer deadlocks two speakers streaming to each
 * other (backpressure reaches the producer through the ack instead, as in every driver).
 *
 * The plan's loop polls with `await asyncio.sleep(0)`, a busy spin that burns a core while a session is idle.
 * Ours is bounded: after IMMEDIATE_POLLS polls without progress it sleeps POLL_INTERVAL_MS between polls, so
 * an idle session costs about 1000 wakeups a second instead of a whole core, and a message that arrives
 * during a sleep waits for the next poll. Both costs are what the benchmark measures against the effect bridge.
 */
import type { IncomingConnection, Runner, RunnerHooks } from '../driver.js';
import type { Fsm, FsmEvent, FsmResult, State } from '../fsm.js';
import { AsyncIo } from './async-io.js';

/** Polls answered from the check phase (setImmediate) before the loop starts sleeping. */
export const IMMEDIATE_POLLS = 16;
/** Sleep between polls once the bridge is idle (Node timers have millisecond resolution). */
export const POLL_INTERVAL_MS = 1;

/** What the bridge yields: an I/O still in progress, or the state the FSM moved to (the plan's yields). */
export type BridgeStep = 'WRITING' | 'READING' | State;

interface Settled<T> {
  done: boolean;
  value: T | undefined;
  error: unknown;
}

function settle<T>(promise: Promise<T>): Settled<T> {
  const task: Settled<T> = { done: false, value: undefined, error: undefined };
  promise.then(
    (value) => {
      task.done = true;
      task.value = value;
    },
    (error: unknown) => {
      task.done = true;
      task.error = error ?? new Error('rejected');
    },
  );
  return task;
}

/** How many I/O operations the bridge completed: the driver loop's sign of progress. */
export interface BridgeProgress {
  completed: number;
}

/** The plan's generator: the FSM's effects, each I/O polled until its promise settles. */
export function* pollingBridge(
  fsm: Fsm,
  io: AsyncIo,
  progress: BridgeProgress = { completed: 0 },
): Generator<BridgeStep, FsmResult, undefined> {
  let input: FsmEvent | undefined;
  try {
    for (;;) {
      const step = fsm.next(input);
      input = undefined;
      if (step.done) return step.value;
      const effect = step.value;
      switch (effect.kind) {
        case 'send': {
          const task = settle(io.send(effect));
          while (!task.done) yield 'WRITING';
          progress.completed++;
          break;
        }
        case 'receive': {
          const task = settle(io.nextEvent());
          while (!task.done) yield 'READING';
          progress.completed++;
          if (task.error !== undefined) throw task.error;
          input = task.value;
          break;
        }
        case 'state':
          io.observe(effect);
          yield effect.to;
          break;
        case 'start-timer':
          io.startTimer(effect.name, effect.seconds, effect.id);
          break;
        case 'stop-timer':
          io.stopTimer(effect.name);
          break;
        case 'connect':
          io.connect();
          break;
        case 'close':
          io.drop(true);
          break;
        default:
          io.observe(effect);
      }
    }
  } finally {
    io.finish(true);
    fsm.return({ reason: 'stopped' });
  }
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface PollingStats {
  /** Times the driver loop resumed the bridge. */
  polls: number;
  /** Polls that found the I/O still pending. */
  idlePolls: number;
}

export class PollingRunner implements Runner {
  readonly done: Promise<FsmResult>;
  readonly stats: PollingStats = { polls: 0, idlePolls: 0 };
  private readonly io: AsyncIo;
  private readonly bridge: Generator<BridgeStep, FsmResult, undefined>;
  private readonly progress: BridgeProgress = { completed: 0 };
  private destroyed = false;

  constructor(fsm: Fsm, hooks: RunnerHooks) {
    this.io = new AsyncIo(hooks);
    this.bridge = pollingBridge(fsm, this.io, this.progress);
    this.done = this.drive();
    this.done.catch(() => {});
  }

  post(event: FsmEvent): void {
    this.io.post(event);
  }

  adopt(connection: IncomingConnection): void {
    this.io.adopt(connection);
  }

  pauseReading(paused: boolean): void {
    this.io.pauseReading(paused);
  }

  destroy(): void {
    this.destroyed = true;
    this.io.finish(false);
  }

  /**
   * The plan's driver loop, bounded: never a spin without a sleep once idle. Polls that follow progress (an
   * I/O completed since the last one) come from the check phase at once; only a bridge that made no progress
   * for IMMEDIATE_POLLS polls in a row is put to sleep.
   */
  private async drive(): Promise<FsmResult> {
    let pending = 0;
    let completed = this.progress.completed;
    try {
      for (;;) {
        if (this.destroyed) return { reason: 'stopped' };
        this.stats.polls++;
        const step = this.bridge.next();
        if (step.done) return step.value;
        if (this.progress.completed !== completed) {
          completed = this.progress.completed;
          pending = 0;
        }
        if (step.value === 'WRITING' || step.value === 'READING') {
          this.stats.idlePolls++;
          pending++;
          await (pending <= IMMEDIATE_POLLS ? immediate() : sleep(POLL_INTERVAL_MS));
        }
      }
    } finally {
      this.bridge.return({ reason: 'stopped' });
    }
  }
}
