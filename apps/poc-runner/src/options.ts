import { parseArgs } from 'node:util';

export type StepId = 'structure' | 'sync' | 'async' | 'bridge' | 'messages' | 'benchmark' | 'config' | 'stress';
export const STEP_IDS: readonly StepId[] = [
  'structure',
  'sync',
  'async',
  'bridge',
  'messages',
  'benchmark',
  'config',
  'stress',
];

export interface RunOptions {
  /** Steps to run; the others are listed as not run. */
  readonly steps: readonly StepId[];
  readonly quick: boolean;
  readonly out: string | undefined;
  readonly configs: readonly string[];
  readonly peers: number;
  readonly repetitions: number;
  readonly strace: boolean;
  readonly exabgp: boolean;
}

export const HELP = `poc-runner: the eight-step sync vs async evaluation and its go/no-go report

Usage:
  pnpm --filter poc-runner start [options]           run the evaluation, write report.md/.json/.html
  pnpm --filter poc-runner start conformance ...     ExaBGP encoding conformance (see its --help)
  pnpm --filter poc-runner start speak FILE [--transport sync|async|bridge] [--exit-after-eor] [--print-received]
                                                     a BGP speaker run from an ExaBGP configuration file

Without a step option every step runs. Step options can be combined; the steps not asked for are listed
as not run in the report, and the criteria that need them are not measured (so the decision is NO-GO).

Options:
  --test sync        step 2: sync baseline, transport-sync over loopback TCP (OPEN, KEEPALIVE, UPDATE)
  --test async       step 3: the same exchange over transport-async
  --test bridge      step 4: the generator FSM over async I/O through the polling and the effect bridge:
                     states reached in order, every wait bounded, idle CPU of polling vs effect
  --test messages    step 5: every message type both ways, encoding identical to ExaBGP, error handling
                     (timeout, invalid message, reset) in every mode
  --benchmark        step 6: benchmark scenarios, modes interleaved, repeated (5 times, 2 with --quick)
  --config FILE      step 7: run FILE (an ExaBGP configuration) in every mode over loopback and check the
                     UPDATE and End-of-RIB bytes; repeatable. Default: fixtures/configs/poc-ipself6.conf and
                     ../shared/exabgp-qa/etc/exabgp/conf-ipself6.conf when present
  --stress           step 8: 1,000 connect/disconnect cycles with heap after GC, a 10,000+ message flood,
                     --peers concurrent sessions, malformed/truncated messages, resource exhaustion
  --peers N          concurrent sessions of the stress step (default 100, at least 50 for the plan)
  --quick            every step at small sizes, for CI (under 2 minutes)
  --repetitions N    benchmark repetitions per mode (default 5; at least 5 for the plan's figures)
  --no-strace        do not count system calls (strace slows the run)
  --no-exabgp        do not run the ExaBGP side-by-side scenarios even when exabgp is installed
  --out DIR          where the report goes (default apps/poc-runner/out/poc-report-<time>)
  -h, --help         this text

Exit code: 0 when the evaluation ran, whatever the decision (a NO-GO is a result); 1 when it could not run;
2 on bad usage.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseRunOptions(argv: string[]): RunOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      test: { type: 'string', multiple: true },
      benchmark: { type: 'boolean', default: false },
      config: { type: 'string', multiple: true },
      stress: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      peers: { type: 'string' },
      repetitions: { type: 'string' },
      'no-strace': { type: 'boolean', default: false },
      'no-exabgp': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const steps = new Set<StepId>();
  for (const t of values.test ?? []) {
    if (t !== 'sync' && t !== 'async' && t !== 'bridge' && t !== 'messages') {
      throw new UsageError(`--test takes sync, async, bridge or messages, not '${t}'`);
    }
    steps.add(t);
  }
  if (values.benchmark) steps.add('benchmark');
  if (values.config?.length) steps.add('config');
  if (values.stress) steps.add('stress');
  const peers = values.peers === undefined ? 100 : Number(values.peers);
  if (!Number.isInteger(peers) || peers < 1 || peers > 5000)
    throw new UsageError('--peers takes a whole number 1-5000');
  const repetitions = values.repetitions === undefined ? (values.quick ? 2 : 5) : Number(values.repetitions);
  if (!Number.isInteger(repetitions) || repetitions < 1 || repetitions > 100) {
    throw new UsageError('--repetitions takes a whole number 1-100');
  }
  // Step 1 (structure) always runs: every other step needs the packages it checks.
  const selected: StepId[] = steps.size === 0 ? [...STEP_IDS] : ['structure', ...STEP_IDS.filter((s) => steps.has(s))];
  return {
    steps: selected,
    quick: values.quick ?? false,
    out: values.out,
    configs: values.config ?? [],
    peers,
    repetitions,
    strace: !values['no-strace'],
    exabgp: !values['no-exabgp'],
  };
}
