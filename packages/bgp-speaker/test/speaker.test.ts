/**
 * The `speak` speaker against a checking peer over loopback TCP, with every driver: the bytes it sends are
 * ExaBGP's (the config parser's wire output), it answers ROUTE-REFRESH (RFC 2918 §4, RFC 7313 §4), stops
 * with Cease 6/2 (RFC 4486), reconnects after a failure, and prints what it receives as ExaBGP JSON.
 */
import {
  type Capability,
  decodeNotification,
  decodeOpen,
  encodeKeepalive,
  encodeOpen,
  encodeRouteRefresh,
  encodeUpdate,
  ipv4Prefix,
  negotiate,
  type OpenMessage,
  parseIpv4,
} from 'bgp-codec';
import { encodeOpenFor, initialMessagesFor, parseConfiguration } from 'exabgp-config-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { speakerEnvironment } from '../src/plan.js';
import { Speaker, SpeakerRefused, type SpeakTransport } from '../src/speaker.js';
import { CheckingPeer, type PeerConnection } from './checking-peer.js';

const TRANSPORTS: SpeakTransport[] = ['sync', 'async', 'bridge'];
const FAST_RETRY = { initialSeconds: 0.2, maxSeconds: 0.4 };

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function peerOpen(capabilities: Capability[] = []): OpenMessage {
  return {
    type: 'open',
    version: 4,
    asn: 65002,
    holdTime: 30,
    bgpIdentifier: '10.9.9.9',
    capabilities: [
      { type: 'multiprotocol', afi: 1, safi: 1 },
      { type: 'multiprotocol', afi: 2, safi: 1 },
      { type: 'asn4', asn: 65002 },
      ...capabilities,
    ],
  };
}

