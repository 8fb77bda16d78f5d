/**
 * Session churn, every driver: sessions started, established and stopped one after another on one shared
 * driver (one reactor for `sync`) leave nothing behind. The heap after a full GC may not grow with the
 * number of cycles (PLAN.md step 8: connect/disconnect cycles, no growth trend).
 *
 * The bound is generous: Node's own socket bookkeeping and the JIT's deoptimization data cost a few hundred
 * bytes per cycle, and 300 cycles measure them to within about a kilobyte per cycle. What it catches is a
 * session's objects kept alive: closed connections held until the transport's close timeout (each cycle's
 * two sockets, Connections and FrameParsers, and the listener) came to 8 to 12 KB per cycle.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createDriver } from '../src/drivers/index.js';
import { type Session, startSession } from '../src/session.js';
import { DRIVERS, localConfig } from './helpers.js';

const WARM_UP = 200;
const CYCLES = 300;
const BOUND_BYTES_PER_CYCLE = 3072;

/** A full GC: --expose-gc switched on at run time (vitest's workers start without it). */
function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Heap in use after a full GC, compiled code left out: the JIT compiles the session's code paths during the
 * first hundreds of cycles, which is not memory a session holds.
 */
function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return v8
    .getHeapSpaceStatistics()
    .filter((space) => !space.space_name.startsWith('code_'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

describe.each(DRIVERS)('driver %s: session churn', (name) => {
  it(`${CYCLES} sessions started, established and stopped one after another: the heap after GC does not grow (<= ${BOUND_BYTES_PER_CYCLE} B per cycle)`, async () => {
    const gc = gcFunction();
    const driver = createDriver(name);
    let cycle = 0;
    const once = async (): Promise<void> => {
      cycle++;
      const passive: Session = await startSession(
        localConfig({ localAs: 65002, peerAs: 65001, routerId: '10.0.0.2', passive: true, listen: true }),
        { driver },
      );
      const active = await startSession(localConfig({ peerPort: passive.listenPort, routerId: '10.0.0.1' }), {
        driver,
      });
      try {
        await Promise.all([active.established(), passive.established()]);
      } catch (error) {
        throw new Error(`cycle ${cycle}: ${(error as Error).message}`);
      } finally {
        await active.stop();
        await passive.stop();
      }
    };
    try {
      for (let i = 0; i < WARM_UP; i++) await once();
      const before = heapAfterGc(gc);
      for (let i = 0; i < CYCLES; i++) await once();
      const perCycle = (heapAfterGc(gc) - before) / CYCLES;
      console.log(`driver ${name}: heap after GC grew ${perCycle.toFixed(0)} B per cycle over ${CYCLES} cycles`);
      expect(perCycle).toBeLessThanOrEqual(BOUND_BYTES_PER_CYCLE);
    } finally {
      driver.close();
    }
  }, 120_000);
});
