export * from './fsm.js';
export * from './messages.js';
export * from './negotiation.js';
export * from './update-check.js';
