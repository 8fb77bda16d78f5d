/**
 * exabgp-config-parser command line: `parse FILE` prints the typed configuration as JSON.
 * A bad configuration prints the ConfigError (file:line:column, the line, a caret, what was expected)
 * on stderr and exits 1; a usage error exits 2.
 */

import { ConfigError } from './errors.js';
import { parseFile } from './parse-file.js';

const USAGE = 'usage: cli parse FILE [FILE...]';

function main(argv: string[]): number {
  const [command, ...files] = argv;
  if (command !== 'parse' || files.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let status = 0;
  for (const file of files) {
    try {
      const configuration = parseFile(file);
      process.stdout.write(`${JSON.stringify(configuration, null, 2)}\n`);
    } catch (error) {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
        status = 1;
        continue;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
        process.stderr.write(`${file}: cannot read (${code})\n`);
        status = 1;
        continue;
      }
      throw error;
    }
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
