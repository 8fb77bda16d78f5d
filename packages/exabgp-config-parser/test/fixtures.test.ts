import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseFile } from '../src/index.js';

const configs = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/configs');

function parse(name: string) {
  return parseFile(join(configs, name));
}

describe('fixtures/configs/ipv4-ipv6.conf', () => {
  const c = parse('ipv4-ipv6.conf');
  const [v4, v6] = c.neighbors;

  it('reads the process: quoted argument kept whole, encoder, respawn', () => {
    expect(c.processes).toMatchObject([
      {
        name: 'monitor',
        run: ['/usr/bin/env', 'python3', '-u', 'monitor script.py', '--verbose'],
        encoder: 'json',
        respawn: false,
      },
    ]);
  });

  it('reads the IPv4 session settings (asdot peer-as, md5 in single quotes)', () => {
    expect(v4).toMatchObject({
      peerAddress: '192.0.2.1',
      localAddress: '192.0.2.2',
      routerId: '192.0.2.2',
      localAs: 65001,
      peerAs: 64496 * 65536 + 1,
      holdTime: 90,
      passive: true,
      connect: 1179,
      md5Password: 'secret with spaces',
      md5Ip: '192.0.2.2',
      outgoingTtl: 255,
      incomingTtl: 254,
      rateLimit: 100,
      description: 'IPv4 transit',
    });
  });

  it('capabilities: bare graceful-restart takes the hold time, route-refresh turns adj-rib-out on', () => {
    expect(v4!.capabilities).toMatchObject({
      routeRefresh: true,
      gracefulRestart: 90,
      asn4: true,
      softwareVersion: true,
    });
    expect(v4!.adjRibOut).toBe(true);
  });

  it('labeled-unicast is the nlri-mpls family (SAFI 4)', () => {
    expect(v4!.families.map((f) => [f.afi, f.safi, f.afiCode, f.safiCode])).toEqual([
      ['ipv4', 'unicast', 1, 1],
      ['ipv4', 'nlri-mpls', 1, 4],
    ]);
  });

  it('the api block', () => {
    expect(v4!.api).toMatchObject([
      {
        name: 'watcher',
        processes: ['monitor'],
        neighborChanges: true,
        receive: { parsed: true, update: true, packets: false },
        send: { packets: true, parsed: false },
      },
    ]);
  });

  it('static routes: next-hop self, a label makes nlri-mpls', () => {
    expect(v4!.routes.map((r) => [r.family.safi, r.nlri.kind === 'prefix' && r.nlri.prefix, r.nextHop])).toEqual([
      ['unicast', '198.51.100.0/24', 'self'],
      ['nlri-mpls', '203.0.113.0/24', '192.0.2.2'],
    ]);
  });

  it('IPv6 neighbor: addresses normalised, announce block routes with their family', () => {
    expect(v6).toMatchObject({ peerAddress: '2001:db8::1', localAddress: '2001:db8::2', groupUpdates: false });
    expect(v6!.routes).toMatchObject([
      {
        family: { afi: 'ipv6', safi: 'unicast' },
        nlri: { prefix: '2001:db8:100::/48' },
        attributes: { communities: [65001 * 65536 + 100] },
      },
      { nextHop: '::ffff:c000:202', nlri: { prefix: '2001:db8:200::/48', pathInformation: 7 } },
    ]);
  });
});

describe('fixtures/configs/templates.conf', () => {
  const [first, second] = parse('templates.conf').neighbors;

  it("the neighbor's own setting wins, then the later template", () => {
    expect(first).toMatchObject({ localAs: 65000, peerAs: 65100, holdTime: 240, inherit: ['common', 'long-hold'] });
    expect(second).toMatchObject({ localAs: 65000, peerAs: 65000, holdTime: 30 });
  });

  it("families and capabilities come from the template; routes: the neighbor's, then each template's", () => {
    expect(first!.families.map((f) => `${f.afi} ${f.safi}`)).toEqual(['ipv4 unicast']);
    expect(first!.capabilities.gracefulRestart).toBe(120);
    expect(first!.routes.map((r) => r.nlri.kind === 'prefix' && r.nlri.prefix)).toEqual([
      '192.168.0.0/16',
      '10.0.0.0/8',
      '172.16.0.0/12',
    ]);
    expect(second!.routes).toHaveLength(1);
  });
});

