/**
 * Parse-time benchmark: generated configurations of 100,000 and 1,000,000 routes, and of 100, 1,000 and
 * 10,000 neighbors. Prints wall time (median of the runs), throughput, and for neighbors the time per
 * neighbor relative to the 100-neighbor run (1.0 = linear).
 *
 *   pnpm --filter exabgp-config-parser bench
 */

import { parseConfiguration } from '../src/index.js';
import { generateNeighborsConfig, generateRoutesConfig } from './generate.js';
import { formatMs, time } from './timing.js';
import { benchWire } from './wire.js';

function routes(count: number, runs: number): void {
  const text = generateRoutesConfig({ routes: count, blockShare: 0.1 });
  const timing = time(() => parseConfiguration(text, `routes-${count}.conf`), runs);
  const parsed = parseConfiguration(text, 'check.conf').neighbors[0]!.routes.length;
  if (parsed !== count) throw new Error(`parsed ${parsed} routes, expected ${count}`);
  const rate = Math.round(count / (timing.medianMs / 1000));
  console.log(
    `parse ${count.toLocaleString('en')} routes (${(text.length / 1e6).toFixed(1)} MB): ${formatMs(timing.medianMs)} ` +
      `median of ${runs} [${formatMs(timing.minMs)} .. ${formatMs(timing.maxMs)}], ${rate.toLocaleString('en')} routes/s, ` +
      `CPU ${formatMs(timing.cpuMedianMs)}`,
  );
}

function neighbors(counts: number[], runs: number): void {
  // warm the parser up on a mid-size configuration, so the first (smallest) run is not the one compiling it
  const warm = generateNeighborsConfig({ neighbors: 1_000, routesPerNeighbor: 10 });
  for (let i = 0; i < 3; i++) parseConfiguration(warm, 'warm-up.conf');
  const largest = Math.max(...counts);
  let baseline: { wall: number; cpu: number } | undefined;
  for (const count of counts) {
    const text = generateNeighborsConfig({ neighbors: count, routesPerNeighbor: 10 });
    const parsed = parseConfiguration(text, 'check.conf').neighbors.length;
    if (parsed !== count) throw new Error(`parsed ${parsed} neighbors, expected ${count}`);
    // each sample parses as many neighbors in total as the largest run, so small runs are not lost in noise
    const repeat = Math.max(1, Math.round(largest / count));
    const timing = time(() => {
      let last: unknown;
      for (let k = 0; k < repeat; k++) last = parseConfiguration(text, `neighbors-${count}.conf`);
      return last;
    }, runs);
    const wall = (timing.medianMs * 1000) / (count * repeat);
    const cpu = (timing.cpuMedianMs * 1000) / (count * repeat);
    baseline ??= { wall, cpu };
    console.log(
      `parse ${count.toLocaleString('en')} neighbors x 10 routes (${(text.length / 1e6).toFixed(1)} MB, ` +
        `${repeat} parse(s) per sample, median of ${runs}): ${formatMs(timing.medianMs / repeat)} per parse, ` +
        `${wall.toFixed(1)} us/neighbor wall (x${(wall / baseline.wall).toFixed(2)}), ` +
        `${cpu.toFixed(1)} us/neighbor CPU (x${(cpu / baseline.cpu).toFixed(2)}) against the ` +
        `${counts[0]!.toLocaleString('en')}-neighbor run (x1.00 = linear)`,
    );
  }
}

console.log(`node ${process.version}, ${process.arch}`);
routes(100_000, 5);
routes(1_000_000, 3);
neighbors([100, 1_000, 10_000], 5);
// From configuration text to the UPDATE bytes ExaBGP would send (the 10 s target for 1,000,000 routes).
benchWire(100_000, 5);
benchWire(1_000_000, 3);
