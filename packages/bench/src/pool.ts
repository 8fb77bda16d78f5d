import { WorkerProcess } from './child.js';
import type { DriverName } from './driver.js';

/** A sender and a receiver process for one mode, kept for a whole run (start-up is paid once). */
export interface WorkerPair {
  readonly mode: DriverName;
  readonly tx: WorkerProcess;
  readonly rx: WorkerProcess;
}

export class WorkerPool {
  private readonly pairs = new Map<DriverName, Promise<WorkerPair>>();

  get(mode: DriverName): Promise<WorkerPair> {
    let pair = this.pairs.get(mode);
    if (!pair) {
      pair = Promise.all([WorkerProcess.start(), WorkerProcess.start()]).then(([tx, rx]) => ({ mode, tx, rx }));
      this.pairs.set(mode, pair);
    }
    return pair;
  }

  /** Replace a pair whose process died or hung (the next get() starts a fresh one). */
  async discard(mode: DriverName): Promise<void> {
    const pair = this.pairs.get(mode);
    this.pairs.delete(mode);
    if (!pair) return;
    const p = await pair.catch(() => undefined);
    p?.tx.kill();
    p?.rx.kill();
  }

  async close(): Promise<void> {
    const all = [...this.pairs.values()];
    this.pairs.clear();
    await Promise.all(
      all.map(async (pair) => {
        const p = await pair.catch(() => undefined);
        if (p) await Promise.all([p.tx.stop(), p.rx.stop()]);
      }),
    );
  }
}
