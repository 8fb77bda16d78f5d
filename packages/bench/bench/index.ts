/**
 * `pnpm --filter bench bench [--quick] [--repetitions N] [--modes a,b] [--only id,id] [--no-strace] [--json FILE]`:
 * the session scenarios on their own, every mode interleaved, printed as a table.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  allScenarios,
  type DriverName,
  exabgpAvailability,
  exabgpBulk,
  exabgpIdle,
  formatTable,
  MODES,
  runBenchmark,
} from '../src/index.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    repetitions: { type: 'string' },
    modes: { type: 'string' },
    only: { type: 'string' },
    'no-strace': { type: 'boolean', default: false },
    'no-exabgp': { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`bench [--quick] [--repetitions N (default 5)] [--modes ${[...MODES, 'raw-net'].join(',')}]
      [--only scenario,...] [--no-strace] [--no-exabgp] [--json FILE]
Modes also accept fsm-sync (the FSM on the sync reactor) and raw-net (Node socket + FrameParser, no transport).`);
  process.exit(0);
}
const scale = values.quick ? 'quick' : 'full';
const only = values.only?.split(',');
const scenarios = allScenarios(scale).filter((s) => !only || only.includes(s.id));
const modes = (values.modes?.split(',') ?? [...MODES, 'fsm-sync']) as DriverName[];
const result = await runBenchmark({
  scenarios,
  modes,
  repetitions: Number(values.repetitions ?? 5),
  scale,
  strace: !values['no-strace'],
  progress: (line) => console.error(line),
});
console.log(formatTable(result));
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));

// ExaBGP 4.2 as a black box beside our modes, when installed.
if (!values['no-exabgp']) {
  const exabgp = exabgpAvailability();
  if (!exabgp.ok) console.log(`\nExaBGP: not measured: ${exabgp.reason}`);
  else {
    const routes = values.quick ? 20_000 : 200_000;
    const bulkRun = await exabgpBulk({ routes, holdTime: 3, timeoutMs: 180_000, receiver: 'sync' }).catch(
      (e: Error) => e,
    );
    console.log(`\nExaBGP ${exabgp.version} bulk send of ${routes} routes to our sync receiver:`);
    console.log(bulkRun instanceof Error ? `  failed: ${bulkRun.message}` : JSON.stringify(bulkRun, null, 2));
    const sessions = values.quick ? 10 : 100;
    const idleRun = await exabgpIdle({
      sessions,
      seconds: values.quick ? 2 : 10,
      timeoutMs: 60_000,
      receiver: 'sync',
    }).catch((e: Error) => e);
    console.log(`ExaBGP ${exabgp.version} idle with ${sessions} sessions:`);
    console.log(idleRun instanceof Error ? `  failed: ${idleRun.message}` : JSON.stringify(idleRun, null, 2));
  }
}