function configText(peer: string, port: number, local: string, extra = ''): string {
  return `neighbor ${peer} {
    router-id 10.0.0.1;
    local-address ${local};
    local-as 65001;
    peer-as 65002;
    hold-time 30;
    connect ${port};
    family { ipv4 unicast; ipv6 unicast; }
    ${extra}
    static {
        route 203.0.113.0/24 next-hop 198.51.100.1 community [ 65001:1 ];
        route 203.0.113.128/25 next-hop 198.51.100.1;
        route 198.51.100.64/26 next-hop self;
        route 2001:db8:1::/48 next-hop 2001:db8::1;
    }
}
`;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Started {
  speaker: Speaker;
  peer: CheckingPeer;
  logs: string[];
  output: string[];
  config: ReturnType<typeof parseConfiguration>;
}

async function start(
  transport: SpeakTransport,
  host: string,
  local: string,
  extra = '',
  options: { exitAfterEor?: boolean; printReceived?: boolean } = {},
): Promise<Started> {
  const peer = await CheckingPeer.listen(host);
  cleanups.push(() => peer.close());
  const config = parseConfiguration(configText(host, peer.port, local, extra), 'test.conf');
  const logs: string[] = [];
  const output: string[] = [];
  const speaker = await Speaker.start({
    configuration: config,
    transport,
    env: {},
    log: (line) => logs.push(line),
    output: (line) => output.push(line),
    retry: FAST_RETRY,
    ...options,
  });
  cleanups.push(() => {
    speaker.destroy();
    return speaker.done;
  });
  return { speaker, peer, logs, output, config };
}

/** Take the speaker's OPEN, answer with ours and a KEEPALIVE, take its KEEPALIVE: the session is up. */
async function establish(connection: PeerConnection, open: OpenMessage = peerOpen()) {
  const sent = await connection.next();
  expect(sent[18]).toBe(1);
  connection.send(encodeOpen(open), encodeKeepalive());
  expect(hex(await connection.next())).toBe(hex(encodeKeepalive()));
  return { sent, negotiated: negotiate(decodeOpen(sent.subarray(19)), open) };
}

const FACTS = { localAs: 65001, peerAs: 65002, routerId: '10.0.0.1' };

describe.each(TRANSPORTS)(
  'speaker over %s',
  (transport) => {
    const index = TRANSPORTS.indexOf(transport) + 1;
    const host = `127.0.3.${index}`;
    const local = `127.0.3.${10 + index}`;

    it("sends ExaBGP's OPEN, UPDATEs and one End-of-RIB per family, then Cease 6/2 on stop", async () => {
      const { speaker, peer, config } = await start(transport, host, local);
      const connection = await peer.nextConnection();
      expect(connection.socket.remoteAddress).toBe(local);
      const neighbor = config.neighbors[0]!;
      const facts = { ...FACTS, localAddress: local };
      const { sent, negotiated } = await establish(connection);
      expect(hex(sent)).toBe(hex(encodeOpenFor(neighbor, facts)));
      const expected = [...initialMessagesFor(neighbor, negotiated, facts)].map(hex);
      // 4 UPDATEs (IPv4: one per attribute set, as group-updates does; IPv6: one) and the End-of-RIB of
      // IPv4 and IPv6 unicast
      expect(expected).toHaveLength(6);
      const got: string[] = [];
      for (const _ of expected) got.push(hex(await connection.nextNotKeepalive()));
      expect(got).toEqual(expected);
      await speaker.stop();
      const cease = await connection.nextNotKeepalive();
      expect(cease[18]).toBe(3);
      const notification = decodeNotification(cease.subarray(19));
      expect([notification.code, notification.subcode]).toEqual([6, 2]);
      await connection.waitClosed();
    });

    it("with asn4 disable sends ExaBGP's OPEN without the 4-octet AS capability and 2-octet AS_PATHs (RFC 6793)", async () => {
      const { peer, config, logs } = await start(transport, host, local, 'capability { asn4 disable; }');
      const connection = await peer.nextConnection();
      const neighbor = config.neighbors[0]!;
      expect(neighbor.capabilities.asn4).toBe(false);
      const facts = { ...FACTS, localAddress: local };
      const { sent, negotiated } = await establish(connection);
      expect(decodeOpen(sent.subarray(19)).capabilities.map((c) => c.type)).not.toContain('asn4');
      expect(hex(sent)).toBe(hex(encodeOpenFor(neighbor, facts)));
      expect(negotiated.context.asn4).toBe(false);
      const expected = [...initialMessagesFor(neighbor, negotiated, facts)].map(hex);
      const got: string[] = [];
      for (const _ of expected) got.push(hex(await connection.nextNotKeepalive()));
      expect(got).toEqual(expected);
      expect(logs.some((l) => l.includes('asn4'))).toBe(false);
    });

    it("sends ExaBGP's OPEN in the RFC 9072 format when its optional parameters are exactly 255 bytes long", async () => {
      // 15 families, a 64-character host name and a 53-character domain name: 255 bytes of parameters,
      // where ExaBGP already switches to the extended format (the codec alone would only past 255)
      const families =
        'ipv4 unicast; ipv4 multicast; ipv4 nlri-mpls; ipv4 mpls-vpn; ipv4 flow; ipv4 flow-vpn; ipv4 mcast-vpn; ' +
        'ipv6 unicast; ipv6 nlri-mpls; ipv6 mpls-vpn; ipv6 flow; ipv6 flow-vpn; ipv6 mcast-vpn; l2vpn vpls; l2vpn evpn;';
      const peer = await CheckingPeer.listen(host);
      cleanups.push(() => peer.close());
      const text = configText(
        host,
        peer.port,
        local,
        `host-name ${'h'.repeat(64)}; domain-name ${'d'.repeat(53)};`,
      ).replace('family { ipv4 unicast; ipv6 unicast; }', `family { ${families} }`);
      const config = parseConfiguration(text, 'rfc9072.conf');
      const speaker = await Speaker.start({
        configuration: config,
        transport,
        env: {},
        log: () => {},
        retry: FAST_RETRY,
      });
      cleanups.push(() => {
        speaker.destroy();
        return speaker.done;
      });
      const connection = await peer.nextConnection();
      const { sent } = await establish(connection);
      const plain = encodeOpen({ ...decodeOpen(sent.subarray(19)), extendedOptionalParameters: false });
      expect(plain[19 + 9]).toBe(255); // the RFC 4271 length would be 255
      expect([sent[19 + 9], sent[19 + 10]]).toEqual([255, 255]); // RFC 9072 §2: Non-Ext OP Len and Type
      expect(hex(sent)).toBe(hex(encodeOpenFor(config.neighbors[0]!, { ...FACTS, localAddress: local })));
    });

    it('answers a ROUTE-REFRESH with the family routes and its End-of-RIB (RFC 2918 §4)', async () => {
      const { peer, config, logs } = await start(transport, host, local, 'capability { route-refresh; }');
      const connection = await peer.nextConnection();
      const { negotiated } = await establish(connection, peerOpen([{ type: 'route-refresh' }]));
      const first = [...initialMessagesFor(config.neighbors[0]!, negotiated, { ...FACTS, localAddress: local })];
      for (const _ of first) await connection.nextNotKeepalive();
      connection.send(encodeRouteRefresh({ type: 'route-refresh', afi: 2, safi: 1, subtype: 0 }));
      const ipv6 = { ...negotiated, families: [{ afi: 2, safi: 1 }] };
      const again = [...initialMessagesFor(config.neighbors[0]!, ipv6, { ...FACTS, localAddress: local })].map(hex);
      expect(again).toHaveLength(2);
      const got: string[] = [];
      for (const _ of again) got.push(hex(await connection.nextNotKeepalive()));
      expect(got).toEqual(again);
      expect(logs.some((l) => l.includes('ROUTE-REFRESH for ipv6 unicast'))).toBe(true);
    });

    it('reconnects after the peer drops the session, and announces again', async () => {
      const { speaker, peer, logs } = await start(transport, host, local);
      const first = await peer.nextConnection();
      await establish(first);
      for (let i = 0; i < 6; i++) await first.nextNotKeepalive();
      first.socket.destroy();
      const second = await peer.nextConnection(15_000);
      await establish(second);
      for (let i = 0; i < 6; i++) await second.nextNotKeepalive();
      // the speaker counts an announcement once the transport took its last message: it may lag the peer
      const deadline = Date.now() + 5000;
      while (speaker.neighbors[0]!.announcements < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(speaker.neighbors[0]!.announcements).toBe(2);
      expect(logs.some((l) => l.includes('trying again in'))).toBe(true);
    });
  },
  30_000,
);

describe('speaker', () => {
  it('answers with BoRR, the routes and EoRR when enhanced route refresh is negotiated (RFC 7313 §4)', async () => {
    const { peer, config } = await start('sync', '127.0.3.21', '127.0.3.22', 'capability { route-refresh; }');
    const connection = await peer.nextConnection();
    const { negotiated } = await establish(
      connection,
      peerOpen([{ type: 'route-refresh' }, { type: 'enhanced-route-refresh' }]),
    );
    expect(negotiated.enhancedRouteRefresh).toBe(true);
    for (let i = 0; i < 6; i++) await connection.nextNotKeepalive();
    connection.send(encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 1, subtype: 0 }));
    const ipv4 = { ...negotiated, families: [{ afi: 1, safi: 1 }] };
    const neighbor = { ...config.neighbors[0]!, manualEor: true };
    const routes = [...initialMessagesFor(neighbor, ipv4, { ...FACTS, localAddress: '127.0.3.22' })];
    const expected = [
      encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 1, subtype: 1 }),
      ...routes,
      encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 1, subtype: 2 }),
    ].map(hex);
    expect(routes).toHaveLength(3);
    const got: string[] = [];
    for (const _ of expected) got.push(hex(await connection.nextNotKeepalive()));
    expect(got).toEqual(expected);
  });

  it('prints each received message as one line of ExaBGP JSON (--print-received)', async () => {
    const { peer, output } = await start('async', '127.0.3.23', '127.0.3.24', '', { printReceived: true });
    const connection = await peer.nextConnection();
    const { negotiated } = await establish(connection);
    connection.send(
      encodeUpdate(
        {
          type: 'update',
          withdrawn: [],
          attributes: [
            { kind: 'origin', code: 1, origin: 0 },
            { kind: 'as-path', code: 2, segments: [{ type: 2, asns: [65002] }] },
            { kind: 'next-hop', code: 3, nextHop: parseIpv4('198.51.100.9') },
          ],
          nlri: [ipv4Prefix(parseIpv4('192.0.2.0'), 24)],
        },
        negotiated.context,
      ),
    );
    const deadline = Date.now() + 10_000;
    while (!output.some((l) => l.includes('"update"')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const lines = output.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['open', 'keepalive', 'update']);
    const update = lines[2] as {
      neighbor: { address: { local: string; peer: string }; direction: string; message: { update: unknown } };
    };
    expect(update.neighbor.address).toEqual({ local: '127.0.3.24', peer: '127.0.3.23' });
    expect(update.neighbor.direction).toBe('receive');
    expect(update.neighbor.message.update).toEqual({
      attribute: { origin: 'igp', 'as-path': { '0': { element: 'as-sequence', value: [65002] } } },
      announce: { 'ipv4 unicast': { '198.51.100.9': [{ nlri: '192.0.2.0/24' }] } },
    });
  });

  it('stops by itself once every End-of-RIB is sent (--exit-after-eor)', async () => {
    const { speaker, peer } = await start('bridge', '127.0.3.25', '127.0.3.26', '', { exitAfterEor: true });
    const connection = await peer.nextConnection();
    await establish(connection);
    await speaker.done;
    const messages: number[] = [];
    for (;;) {
      const message = await connection.nextNotKeepalive().catch(() => undefined);
      if (message === undefined) break;
      messages.push(message[18] as number);
    }
    // 4 UPDATEs, 2 End-of-RIBs, then the Cease
    expect(messages).toEqual([2, 2, 2, 2, 2, 2, 3]);
  });

  it.each(TRANSPORTS)(
    'over %s, waits for passive neighbors on one listener shared by every neighbor on that port',
    async (transport) => {
      const n = TRANSPORTS.indexOf(transport) + 1;
      const bind = `127.0.4.${n}`;
      const peers = [`127.0.4.${10 + n}`, `127.0.4.${20 + n}`];
      // a free port for `listen PORT`
      const probe = await CheckingPeer.listen(bind);
      const port = probe.port;
      await probe.close();
      const text = peers
        .map(
          (peer) => `neighbor ${peer} {
            router-id 10.0.0.1; local-address ${bind}; local-as 65001; peer-as 65002; passive true; listen ${port};
            family { ipv4 unicast; }
            static { route 203.0.113.0/24 next-hop 198.51.100.1; }
          }`,
        )
        .join('\n');
      const speaker = await Speaker.start({
        configuration: parseConfiguration(text, 'passive.conf'),
        transport,
        env: {},
        log: () => {},
      });
      cleanups.push(() => {
        speaker.destroy();
        return speaker.done;
      });
      for (const peer of peers) {
        // the connecting side sends its OPEN at once, before it hears from the listener
        const connection = await CheckingPeer.dial(bind, port, peer);
        cleanups.push(() => void connection.socket.destroy());
        connection.send(encodeOpen(peerOpen()));
        expect((await connection.next())[18]).toBe(1);
        connection.send(encodeKeepalive());
        expect((await connection.next())[18]).toBe(4);
        expect((await connection.nextNotKeepalive())[18]).toBe(2);
      }
      // RFC 4271 §8.2.1.1: a connection from an address that is no configured peer is refused
      // (the reset may come before the connect event, failing the dial)
      const stranger = await CheckingPeer.dial(bind, port, `127.0.4.${30 + n}`).then(
        (connection) => connection.waitClosed().then(() => 'closed'),
        (error: NodeJS.ErrnoException) => error.code,
      );
      expect(['closed', 'ECONNRESET']).toContain(stranger);
      expect(speaker.neighbors.map((neighbor) => neighbor.state)).toEqual(['Established', 'Established']);
    },
  );

  it.each([
    ['md5-password "x";', 'TCP MD5'],
    ['outgoing-ttl 2;', 'TTL security'],
    ['peer-as auto;', 'peer-as auto'],
  ])('refuses %s at start', async (line, reason) => {
    const text = `neighbor 127.0.3.40 { router-id 10.0.0.1; local-as 65001; peer-as 65002; ${line} }`;
    const started = Speaker.start({ configuration: parseConfiguration(text, 'x.conf'), transport: 'sync', env: {} });
    await expect(started).rejects.toBeInstanceOf(SpeakerRefused);
    await expect(started).rejects.toThrow(reason);
  });

  it('refuses a 4-octet local AS with asn4 disable (it cannot be sent in a 2-octet session)', async () => {
    const text = `neighbor 127.0.3.40 { router-id 10.0.0.1; local-as 4200000000; peer-as 65002;
      capability { asn4 disable; } }`;
    await expect(
      Speaker.start({ configuration: parseConfiguration(text, 'x.conf'), transport: 'sync', env: {} }),
    ).rejects.toThrow(/local-as 4200000000 needs 4 octets, but asn4 is disabled/);
  });

  it('refuses routes of a family it cannot encode', async () => {
    const text = `neighbor 127.0.3.40 { router-id 10.0.0.1; local-as 65001; peer-as 65002;
      family { ipv4 flow; }
      flow { route r { match { destination 10.0.0.0/8; } then { discard; } } } }`;
    await expect(
      Speaker.start({ configuration: parseConfiguration(text, 'x.conf'), transport: 'sync', env: {} }),
    ).rejects.toThrow(/ipv4 flow cannot be encoded/);
  });
});