describe('fixtures/configs/attributes.conf', () => {
  const routes = parse('attributes.conf').neighbors[0]!.routes;

  it('the block route carries every attribute', () => {
    expect(routes[0]).toMatchObject({
      nextHop: '10.0.0.1',
      name: 'backbone',
      attributes: {
        origin: 'egp',
        asPath: [
          { type: 'sequence', asns: [65001, 65002] },
          { type: 'set', asns: [65003, 65004] },
        ],
        med: 50,
        localPreference: 200,
        atomicAggregate: true,
        aggregator: { asn: 65001, address: '10.0.0.9' },
        // configured order kept, duplicates kept (ExaBGP sends a standard community listed twice twice)
        communities: [65000 * 65536 + 1, 0xffffff01, 0xffff0000, 65000 * 65536 + 1],
        extendedCommunities: [
          { text: 'target:65000:7', hex: '0002fde800000007' },
          { text: 'origin:10.0.0.1:3', hex: '01030a0000010003' },
        ],
        // large communities are de-duplicated (static/parser.py large_community)
        largeCommunities: [
          [65000, 1, 2],
          [65000, 3, 4],
        ],
        originatorId: '10.0.0.5',
        clusterList: ['10.0.0.6', '10.0.0.7'],
        aigp: 100,
        generic: [{ code: 0x99, flags: 0xc0, hex: '00000064' }],
      },
    });
  });

  it('split /18 of a /16 gives four routes', () => {
    expect(routes.slice(1, 5).map((r) => r.nlri.kind === 'prefix' && r.nlri.prefix)).toEqual([
      '10.2.0.0/18',
      '10.2.64.0/18',
      '10.2.128.0/18',
      '10.2.192.0/18',
    ]);
  });

  it('an rd makes mpls-vpn with its labels', () => {
    expect(routes[5]).toMatchObject({
      family: { safi: 'mpls-vpn', safiCode: 128 },
      nlri: { labels: [16, 17], rd: { type: 0, administrator: 65000, assigned: 10 } },
    });
  });

  it('watchdog and withdraw', () => expect(routes[6]).toMatchObject({ watchdog: 'web', withdraw: true }));

  it('attributes ... nlri gives one route per prefix with the shared attributes', () => {
    expect(
      routes.slice(8).map((r) => [r.nlri.kind === 'prefix' && r.nlri.prefix, r.nextHop, r.attributes.med]),
    ).toEqual([
      ['10.5.0.0/24', '10.0.0.2', 5],
      ['10.6.0.0/24', '10.0.0.2', 5],
    ]);
  });
});

describe('fixtures/configs/flow-vpls.conf', () => {
  const routes = parse('flow-vpls.conf').neighbors[0]!.routes;

  it('flow match components, operators and names (RFC 8955 §4.2)', () => {
    expect(routes[0]).toMatchObject({
      family: { afi: 'ipv4', safi: 'flow', safiCode: 133 },
      name: 'block-web',
      nlri: {
        kind: 'flow',
        components: [
          { type: 1, prefix: '192.0.2.0/24' },
          { type: 2, prefix: '198.51.100.0/24' },
          {
            type: 3,
            terms: [
              { op: '=', value: 6 },
              { op: '=', value: 17 },
            ],
          },
          {
            type: 5,
            terms: [
              { and: false, op: '=', value: 80 },
              { and: false, op: '>=', value: 8080 },
              { and: true, op: '<=', value: 8088 },
            ],
          },
          {
            type: 9,
            terms: [
              { op: 'include', value: 0x12 },
              { op: 'not', value: 4 },
            ],
          },
        ],
      },
      // rate-limit 9600 bytes/s: traffic-rate 0x8006, ASN 0, IEEE float 9600 = 0x46160000
      attributes: { extendedCommunities: [{ hex: '8006000046160000' }], communities: [65000 * 65536 + 666] },
    });
  });

  it('IPv6 flow with a prefix offset (RFC 8956 §3.1), redirect and mark', () => {
    expect(routes[1]).toMatchObject({
      family: { afi: 'ipv6', safi: 'flow' },
      nlri: {
        components: [
          { type: 1, prefix: '2001:db8::/32', offset: 8 },
          { type: 3, keyword: 'next-header' },
        ],
      },
      attributes: { extendedCommunities: [{ hex: '8008fde800000064' }, { hex: '800900000000000a' }] },
    });
  });

  it('vpls block (RFC 4761)', () => {
    expect(routes[2]).toMatchObject({
      family: { afi: 'l2vpn', safi: 'vpls', afiCode: 25, safiCode: 65 },
      nlri: { kind: 'vpls', endpoint: 3, base: 10702, offset: 1, size: 8, rd: { type: 1, administrator: 0xc0000201 } },
      nextHop: '192.0.2.1',
      name: 'site1',
    });
  });
});

