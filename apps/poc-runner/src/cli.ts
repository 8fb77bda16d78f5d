#!/usr/bin/env node
import { relative } from 'node:path';
import { runSpeak } from 'bgp-speaker';
import { runEvaluation } from './evaluate.js';
import { HELP, parseRunOptions, UsageError } from './options.js';

/** `pnpm --filter poc-runner start [conformance|speak] ...`: see HELP. */
async function main(argv: string[]): Promise<number> {
  // pnpm passes a literal `--` through when given one; it separates nothing here.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  if (args[0] === 'conformance') {
    const specifier = './conformance-command.js';
    let command: { runConformanceCommand?: (argv: string[]) => Promise<number> };
    try {
      command = (await import(specifier)) as typeof command;
    } catch (error) {
      console.error(
        `conformance: the command is not available in this build (${(error as Error).message.split('\n')[0]})`,
      );
      return 1;
    }
    if (typeof command.runConformanceCommand !== 'function') {
      console.error('conformance: conformance-command.ts exports no runConformanceCommand');
      return 1;
    }
    return command.runConformanceCommand(args.slice(1));
  }
  if (args[0] === 'speak') return runSpeak(args.slice(1), 'speak');
  let options: ReturnType<typeof parseRunOptions>;
  try {
    options = parseRunOptions(args);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${HELP}`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    console.log(HELP);
    return 0;
  }
  const report = await runEvaluation(options);
  console.log('');
  for (const c of report.criteria) {
    const value =
      typeof c.measured === 'number'
        ? Number.isInteger(c.measured)
          ? String(c.measured)
          : c.measured.toFixed(3)
        : c.measured;
    console.log(`${c.verdict === 'pass' ? 'PASS' : 'FAIL'}  ${c.title}: ${value} ${c.unit} (threshold ${c.threshold})`);
  }
  console.log(`\nDecision: ${report.decision.verdict}`);
  for (const r of report.decision.reasons) console.log(`  - ${r}`);
  const dir = relative(process.cwd(), report.outputDir) || '.';
  console.log(`\nReport: ${dir}/report.md, report.json, report.html`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    // Sessions, reactors and child processes are all closed by now; exit without waiting for stray handles.
    process.exit(code);
  },
  (error: unknown) => {
    console.error(`poc-runner: the evaluation could not run: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
