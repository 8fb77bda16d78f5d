/**
 * Many sessions on ONE driver instance (for `sync`, one reactor per process, as ExaBGP runs every peer in one
 * loop), all started at once: every one of them reaches Established (RFC 4271 §8.2.2), none is left in Idle.
 * The passive peers are sessions too: on the same driver (one reactor for both ends of every connection), or
 * on a second shared driver (as in two processes).
 */
import { describe, expect, it } from 'vitest';
import type { Driver } from '../src/driver.js';
import { createDriver } from '../src/drivers/index.js';
import { type Session, startSession } from '../src/session.js';
import { Cleanup, DRIVERS, localConfig } from './helpers.js';

async function establishAtOnce(cleanup: Cleanup, count: number, active: Driver, passive: Driver): Promise<string[]> {
  const peers: Session[] = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      startSession(
        // idleHoldTime 0: a session that fails once stays down, so a failure cannot hide behind a retry
        localConfig({ localAs: 65002, peerAs: 65001, routerId: `192.0.2.${1 + i}`, passive: true, idleHoldTime: 0 }),
        { driver: passive },
      ),
    ),
  );
  for (const peer of peers) cleanup.add(() => peer.destroy());
  const sessions = await Promise.all(
    peers.map((peer, i) =>
      startSession(localConfig({ peerPort: peer.listenPort, routerId: `198.51.100.${1 + i}`, idleHoldTime: 0 }), {
        driver: active,
      }),
    ),
  );
  for (const session of sessions) cleanup.add(() => session.destroy());
  await Promise.allSettled([...sessions, ...peers].map((s) => s.established(20_000)));
  // Each session that did not make it, with the states it went through and why it failed.
  return [...sessions, ...peers]
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.state !== 'Established')
    .map(({ s, i }) => `${i < count ? 'session' : 'peer'} ${i % count}: ${s.states.join(' > ')} (${s.lastError})`);
}

describe.each(DRIVERS)('%s: sessions establishing at the same time on one shared driver', (name) => {
  for (const count of [3, 50]) {
    it(`${count} sessions and their ${count} passive peers, all on one driver instance: all Established`, async ({
      onTestFinished,
    }) => {
      const cleanup = new Cleanup(onTestFinished);
      const driver = createDriver(name);
      cleanup.add(() => driver.close());
      expect(await establishAtOnce(cleanup, count, driver, driver)).toEqual([]);
    });

    it(`${count} sessions on one driver instance, their passive peers on another: all Established`, async ({
      onTestFinished,
    }) => {
      const cleanup = new Cleanup(onTestFinished);
      const active = createDriver(name);
      const passive = createDriver(name);
      cleanup.add(() => active.close());
      cleanup.add(() => passive.close());
      expect(await establishAtOnce(cleanup, count, active, passive)).toEqual([]);
    });
  }
});
