export * from './families.js';
export * from './neighbor.js';
export * from './notification.js';
export * from './open.js';
export * from './routes.js';
export * from './updates.js';
export * from './version.js';
