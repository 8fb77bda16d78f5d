/**
 * Keepalives never starve (issue 4): while one peer streams routes, every other session's KEEPALIVEs still
 * leave on time and no hold timer expires. Hold time 3 s, keepalive 1 s, every session of a run on one
 * driver instance (for `sync`, one reactor, as one ExaBGP process). The jitter is printed, not asserted: the
 * machine is shared; the assertion is that every session stays Established and nothing is lost.
 *
 * FSM_BRIDGE_BULK_ROUTES sets the count (default 100,000; the bench runs 1,000,000). The stream goes on past
 * the count until it has lasted MIN_STREAM_MS, longer than the hold time, so there is something to starve.
 */
import { MessageType } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import type { DriverName } from '../src/driver.js';
import { createDriver } from '../src/drivers/index.js';
import { type Session, startSession } from '../src/session.js';
import { Cleanup, DRIVERS, localConfig } from './helpers.js';
import { routeUpdate } from './peer.js';

const ROUTES = Number(process.env.FSM_BRIDGE_BULK_ROUTES ?? 100_000);
const IDLE_PAIRS = 3;
const MIN_STREAM_MS = 4000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

describe.each(DRIVERS)('driver %s', (name: DriverName) => {
  it(`keeps every session Established while one peer streams ${ROUTES}+ routes for ${MIN_STREAM_MS / 1000}+ s (hold 3 s, keepalive 1 s)`, async ({
    onTestFinished,
  }) => {
    const cleanup = new Cleanup(onTestFinished);
    const driver = createDriver(name);
    cleanup.add(() => driver.close());
    const drops: string[] = [];
    const keepalivesSent = new Map<Session, number[]>();
    let received = 0;
    const options = (label: string) => ({
      driver,
      onStateChange: (from: string, to: string) => {
        if (from === 'Established') drops.push(`${label}: ${from} -> ${to}`);
      },
      onMessage: (direction: 'sent' | 'received', type: number, _m: Uint8Array, session: Session) => {
        if (direction === 'sent' && type === MessageType.KEEPALIVE) {
          const times = keepalivesSent.get(session) ?? [];
          keepalivesSent.set(session, times);
          times.push(performance.now());
        }
      },
      iterateUpdates: false,
    });
    const timers = { holdTime: 3, keepaliveTime: 1, idleHoldTime: 0 };
    const sessions: Session[] = [];
    for (let i = 0; i <= IDLE_PAIRS; i++) {
      const receiver = await startSession(
        localConfig({
          ...timers,
          localAs: 65002,
          peerAs: 65001,
          routerId: `10.0.1.${i + 1}`,
          passive: true,
          peerPort: 1,
        }),
        { ...options(`receiver ${i}`), ...(i === 0 ? { onUpdate: () => void received++ } : {}) },
      );
      cleanup.add(() => receiver.destroy());
      const sender = await startSession(
        localConfig({ ...timers, peerPort: receiver.listenPort }),
        options(`sender ${i}`),
      );
      cleanup.add(() => sender.destroy());
      sessions.push(sender, receiver);
    }
    await Promise.all(sessions.map((s) => s.established()));
    const [bulk] = sessions as [Session];

    const start = performance.now();
    const sent = await bulk.sendUpdates(
      (function* () {
        for (let i = 0; i < ROUTES || performance.now() - start < MIN_STREAM_MS; i++) yield routeUpdate(i);
      })(),
    );
    const deadline = Date.now() + 120_000;
    while (received < sent && Date.now() < deadline && drops.length === 0) await new Promise((r) => setTimeout(r, 10));
    const end = performance.now();

    // Intervals between KEEPALIVEs each idle session sent while the bulk was streaming.
    const lateness: number[] = [];
    let during = 0;
    for (const [session, times] of keepalivesSent) {
      if (session === bulk) continue;
      for (let i = 1; i < times.length; i++) {
        const at = times[i] as number;
        if (at < start || at > end) continue;
        during++;
        lateness.push(at - (times[i - 1] as number) - 1000);
      }
    }
    lateness.sort((a, b) => a - b);
    const seconds = (end - start) / 1000;
    console.log(
      `[${name}] ${received}/${sent} routes in ${seconds.toFixed(2)} s (${Math.round(received / seconds)} routes/s); ` +
        `${during} KEEPALIVEs from ${IDLE_PAIRS * 2} idle sessions during the stream; interval - 1000 ms: ` +
        `p50 ${percentile(lateness, 50)?.toFixed(1)} ms, p99 ${percentile(lateness, 99)?.toFixed(1)} ms, ` +
        `max ${lateness.at(-1)?.toFixed(1)} ms`,
    );

    expect(drops).toEqual([]);
    expect(received).toBe(sent);
    expect(sent).toBeGreaterThanOrEqual(ROUTES);
    for (const s of sessions) {
      expect(s.state).toBe('Established');
      expect(s.notifications).toEqual([]);
    }
  }, 180_000);
});
