export * from './conformance/index.js';
export { ConfigError, type ConfigErrorDetails, type ErrorPosition } from './errors.js';
export { AFI_CODES, FAMILY_SAFIS, family, SAFI_CODES } from './families.js';
export { parseConfiguration, parseRouteCommand } from './grammar/index.js';
export { Lexer, type Statement, type Terminator, type Token } from './lexer.js';
export type * from './model.js';
export { parseFile } from './parse-file.js';
export * from './wire/index.js';
