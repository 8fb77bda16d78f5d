/**
 * Labelled unicast and MPLS VPN routes from configuration to bytes, compared with what ExaBGP 6 sends: each
 * expected UPDATE is `exabgp encode -f FAMILY ROUTE` of the same route (an iBGP session, as here).
 */
import { type Capability, decodeOpen, encodeOpen, negotiate, type OpenMessage } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import { parseConfiguration } from '../grammar/index.js';
import type { Neighbor } from '../model.js';
import { openFor } from './open.js';
import { initialMessagesFor } from './updates.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

function neighbor(family: string, route: string, extra = ''): Neighbor {
  return parseConfiguration(
    [
      'neighbor 127.0.0.1 {',
      '  router-id 10.0.0.2; local-address 127.0.0.1; local-as 65533; peer-as 65533;',
      `  family { ${family}; }`,
      extra,
      `  static { ${route}; }`,
      '}',
    ].join('\n'),
  ).neighbors[0]!;
}

/** What the neighbor sends once the peer answered with its own OPEN (as ExaBGP's checker does). */
function sent(n: Neighbor): string[] {
  const ours = openFor(n);
  const theirs: OpenMessage = { ...ours, capabilities: ours.capabilities as Capability[] };
  return [...initialMessagesFor(n, negotiate(ours, theirs))].map(hex);
}

const ENCODE: ReadonlyArray<readonly [string, string, string]> = [
  [
    'ipv4 nlri-mpls',
    'route 10.0.0.0/24 label [100 200] next-hop 192.0.2.1',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0042020000002B40010100400200400304C000020140050400000064800E1300010404C00002010048000640000C810A0000',
  ],
  [
    'ipv6 nlri-mpls',
    'route 2001:db8::/32 label 100 next-hop 2001:db8::1',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0045020000002E4001010040020040050400000064800E1D0002041020010DB8000000000000000000000001003800064120010DB8',
  ],
  [
    'ipv4 mpls-vpn',
    'route 10.0.0.0/24 rd 1.2.3.4:5 label 100 next-hop 192.0.2.1',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004F020000003840010100400200400304C000020140050400000064800E200001800C0000000000000000C0000201007000064100010102030400050A0000',
  ],
  [
    'ipv4 mpls-vpn',
    'route 10.0.0.0/24 rd 4200000000:5 label 100 next-hop 192.0.2.1 med 10 extended-community [target:65000:1]',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0061020000004A40010100400200400304C00002018004040000000A40050400000064C010080002FDE800000001800E200001800C0000000000000000C000020100700006410002FA56EA0000050A0000',
  ],
  [
    'ipv6 mpls-vpn',
    'route 2001:db8::/48 rd 1:1 label 100 next-hop ::ffff:192.0.2.1',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF005702000000404001010040020040050400000064800E2F00028018000000000000000000000000000000000000FFFFC00002010088000641000000010000000120010DB80000',
  ],
  [
    // ExaBGP writes an IPv4 next hop of an IPv6 VPN route as it is written: NEXT_HOP, and 12 octets (RD + IPv4)
    'ipv6 mpls-vpn',
    'route 2001:db8::/48 rd 1:1 label 100 next-hop 192.0.2.1',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0052020000003B40010100400200400304C000020140050400000064800E230002800C0000000000000000C00002010088000641000000010000000120010DB80000',
  ],
  [
    'ipv4 mpls-vpn',
    'route 10.0.0.0/24 rd 1.2.3.4:5 label 100 next-hop 2001:db8::1',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0054020000003D4001010040020040050400000064800E2C00018018000000000000000020010DB8000000000000000000000001007000064100010102030400050A0000',
  ],
  [
    // no ADD-PATH negotiated: the configured path identifier is not sent
    'ipv4 nlri-mpls',
    'route 10.0.0.0/24 label 100 next-hop 192.0.2.1 path-information 7',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003F020000002840010100400200400304C000020140050400000064800E1000010404C000020100300006410A0000',
  ],
];

describe('labelled and VPN UPDATEs byte for byte as ExaBGP sends them', () => {
  it.each(ENCODE)('%s: %s', (family, route, expected) => {
    const messages = sent(neighbor(family, route));
    expect(messages[0]).toBe(expected);
    // then the End-of-RIB of the family: MP_UNREACH_NLRI with no routes (RFC 4724 §2), 0x90 as ExaBGP sends it
    const [afi, safi] =
      family === 'ipv4 nlri-mpls'
        ? ['0001', '04']
        : family === 'ipv6 nlri-mpls'
          ? ['0002', '04']
          : family === 'ipv4 mpls-vpn'
            ? ['0001', '80']
            : ['0002', '80'];
    expect(messages.at(-1)).toBe(`${'FF'.repeat(16)}001E0200000007900F0003${afi}${safi}`);
  });

  it('sends path identifiers once ADD-PATH is negotiated for the family (RFC 7911), in the OPEN in ExaBGP order', () => {
    const n = neighbor(
      'ipv4 mpls-vpn; ipv4 nlri-mpls',
      'route 10.0.0.0/24 origin igp next-hop 192.168.0.1 extended-community [ target:0:0 target:1:1 ] label 20012 rd 100:100 local-preference 100 path-information 10',
      '  capability { add-path send/receive; }\n  add-path { ipv4 mpls-vpn; ipv4 nlri-mpls; }',
    );
    const open = decodeOpen(encodeOpen(openFor(n)).subarray(19));
    expect(open.capabilities.filter((c) => c.type === 'multiprotocol' || c.type === 'add-path')).toEqual([
      { type: 'multiprotocol', afi: 1, safi: 4 },
      { type: 'multiprotocol', afi: 1, safi: 128 },
      // Capabilities._ADD_PATH: nlri-mpls before mpls-vpn
      {
        type: 'add-path',
        families: [
          { afi: 1, safi: 4, sendReceive: 3 },
          { afi: 1, safi: 128, sendReceive: 3 },
        ],
      },
    ]);
    // conf-addpath's route, as ExaBGP's checker recorded it
    expect(sent(n)[0]).toBe(
      'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0066020000004F40010100400200400304C0A8000140050400000064C01010000200000000' +
        '00000002000100000001800E240001800C0000000000000000C0A80001000000000A7004E2C100000064000000640A0000',
    );
  });
});
