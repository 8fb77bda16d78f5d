import { readFileSync } from 'node:fs';
import { parseConfiguration } from './grammar/index.js';
import type { Configuration } from './model.js';

/** Reads and parses a configuration file; a bad configuration throws ConfigError. */
export function parseFile(path: string): Configuration {
  return parseConfiguration(readFileSync(path, 'utf8'), path);
}