/** fixtures/configs/bad: each file and the error it must give (first line, then what the message must also say) */
const BAD: [string, string, string][] = [
  ['unknown-keyword.conf', "6:2: unknown keyword 'hold-tme' in neighbor 127.0.0.1", "did you mean 'hold-time'?"],
  ['bad-asn.conf', "4:11: '4294967296' is not a valid AS number", 'expected: an AS number'],
  ['bad-address.conf', "6:9: '10.0.0.256' is not a valid IP address", 'expected: an IPv4 or IPv6 address'],
  ['host-bits.conf', "7:9: '10.0.0.1/8' is not a valid network", 'expected: 10.0.0.0/8'],
  ['bad-community.conf', "7:60: '65536:1' is not a valid community (prefix too large)", 'expected: at most 65535'],
  [
    'unterminated.conf',
    '4:16: statement is not terminated at the end of the line',
    "expected: ';' to end the statement",
  ],
  [
    'unclosed.conf',
    "1:1: block 'neighbor 127.0.0.1' opened here is never closed",
    "expected: '}' before the end of the file",
  ],
  [
    'bad-boolean.conf',
    "6:16: 'yes' is not a valid boolean",
    'expected: true, enable, enabled, false, disable or disabled',
  ],
  ['bad-label.conf', "10:46: '1048576' is not a valid MPLS label", '(20 bits)'],
  ['missing-peer-as.conf', '1:10: incomplete neighbor 127.0.0.1, missing peer-as', 'expected: peer-as'],
  ['unknown-template.conf', "9:10: unknown template 'bsae'", "did you mean 'base'?"],
  [
    'family-not-negotiated.conf',
    '10:3: a route of family ipv6 unicast is announced',
    "expected: 'ipv6 unicast;' in the family block",
  ],
  [
    'unknown-process.conf',
    "10:15: an api of neighbor 127.0.0.1 uses process 'wacher', which is not defined",
    "did you mean 'watcher'?",
  ],
  ['bad-extended-community.conf', "7:76: 'targe' is not a known extended community type", 'expected: target, target4'],
  ['bad-safi.conf', "7:8: unknown SAFI 'unicst' for ipv4", "did you mean 'unicast'?"],
  ['statement-as-block.conf', "6:12: 'capability' opens a block in neighbor 127.0.0.1", "expected: '{'"],
  ['bad-hold-time.conf', "6:12: '2' is not a valid hold-time", 'RFC 4271'],
];

describe('fixtures/configs/bad: file:line:column, the line, a caret, what was expected', () => {
  it.each(BAD)('%s', (name, first, also) => {
    let error: unknown;
    try {
      parse(`bad/${name}`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    const lines = message.split('\n');
    expect(lines[0]).toContain(`bad/${name}:${first}`);
    expect(message).toContain(also);
    // the caret line sits under the reported column
    const e = error as ConfigError;
    const caretLine = lines[3]!;
    const caretAt = caretLine.indexOf('^') - caretLine.indexOf('|') - 2;
    expect(caretAt).toBe(e.column - 1);
    expect(lines[2]).toContain(e.sourceLine);
  });

  it('covers every file in fixtures/configs/bad', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(configs, 'bad')).sort()).toEqual(BAD.map(([name]) => name).sort());
  });
});
