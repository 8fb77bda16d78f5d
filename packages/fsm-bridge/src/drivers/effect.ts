/**
 * The effect bridge: an async loop performs each effect the FSM yields with transport-async and resumes the
 * generator with the result. It is also the `async` driver (see driver.ts).
 *
 * Fairness has to be put back by hand: an `await` on a promise that is already resolved (a framed message,
 * a write the socket took at once) continues in a microtask, and microtasks run before any timer or socket
 * event. A session streaming routes would keep every other session's KeepaliveTimer from firing. So the
 * loop gives the event loop a turn (setImmediate) once it has run for SLICE_MS without waiting.
 */
import type { IncomingConnection, Runner, RunnerHooks } from '../driver.js';
import type { Fsm, FsmEvent, FsmResult } from '../fsm.js';
import { AsyncIo } from './async-io.js';

export const SLICE_MS = 2;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class EffectRunner implements Runner {
  readonly done: Promise<FsmResult>;
  private readonly io: AsyncIo;
  private destroyed = false;

  constructor(
    private readonly fsm: Fsm,
    hooks: RunnerHooks,
  ) {
    this.io = new AsyncIo(hooks);
    this.done = this.run();
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
    this.io.post({ kind: 'stop' });
  }

  private async run(): Promise<FsmResult> {
    const io = this.io;
    let input: FsmEvent | undefined;
    let sliceStart = performance.now();
    let waits = io.waits;
    try {
      for (;;) {
        if (this.destroyed) return { reason: 'stopped' };
        const step = this.fsm.next(input);
        input = undefined;
        if (step.done) return step.value;
        const effect = step.value;
        switch (effect.kind) {
          case 'receive':
            if (io.waits !== waits) {
              waits = io.waits;
              sliceStart = performance.now();
            } else if (performance.now() - sliceStart > SLICE_MS) {
              await turn();
              sliceStart = performance.now();
            }
            input = await io.nextEvent();
            break;
          case 'send':
            await io.send(effect);
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
      this.fsm.return({ reason: 'stopped' });
    }
  }
}
