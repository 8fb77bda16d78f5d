/**
 * Interop with GoBGP 3, from each driver of the FSM: one gobgpd, passive on its own loopback address (GoBGP
 * dials out only after 5-7 s, so our side is the active one), one neighbor per driver (our local addresses
 * 127.0.20.11/12/13). Our IPv4 and IPv6 routes must be in GoBGP's global RIB (read with `gobgp global rib
 * -j`), the routes added to GoBGP must arrive decoded, and our stop must take our routes out of its RIB.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  announced,
  Daemon,
  fill,
  freePort,
  LOCAL_AS,
  ourRoutes,
  type RunningSpeaker,
  run,
  skipReason,
  startOurSpeaker,
  TempDir,
  TRANSPORTS,
  until,
} from './daemons.js';

const GOBGP_ADDRESS = '127.0.20.1';
const GOBGP_AS = 65020;
const reason = skipReason('GoBGP 3', ['gobgpd', 'gobgp']);

/** One path of `gobgp global rib -j`. */
interface GobgpPath {
  nlri: { prefix: string };
  'neighbor-ip'?: string;
  attrs: Array<{ type: number; nexthop?: string; communities?: number[]; as_paths?: Array<{ asns: number[] }> }>;
}

describe.skipIf(reason !== '')(`GoBGP 3 interop${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let dir: TempDir;
  let gobgpd: Daemon;
  let port: number;
  let api: string;
  let running: RunningSpeaker | undefined;

  const gobgp = async (...args: string[]) => {
    const result = await run('gobgp', ['-u', '127.0.0.1', '-p', api, ...args]);
    if (result.code !== 0) throw new Error(`gobgp ${args.join(' ')}: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  const rib = async (family: 'ipv4' | 'ipv6') =>
    JSON.parse((await gobgp('global', 'rib', '-a', family, '-j')) || '{}') as Record<string, GobgpPath[]>;

  beforeAll(async () => {
    dir = new TempDir();
    port = await freePort(GOBGP_ADDRESS);
    api = String(await freePort('127.0.0.1'));
    const neighbors = TRANSPORTS.map((_, i) =>
      fill('gobgpd-neighbor.toml', { PEER: `127.0.20.${11 + i}`, PEER_AS: LOCAL_AS, ADDRESS: GOBGP_ADDRESS }),
    ).join('\n');
    const config = dir.file(
      'gobgpd.toml',
      fill('gobgpd.toml', {
        ADDRESS: GOBGP_ADDRESS,
        PORT: port,
        AS: GOBGP_AS,
        ROUTER_ID: '10.20.20.20',
        NEIGHBORS: neighbors,
      }),
    );
    gobgpd = Daemon.start(
      'gobgpd',
      'gobgpd',
      ['-f', config, '-t', 'toml', '-p', '--api-hosts', `127.0.0.1:${api}`, '--pprof-disable'],
      dir,
    );
    await until('gobgpd API up', async () => ((await gobgp('neighbor')).includes('127.0.20.11') ? true : undefined));
    // What GoBGP announces to the speaker
    await gobgp('global', 'rib', '-a', 'ipv4', 'add', '192.0.2.0/24', 'nexthop', '198.51.100.20');
    await gobgp('global', 'rib', '-a', 'ipv6', 'add', '2001:db8:77::/48', 'nexthop', '2001:db8::20');
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
    await gobgpd?.stop();
    dir?.remove();
  });

  describe.each(TRANSPORTS.map((transport, i) => [transport, i + 1] as const))(
    'from the %s driver',
    (transport, index) => {
      const address = `127.0.20.${10 + index}`;

      it('establishes, puts our IPv4 and IPv6 routes in GoBGP’s RIB, decodes GoBGP’s routes, withdraws on stop', async () => {
        running = await startOurSpeaker({ peer: GOBGP_ADDRESS, port, peerAs: GOBGP_AS, address, index }, transport);
        const { speaker, received } = running;
        const routes = ourRoutes(index);
        const fromUs = (paths: GobgpPath[] | undefined) => paths?.find((p) => p['neighbor-ip'] === address);

        const v4 = await until('our IPv4 route in GoBGP', async () => fromUs((await rib('ipv4'))[routes.prefix4]));
        expect(v4.attrs.find((a) => a.type === 3)?.nexthop).toBe(routes.nextHop4);
        expect(v4.attrs.find((a) => a.type === 2)?.as_paths?.[0]?.asns).toEqual([LOCAL_AS]);
        const [high, low] = routes.community.split(':').map(Number) as [number, number];
        expect(v4.attrs.find((a) => a.type === 8)?.communities).toEqual([high * 65536 + low]);
        const v6 = await until('our IPv6 route in GoBGP', async () => fromUs((await rib('ipv6'))[routes.prefix6]));
        // IPv6 travels in MP_REACH_NLRI (RFC 4760)
        expect(v6.attrs.find((a) => a.type === 14)?.nexthop).toBe(routes.nextHop6);

        const got = await until('GoBGP routes received', () => {
          const list = announced(received);
          return list.some((r) => r.startsWith('ipv4 unicast 192.0.2.0/24')) &&
            list.some((r) => r.startsWith('ipv6 unicast 2001:db8:77::/48'))
            ? list
            : undefined;
        });
        expect(got).toContain('ipv4 unicast 192.0.2.0/24 via 198.51.100.20');
        expect(got).toContain('ipv6 unicast 2001:db8:77::/48 via 2001:db8::20');
        const update = received.find((l) => announced([l]).some((r) => r.includes('192.0.2.0/24')));
        expect(update?.neighbor.asn).toEqual({ local: LOCAL_AS, peer: GOBGP_AS });
        expect(update?.neighbor.message?.update?.attribute?.origin).toBe('incomplete');

        expect(await gobgp('neighbor', address)).toMatch(/BGP state\s*=\s*ESTABLISHED/i);

        // Stop (Cease): GoBGP drops the session and the paths it learned from it
        await speaker.stop();
        await until('our routes gone from GoBGP', async () =>
          fromUs((await rib('ipv4'))[routes.prefix4]) === undefined &&
          fromUs((await rib('ipv6'))[routes.prefix6]) === undefined
            ? true
            : undefined,
        );
        expect(await gobgp('neighbor', address)).not.toMatch(/BGP state\s*=\s*ESTABLISHED/i);
      });
    },
  );
});
