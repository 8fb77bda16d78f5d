/**
 * Interop with BIRD 2, from each driver of the FSM: one BIRD, passive on its own loopback address, one
 * neighbor per driver (our local addresses 127.0.10.11/12/13). Each session must come up, our IPv4 and
 * IPv6 routes must be in BIRD's table (read with birdc), BIRD's routes must arrive decoded, and our stop
 * must reach BIRD as Cease / Administrative Shutdown (RFC 4486 §4, RFC 9003).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  announced,
  Daemon,
  fill,
  freePort,
  LOCAL_AS,
  type OurNeighbor,
  ourRoutes,
  type RunningSpeaker,
  run,
  skipReason,
  startOurSpeaker,
  TempDir,
  TRANSPORTS,
  until,
} from './daemons.js';

const BIRD_ADDRESS = '127.0.10.1';
const BIRD_AS = 65010;
const reason = skipReason('BIRD 2', ['bird', 'birdc']);

describe.skipIf(reason !== '')(`BIRD 2 interop${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let dir: TempDir;
  let bird: Daemon;
  let socket: string;
  let port: number;
  let running: RunningSpeaker | undefined;
  let dialPorts: number[] = [];

  const birdc = async (...command: string[]) => {
    const result = await run('birdc', ['-s', socket, ...command]);
    if (result.code !== 0) throw new Error(`birdc ${command.join(' ')}: ${result.stderr || result.stdout}`);
    return result.stdout;
  };

  beforeAll(async () => {
    dir = new TempDir();
    port = await freePort(BIRD_ADDRESS);
    const neighbors = TRANSPORTS.map((transport, i) =>
      fill('bird-neighbor.conf', {
        NAME: `speaker_${transport}`,
        ADDRESS: BIRD_ADDRESS,
        PORT: port,
        AS: BIRD_AS,
        PEER: `127.0.10.${11 + i}`,
        PEER_AS: LOCAL_AS,
        NEXT_HOP6: '2001:db8::10',
      }),
    ).join('\n');
    // and one protocol per driver that connects to the speaker listening (passive) on 127.0.10.21/22/23
    dialPorts = await Promise.all(TRANSPORTS.map((_, i) => freePort(`127.0.10.${21 + i}`)));
    const dialing = TRANSPORTS.map((transport, i) =>
      fill('bird-dialing.conf', {
        NAME: `dial_${transport}`,
        ADDRESS: BIRD_ADDRESS,
        AS: BIRD_AS,
        PEER: `127.0.10.${21 + i}`,
        PEER_PORT: dialPorts[i] as number,
        PEER_AS: LOCAL_AS,
        NEXT_HOP6: '2001:db8::10',
      }),
    ).join('\n');
    const config = dir.file(
      'bird.conf',
      fill('bird.conf', {
        ADDRESS: BIRD_ADDRESS,
        PORT: port,
        AS: BIRD_AS,
        ROUTER_ID: '10.10.10.10',
        NEIGHBORS: `${neighbors}\n${dialing}`,
      }),
    );
    socket = dir.file('bird.ctl');
    bird = Daemon.start('bird', 'bird', ['-f', '-c', config, '-s', socket], dir);
    await until('BIRD up', async () =>
      (await birdc('show', 'status')).includes('Daemon is up and running') ? true : undefined,
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
    await bird?.stop();
    dir?.remove();
  });

  it('keeps sessions with a 3 s hold time up with KEEPALIVEs, on every driver at once (RFC 4271 §4.4)', async () => {
    const speakers = await Promise.all(
      TRANSPORTS.map((transport, i) =>
        startOurSpeaker(
          { peer: BIRD_ADDRESS, port, peerAs: BIRD_AS, address: `127.0.10.${11 + i}`, index: 1 + i, holdTime: 3 },
          transport,
        ),
      ),
    );
    try {
      for (const transport of TRANSPORTS) {
        await until(`speaker_${transport} Established`, async () =>
          (await birdc('show', 'protocols', `speaker_${transport}`)).includes('Established') ? true : undefined,
        );
      }
      // more than two hold times: without KEEPALIVEs both sides would have dropped the session
      await new Promise((resolve) => setTimeout(resolve, 7000));
      for (const [i, transport] of TRANSPORTS.entries()) {
        const { speaker, logs } = speakers[i] as RunningSpeaker;
        expect(await birdc('show', 'protocols', 'all', `speaker_${transport}`)).toMatch(/Hold timer:\s+\S+\/3/);
        expect(speaker.neighbors[0]?.state).toBe('Established');
        expect(speaker.neighbors[0]?.announcements).toBe(1);
        expect(logs.filter((l) => l.includes('NOTIFICATION'))).toEqual([]);
        // BIRD's KEEPALIVEs arrived too (one a second with a 3 s hold time)
        expect(speakers[i]?.received.filter((l) => l.type === 'keepalive').length).toBeGreaterThanOrEqual(4);
      }
    } finally {
      await Promise.all(speakers.map(({ speaker }) => speaker.stop()));
    }
  }, 30_000);

  describe.each(TRANSPORTS.map((transport, i) => [transport, i + 1] as const))(
    'from the %s driver',
    (transport, index) => {
      const protocol = `speaker_${transport}`;
      const neighbor: OurNeighbor = {
        peer: BIRD_ADDRESS,
        port: 0,
        peerAs: BIRD_AS,
        address: `127.0.10.${10 + index}`,
        index,
      };

      it('establishes, puts our IPv4 and IPv6 routes in BIRD, decodes BIRD’s routes, ends with a Cease', async () => {
        running = await startOurSpeaker({ ...neighbor, port }, transport);
        const { speaker, received } = running;
        const routes = ourRoutes(index);

        // BIRD's view: both routes, from this session, with our next hops and community
        const table = await until(`our routes in BIRD (protocol ${protocol})`, async () => {
          const text = await birdc('show', 'route', 'all', 'protocol', protocol);
          return text.includes(routes.prefix4) && text.includes(routes.prefix6) ? text : undefined;
        });
        expect(table).toContain(`BGP.next_hop: ${routes.nextHop4}`);
        expect(table).toContain(`BGP.next_hop: ${routes.nextHop6}`);
        expect(table).toContain(`BGP.as_path: ${LOCAL_AS}`);
        expect(table).toContain(`(${routes.community.replace(':', ',')})`);
        expect(await birdc('show', 'protocols', protocol)).toMatch(/Established/);

        // What BIRD announced to us (its static routes), decoded by the codec and rendered as ExaBGP JSON
        const ours = await until('BIRD routes received', () => {
          const got = announced(received);
          return got.some((r) => r.startsWith('ipv4 unicast 192.0.2.0/24')) &&
            got.some((r) => r.startsWith('ipv6 unicast 2001:db8:77::/48'))
            ? got
            : undefined;
        });
        expect(ours).toContain('ipv6 unicast 2001:db8:77::/48 via 2001:db8::10');
        const update = received.find((l) => announced([l]).some((r) => r.includes('192.0.2.0/24')));
        expect(update?.neighbor.asn).toEqual({ local: LOCAL_AS, peer: BIRD_AS });
        expect(update?.neighbor.message?.update?.attribute?.['as-path']).toEqual({
          '0': { element: 'as-sequence', value: [BIRD_AS] },
        });
        expect(received[0]?.type).toBe('open');

        // `birdc reload in` makes BIRD ask for our routes again (ROUTE-REFRESH per channel, RFC 7313 when
        // enhanced route refresh is negotiated): they are sent again between BoRR and EoRR, and stay in BIRD
        const refreshed = await birdc('reload', 'in', protocol);
        expect(refreshed).toMatch(/reload/i);
        await until('our routes sent again after BIRD’s ROUTE-REFRESH', () =>
          running?.logs.some((l) => l.includes('for ipv4 unicast between BoRR and EoRR')) &&
          running?.logs.some((l) => l.includes('for ipv6 unicast between BoRR and EoRR'))
            ? true
            : undefined,
        );
        const after = await until('our routes still in BIRD', async () => {
          const text = await birdc('show', 'route', 'protocol', protocol);
          return text.includes(routes.prefix4) && text.includes(routes.prefix6) ? text : undefined;
        });
        expect(after).toContain(routes.prefix6);

        // Stop: BIRD reports our Cease and withdraws the routes
        await speaker.stop();
        const status = await until('BIRD sees the Cease', async () => {
          const text = await birdc('show', 'protocols', 'all', protocol);
          return text.includes('Received: Administrative shutdown') ? text : undefined;
        });
        expect(status).not.toMatch(/BGP state:\s+Established/);
        expect(await birdc('show', 'route', 'protocol', protocol)).not.toContain(routes.prefix4);
      });

      it('reconnects after BIRD resets the session, and announces again', async () => {
        running = await startOurSpeaker({ ...neighbor, port }, transport);
        const current = running;
        const routes = ourRoutes(index);
        const inBird = async () => {
          const text = await birdc('show', 'route', 'protocol', protocol);
          return text.includes(routes.prefix4) && text.includes(routes.prefix6) ? text : undefined;
        };
        await until('our routes in BIRD', inBird);
        // BIRD closes the session with a Cease (Administrative Reset, RFC 4486) and waits for us again
        await birdc('restart', protocol);
        await until('the speaker announced again', () =>
          (current.speaker.neighbors[0]?.announcements ?? 0) >= 2 ? true : undefined,
        );
        await until('our routes in BIRD again', inBird);
        expect(current.logs.some((l) => l.includes('NOTIFICATION received 6/'))).toBe(true);
        expect(current.logs.some((l) => l.includes('trying again in 1 s'))).toBe(true);
      });

      it('waits passively; BIRD connects: our routes in BIRD, BIRD’s routes decoded, Cease on stop', async () => {
        const dial = `dial_${transport}`;
        const address = `127.0.10.${20 + index}`;
        const port = dialPorts[index - 1] as number;
        running = await startOurSpeaker(
          { peer: BIRD_ADDRESS, port, peerAs: BIRD_AS, address, index: 4 + index, passive: true },
          transport,
        );
        const current = running;
        const routes = ourRoutes(4 + index);
        await birdc('enable', dial);
        try {
          await until(`our routes in BIRD (protocol ${dial}, BIRD connected)`, async () => {
            const text = await birdc('show', 'route', 'protocol', dial);
            return text.includes(routes.prefix4) && text.includes(routes.prefix6) ? text : undefined;
          });
          const got = await until('BIRD routes received on the accepted connection', () => {
            const list = announced(current.received);
            return list.some((r) => r.startsWith('ipv4 unicast 192.0.2.0/24')) &&
              list.some((r) => r.startsWith('ipv6 unicast 2001:db8:77::/48'))
              ? list
              : undefined;
          });
          expect(got).toContain('ipv6 unicast 2001:db8:77::/48 via 2001:db8::10');
          expect(current.speaker.neighbors[0]?.state).toBe('Established');
          await current.speaker.stop();
          await until('BIRD sees the Cease', async () =>
            (await birdc('show', 'protocols', 'all', dial)).includes('Received: Administrative shutdown')
              ? true
              : undefined,
          );
        } finally {
          await birdc('disable', dial);
        }
      });
    },
  );
});
