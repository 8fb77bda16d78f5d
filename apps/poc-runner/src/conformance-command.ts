/**
 * `conformance [--corpus DIR] [--json FILE]`: ExaBGP's conformance corpus against this project. Parsing
 * (etc/exabgp/*.conf), encoding (qa/encoding/*.ci: what our speaker sends, matched with the rules of ExaBGP's
 * checker), decoding (qa/decoding/*: the codec's ExaBGP JSON), and the json: lines of the encoding and API
 * tests. One line per test; the last line is `conformance: encoding P/T, decoding P/T, parsing P/T`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatReport, loadConfigurationFile, locateCorpus, runConformance } from 'exabgp-config-parser';

const USAGE = 'usage: conformance [--corpus DIR] [--json FILE] [--strict]';

interface Arguments {
  corpus?: string;
  json?: string;
  /** exit 1 when any counted test failed (by default the run succeeds once the report is printed) */
  strict?: boolean;
}

function parseArguments(argv: readonly string[]): Arguments | string {
  const out: Arguments = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (flag === '--corpus' || flag === '--json') {
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
  const args = parseArguments(argv);
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
  for (const line of formatReport(report)) process.stdout.write(`${line}\n`);
  if (args.json !== undefined) {
    const file = resolve(cwd, args.json);
    writeFileSync(
      file,
      `${JSON.stringify({ corpus: report.corpus, counts: report.counts, results: report.results }, null, 2)}\n`,
    );
  }
  const c = report.counts;
  const allPassed = [c.encoding, c.decoding, c.parsing, c.json].every((s) => s.passed === s.total);
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
