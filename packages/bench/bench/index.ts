/**
 * `pnpm --filter bench bench [--quick] [--repetitions N] [--modes a,b] [--only id,id] [--no-strace] [--json FILE]`:
 * the session scenarios on their own, every mode interleaved, printed as a table.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { allScenarios, type DriverName, formatTable, MODES, runBenchmark } from '../src/index.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    repetitions: { type: 'string' },
    modes: { type: 'string' },
    only: { type: 'string' },
    'no-strace': { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`bench [--quick] [--repetitions N (default 5)] [--modes ${[...MODES, 'raw-net'].join(',')}]
      [--only scenario,...] [--no-strace] [--json FILE]`);
  process.exit(0);
}
const scale = values.quick ? 'quick' : 'full';
const only = values.only?.split(',');
const scenarios = allScenarios(scale).filter((s) => !only || only.includes(s.id));
const modes = (values.modes?.split(',') ?? [...MODES]) as DriverName[];
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
