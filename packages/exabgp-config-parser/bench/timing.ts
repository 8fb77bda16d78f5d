/**
 * Timing harness for parse benchmarks: run a step a few times, report the median and the spread of the
 * wall time, and the median CPU time of the process (all threads, so the parallel GC is included). On a
 * shared, loaded machine the CPU time moves less than the wall time; both are printed.
 * Reusable by the wire stage (parse + UPDATE generation) with the same generated configurations.
 */

export interface Timing {
  /** median wall time of the runs, milliseconds */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** median CPU time (user + system, every thread of the process) of the runs, milliseconds */
  cpuMedianMs: number;
  runs: number;
}

export function time(step: () => unknown, runs: number): Timing {
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = step();
    const end = process.hrtime.bigint();
    const cpuUsed = process.cpuUsage(cpuStart);
    // keep the result reachable until timed, so the work cannot be skipped
    if (result === undefined) throw new Error('benchmark step returned nothing');
    samples.push(Number(end - start) / 1e6);
    cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    medianMs: samples[Math.floor(samples.length / 2)]!,
    minMs: samples[0]!,
    maxMs: samples[samples.length - 1]!,
    cpuMedianMs: cpu[Math.floor(cpu.length / 2)]!,
    runs,
  };
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
