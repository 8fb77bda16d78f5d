/**
 * `conformance [--corpus DIR] [--json FILE] [--live [MODE[,MODE]]] [--strict]`: ExaBGP's conformance corpus
 * against this project. Parsing (etc/exabgp/*.conf), encoding (qa/encoding/*.ci: what our speaker sends,
 * matched with the rules of ExaBGP's checker), decoding (qa/decoding/*: the codec's ExaBGP JSON), and the
 * json: lines of the encoding and API tests. With `--live`, every encoding test also runs over loopback TCP
 * between our speaker, driven by each MODE (sync, async, bridge; default all three), and a checking peer
 * (conformance-live.ts): one line per test and `conformance live MODE: encoding P/T` per mode. One line per
 * test; the last line is always `conformance: encoding P/T, decoding P/T, parsing P/T`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatReport, loadConfigurationFile, locateCorpus, runConformance } from 'exabgp-config-parser';
import {
  countLiveResults,
  formatLiveResults,
  LIVE_MODES,
  type LiveMode,
  type LiveResult,
  runLiveConformance,
} from './conformance-live.js';

const USAGE = `usage: conformance [--corpus DIR] [--json FILE] [--live [MODE[,MODE...]]] [--strict]
  --corpus DIR  a folder laid out like ExaBGP's repository (default ../shared/exabgp-qa, or $EXABGP_QA_DIR)
  --json FILE   write every result as JSON
  --live MODES  also run each encoding test over loopback TCP against a checking peer, our speaker driven by
                each mode: sync (the reactor), async (async/await), bridge (the polling bridge); default all
  --strict      exit 1 when a counted test failed`;

export interface ConformanceArguments {
  corpus?: string;
  json?: string;
  /** the modes of `--live`, in order; absent without `--live` */
  live?: LiveMode[];
  /** exit 1 when any counted test failed (by default the run succeeds once the report is printed) */
  strict?: boolean;
}

function isLiveMode(value: string): value is LiveMode {
  return (LIVE_MODES as readonly string[]).includes(value);
}

/** The command's arguments, or the text to print (usage, or what is wrong). */
export function parseConformanceArguments(argv: readonly string[]): ConformanceArguments | string {
  const out: ConformanceArguments = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (flag === '--live') {
      // `--live` alone means every mode; a following word that is not an option is the list of modes
      let value = inline;
      if (value === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) value = argv[++i];
      const modes = value === undefined || value === '' || value === 'all' ? [...LIVE_MODES] : value.split(',');
      const wrong = modes.filter((m) => !isLiveMode(m));
      if (wrong.length > 0)
        return `--live: unknown mode ${wrong.join(', ')} (expected ${LIVE_MODES.join(', ')})\n${USAGE}`;
      out.live = [...new Set([...(out.live ?? []), ...(modes as LiveMode[])])];
    } else if (flag === '--corpus' || flag === '--json') {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') return `${flag} needs a value\n${USAGE}`;
      if (flag === '--corpus') out.corpus = value;
      else out.json = value;
    } else if (arg === '--strict') {
      out.strict = true;
    } else if (arg === '--help' || arg === '-h') {
      return USAGE;
    } else {
      return `unknown argument '${arg}'\n${USAGE}`;
    }
  }
  return out;
}

/**
 * Run the command; returns the exit code: 0 once the report is printed (with `--strict`: only when every
 * counted test passed, else 1), 2 for a usage error or a missing corpus. Failures are expected while families
 * are missing, and their count is the report's last line. Relative paths are taken from the directory the command was started in
 * (pnpm's INIT_CWD when run through `pnpm --filter`).
 */
export async function runConformanceCommand(argv: string[]): Promise<number> {
  const args = parseConformanceArguments(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return args === USAGE ? 0 : 2;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const location = locateCorpus(args.corpus, cwd);
  if (location.problem !== undefined) {
    process.stdout.write(`SKIP conformance: ${location.problem}\n`);
    process.stdout.write('conformance: encoding 0/0, decoding 0/0, parsing 0/0\n');
    return 2;
  }
  const report = runConformance(location.dir, loadConfigurationFile);
  const lines = formatReport(report);
  // the summary line stays the last line of the whole output, after the live results
  const summary = lines.pop()!;
  for (const line of lines) process.stdout.write(`${line}\n`);
  const live: Partial<Record<LiveMode, LiveResult[]>> = {};
  for (const mode of args.live ?? []) {
    const results = await runLiveConformance({ corpus: location.dir, mode });
    live[mode] = results;
    for (const line of formatLiveResults(mode, results)) process.stdout.write(`${line}\n`);
  }
  process.stdout.write(`${summary}\n`);
  if (args.json !== undefined) {
    const file = resolve(cwd, args.json);
    const liveJson = Object.fromEntries(
      Object.entries(live).map(([mode, results]) => [mode, { counts: countLiveResults(results), results }]),
    );
    writeFileSync(
      file,
      `${JSON.stringify({ corpus: report.corpus, counts: report.counts, results: report.results, ...(args.live ? { live: liveJson } : {}) }, null, 2)}\n`,
    );
  }
  const c = report.counts;
  const allPassed =
    [c.encoding, c.decoding, c.parsing, c.json].every((s) => s.passed === s.total) &&
    Object.values(live).every((results) => results.every((r) => r.status === 'pass'));
  return args.strict && !allPassed ? 1 : 0;
}

// `tsx --conditions=source src/conformance-command.ts ...` runs it directly
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runConformanceCommand(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
