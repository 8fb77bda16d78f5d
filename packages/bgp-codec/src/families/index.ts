export * from './key.js';
export * from './table.js';
export * from './types.js';
