/** The `bgp-speak` command (bin/bgp-speak.js runs this file): see speakHelp. */
import { runSpeak } from './command.js';

// pnpm passes a literal `--` through when given one; it separates nothing here.
const argv = process.argv.slice(2);
runSpeak(argv[0] === '--' ? argv.slice(1) : argv).then(
  (code) => {
    // Every session and socket is closed by now; exit without waiting for stray handles.
    process.exit(code);
  },
  (error: unknown) => {
    console.error(`bgp-speak: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
