import v8 from 'node:v8';

/** What one process spent during a measured window, measured from inside it. */
export interface ProcessWindow {
  readonly wallSeconds: number;
  /** process.cpuUsage(): user and system CPU seconds of the whole process (all threads). */
  readonly userSeconds: number;
  readonly systemSeconds: number;
  readonly rssBytes: number;
  /** heapUsed after a full GC at the end of the window (needs --expose-gc; NaN without). */
  readonly heapAfterGcBytes: number;
  /** heapUsed after a full GC at the start of the window. */
  readonly heapBeforeBytes: number;
  /**
   * Bytes allocated on the V8 heap in the window: the heap growth between consecutive GCs as V8's
   * GCProfiler reports them (used size before each GC minus used size after the previous one), plus the
   * growth after the last GC. Exact to V8's accounting; excludes off-heap Buffers (see externalBytes).
   */
  readonly allocatedBytes: number;
  readonly gcCount: number;
  /** ArrayBuffer/Buffer memory outside the V8 heap at the end. */
  readonly externalBytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Open a window: full GC, then CPU, heap and a GCProfiler start. */
export class MeasureWindow {
  private readonly cpu: NodeJS.CpuUsage;
  private readonly at: bigint;
  private readonly heapBefore: number;
  private readonly profiler = new v8.GCProfiler();

  constructor() {
    gc?.();
    this.heapBefore = process.memoryUsage().heapUsed;
    this.cpu = process.cpuUsage();
    this.at = process.hrtime.bigint();
    this.profiler.start();
  }

  close(): ProcessWindow {
    const heapEnd = process.memoryUsage().heapUsed;
    const profile = this.profiler.stop();
    const cpu = process.cpuUsage(this.cpu);
    const wallSeconds = Number(process.hrtime.bigint() - this.at) / 1e9;
    let allocated = 0;
    let lastAfter = this.heapBefore;
    for (const entry of profile?.statistics ?? []) {
      allocated += Math.max(0, entry.beforeGC.heapStatistics.usedHeapSize - lastAfter);
      lastAfter = entry.afterGC.heapStatistics.usedHeapSize;
    }
    allocated += Math.max(0, heapEnd - lastAfter);
    gc?.();
    const memory = process.memoryUsage();
    return {
      wallSeconds,
      userSeconds: cpu.user / 1e6,
      systemSeconds: cpu.system / 1e6,
      rssBytes: memory.rss,
      heapAfterGcBytes: gc ? memory.heapUsed : Number.NaN,
      heapBeforeBytes: this.heapBefore,
      allocatedBytes: allocated,
      gcCount: profile?.statistics.length ?? 0,
      externalBytes: memory.external + memory.arrayBuffers,
    };
  }
}
