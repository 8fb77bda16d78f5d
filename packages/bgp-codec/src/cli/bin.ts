#!/usr/bin/env node
/**
 * The `bgp-codec` command. `bgp-codec decode [options] [HEX ...]` is the only command so far (see decode.ts).
 */
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { DECODE_USAGE, runDecode } from './decode.js';

const USAGE = `usage: bgp-codec COMMAND [ARGUMENTS]

Commands:
  decode   print BGP messages given in hexadecimal as ExaBGP's JSON (bgp-codec decode --help)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'decode') {
    return runDecode(rest, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stdin: createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
      stdinIsTerminal: process.stdin.isTTY === true,
      // microseconds, as Python's time.time() has them
      time: () => (performance.timeOrigin + performance.now()) / 1000,
      host: hostname(),
      pid: process.pid,
      ppid: process.ppid,
    });
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n\n${DECODE_USAGE}\n`);
    return 0;
  }
  process.stderr.write(`${command === undefined ? 'no command given' : `unknown command '${command}'`}\n${USAGE}\n`);
  return 2;
}

// A closed pipe (`bgp-codec decode ... | head`) ends the command quietly, as `exabgp decode` does.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`bgp-codec: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
