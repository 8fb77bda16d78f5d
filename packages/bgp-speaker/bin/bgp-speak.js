#!/usr/bin/env node
/**
 * `bgp-speak FILE ...`: the speaker from its TypeScript source, in this one process. tsx's loader and the
 * workspace's `source` export condition are registered here rather than by a wrapper (the tsx command runs
 * the program in a child node process): the process a user or a supervisor starts is the speaker itself,
 * so its SIGTERM or SIGINT reaches the speaker's handler, which sends Cease, and nothing is left behind.
 */
import { register } from 'node:module';

register('./source-condition.js', import.meta.url);
const { register: registerTsx } = await import('tsx/esm/api');
registerTsx();
await import('../src/cli.ts');
