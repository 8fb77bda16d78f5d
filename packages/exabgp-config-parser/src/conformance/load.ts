import type { Configuration } from '../model.js';
import { parseFile } from '../parse-file.js';

/**
 * Read and parse a configuration file with the project's parser. Errors are the parser's ConfigError
 * (file:line:column, the line, a caret, what was expected).
 */
export function loadConfigurationFile(path: string): Configuration {
  return parseFile(path);
}
