/**
 * fsm-bridge: the RFC 4271 §8 session FSM as a sans-I/O generator ({@link bgpFsm}), the drivers that run it
 * over transport-sync's reactor or transport-async (effect bridge, polling bridge), and the {@link Session}
 * API on top.
 */
export * from './driver.js';
export * from './drivers/index.js';
export * from './fsm.js';
export * from './session.js';
