export * from './measure.js';
export * from './workload.js';
