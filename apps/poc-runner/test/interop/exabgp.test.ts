/**
 * Interop with ExaBGP 4.2 as an independent decoder, from each driver of the FSM: one ExaBGP, passive on its
 * own loopback address, one neighbor per driver (our local addresses 127.0.30.11/12/13), with an API process
 * that writes every message ExaBGP receives as a line of JSON. ExaBGP must decode our OPEN and our IPv4 and
 * IPv6 routes, the raw UPDATEs it received must be exactly the bytes ExaBGP itself would send for this
 * configuration (the config parser's wire output), its own routes must arrive decoded, and our stop must
 * reach it as Cease 6/2.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  announced,
  Daemon,
  type ExabgpJsonLine,
  fill,
  fixturePath,
  freePort,
  LOCAL_AS,
  ourRoutes,
  type RunningSpeaker,
  skipReason,
  startOurSpeaker,
  TempDir,
  TRANSPORTS,
  until,
} from './daemons.js';

const EXABGP_ADDRESS = '127.0.30.1';
const EXABGP_AS = 65030;
/** The Python ExaBGP runs on (Debian's): a python3 first on PATH may lack the modules ExaBGP's processes need. */
const PYTHON = '/usr/bin/python3';
const reason = skipReason('ExaBGP 4.2', ['exabgp']) || (existsSync(PYTHON) ? '' : `${PYTHON} not installed`);

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe.skipIf(reason !== '')(`ExaBGP 4.2 interop${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let dir: TempDir;
  let exabgp: Daemon;
  let port: number;
  let dumpFile: string;
  let running: RunningSpeaker | undefined;

  /** What ExaBGP's API process wrote so far, for one of our addresses. */
  const dumped = (address: string): ExabgpJsonLine[] => {
    let text = '';
    try {
      text = readFileSync(dumpFile, 'utf8');
    } catch {}
    return text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as ExabgpJsonLine)
      .filter((line) => line.neighbor?.address?.peer === address);
  };

  beforeAll(async () => {
    dir = new TempDir();
    port = await freePort(EXABGP_ADDRESS);
    dumpFile = dir.file('received.jsonl', '');
    const neighbors = TRANSPORTS.map((_, i) =>
      fill('exabgp-neighbor.conf', {
        PEER: `127.0.30.${11 + i}`,
        PEER_AS: LOCAL_AS,
        ADDRESS: EXABGP_ADDRESS,
        AS: EXABGP_AS,
        ROUTER_ID: '10.30.30.30',
      }),
    ).join('\n');
    const config = dir.file(
      'exabgp.conf',
      fill('exabgp.conf', {
        DUMP_SCRIPT: fixturePath('dump-received.py'),
        OUTPUT: dumpFile,
        PYTHON,
        NEIGHBORS: neighbors,
      }),
    );
    exabgp = Daemon.start('exabgp', 'exabgp', [config], dir, {
      // ExaBGP drops privileges to nobody unless told otherwise; it listens on bind:port for passive peers
      exabgp_daemon_user: 'root',
      exabgp_tcp_bind: EXABGP_ADDRESS,
      exabgp_tcp_port: String(port),
      exabgp_log_destination: 'stdout',
    });
    // ExaBGP (Python) takes a second or two to listen
    await until(
      'ExaBGP listening',
      () =>
        new Promise<true | undefined>((resolve) => {
          const socket = net.connect({ host: EXABGP_ADDRESS, port, localAddress: '127.0.30.99' });
          socket.once('connect', () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(undefined));
        }),
      20_000,
    );
  });

  afterEach(async () => {
    const current = running;
    running = undefined;
    if (current) {
      current.speaker.destroy();
      await current.speaker.done;
    }
  });

  afterAll(async () => {
    await exabgp?.stop();
    dir?.remove();
  });

  describe.each(TRANSPORTS.map((transport, i) => [transport, i + 1] as const))(
    'from the %s driver',
    (transport, index) => {
      const address = `127.0.30.${10 + index}`;

      it('ExaBGP decodes our OPEN and routes, receives ExaBGP’s own bytes, and its routes arrive decoded', async () => {
        running = await startOurSpeaker({ peer: EXABGP_ADDRESS, port, peerAs: EXABGP_AS, address, index }, transport);
        const { speaker, received } = running;
        const routes = ourRoutes(index);

        const lines = await until(
          `our routes decoded by ExaBGP (from ${address})`,
          () => {
            const got = dumped(address);
            const list = announced(got);
            return list.some((r) => r.startsWith(`ipv4 unicast ${routes.prefix4}`)) &&
              list.some((r) => r.startsWith(`ipv6 unicast ${routes.prefix6}`))
              ? got
              : undefined;
          },
          30_000,
        );
        expect(announced(lines)).toEqual(
          expect.arrayContaining([
            `ipv4 unicast ${routes.prefix4} via ${routes.nextHop4}`,
            `ipv6 unicast ${routes.prefix6} via ${routes.nextHop6}`,
          ]),
        );
        const open = lines.find((l) => l.type === 'open');
        expect(open?.neighbor.asn).toEqual({ local: EXABGP_AS, peer: LOCAL_AS });
        const update = lines.find((l) => announced([l]).some((r) => r.includes(routes.prefix4)));
        expect(update?.neighbor.message?.update?.attribute?.community).toEqual([
          routes.community.split(':').map(Number),
        ]);

        // The raw UPDATEs ExaBGP received are the bytes the config parser says ExaBGP sends
        const negotiated = speaker.neighbors[0]?.session?.negotiated;
        expect(negotiated).toBeDefined();
        const { initialMessagesFor } = await import('exabgp-config-parser');
        const plan = speaker.neighbors[0]!.plan;
        const expected = [...initialMessagesFor(plan.neighbor, negotiated!, plan.facts)].map(hex);
        const rawUpdates = await until('the End-of-RIBs at ExaBGP', () => {
          const raw = dumped(address)
            .filter((l) => l.type === 'update')
            // ExaBGP 4.2 prints the raw message as "0x"-prefixed upper-case hex, header and body apart
            .map((l) => `${l.header ?? ''}${l.body ?? ''}`.replaceAll('0x', '').toLowerCase());
          return raw.length >= expected.length ? raw : undefined;
        });
        expect(rawUpdates.slice(0, expected.length)).toEqual(expected);

        // ExaBGP's static routes, decoded by the codec
        const got = await until('ExaBGP routes received', () => {
          const list = announced(received);
          return list.some((r) => r.startsWith('ipv4 unicast 192.0.2.0/24')) &&
            list.some((r) => r.startsWith('ipv6 unicast 2001:db8:77::/48'))
            ? list
            : undefined;
        });
        expect(got).toContain('ipv4 unicast 192.0.2.0/24 via 198.51.100.30');
        expect(got).toContain('ipv6 unicast 2001:db8:77::/48 via 2001:db8::30');

        // Stop: ExaBGP's API reports our Cease, Administrative Shutdown
        await speaker.stop();
        const cease = await until('the Cease at ExaBGP', () => dumped(address).find((l) => l.type === 'notification'));
        expect([cease.neighbor.notification?.code, cease.neighbor.notification?.subcode]).toEqual([6, 2]);
      });
    },
  );
});