describe('speakerEnvironment (ExaBGP reads exabgp.tcp.port and exabgp.tcp.bind from the environment)', () => {
  it('takes either spelling, and the first bind address', () => {
    expect(speakerEnvironment({ exabgp_tcp_port: '1790' })).toEqual({ port: 1790 });
    expect(speakerEnvironment({ 'exabgp.tcp.port': '1791', 'exabgp.tcp.bind': '127.0.0.2 127.0.0.3' })).toEqual({
      port: 1791,
      bind: '127.0.0.2',
    });
    expect(speakerEnvironment({})).toEqual({});
  });

  it.each(['0', '65536', 'bgp', '17.9'])('refuses the port %s', (port) => {
    expect(() => speakerEnvironment({ exabgp_tcp_port: port })).toThrow(RangeError);
  });
});

describe.each(TRANSPORTS)('speaker over %s on IPv6 loopback', (transport) => {
  it("sends ExaBGP's bytes for an IPv6 session whose route says next-hop self (the local address, RFC 4760)", async () => {
    const peer = await CheckingPeer.listen('::1');
    cleanups.push(() => peer.close());
    const text = `neighbor ::1 {
      router-id 10.0.0.6; local-address ::1; local-as 65001; peer-as 65002; connect ${peer.port};
      family { ipv6 unicast; }
      static { route 2001:db8:5::/48 next-hop self; }
    }`;
    const config = parseConfiguration(text, 'ipv6.conf');
    const speaker = await Speaker.start({ configuration: config, transport, env: {}, log: () => {} });
    cleanups.push(() => {
      speaker.destroy();
      return speaker.done;
    });
    const connection = await peer.nextConnection();
    const open = peerOpen();
    const { sent, negotiated } = await establish(connection, { ...open, capabilities: open.capabilities.slice(1) });
    const facts = { ...FACTS, localAddress: '::1', routerId: '10.0.0.6' };
    expect(hex(sent)).toBe(hex(encodeOpenFor(config.neighbors[0]!, facts)));
    const expected = [...initialMessagesFor(config.neighbors[0]!, negotiated, facts)].map(hex);
    // one UPDATE (MP_REACH_NLRI with next hop ::1) and the IPv6 unicast End-of-RIB
    expect(expected).toHaveLength(2);
    // AFI 2, SAFI 1, next hop length 16, ::1
    expect(expected[0]).toContain(`00020110${'0'.repeat(30)}01`);
    const got: string[] = [];
    for (const _ of expected) got.push(hex(await connection.nextNotKeepalive()));
    expect(got).toEqual(expected);
  });
});
