export * from './constants.js';
export * from './context.js';
export * from './errors.js';
export * from './framing.js';
export * from './header.js';
export * from './writer.js';
