import { type Capability, familyKey, negotiate, type OpenMessage } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import type { Attributes, Neighbor } from '../model.js';
import { makeNeighbor, makeRoute } from './neighbor.js';
import { openFor } from './open.js';
import { initialMessagesFor, pathAttributesFor } from './updates.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const MARKER = 'FF'.repeat(16);
const u16 = (n: number) => n.toString(16).padStart(4, '0').toUpperCase();
/** A whole UPDATE (RFC 4271 §4.3) with no withdrawn routes. */
const update = (attributes: string, nlri = '') =>
  `${MARKER}${u16(19 + 4 + (attributes.length + nlri.length) / 2)}020000${u16(attributes.length / 2)}${attributes}${nlri}`;

const ORIGIN_IGP = '40010100';
const EMPTY_AS_PATH = '400200';
const LOCAL_PREF_100 = '40050400000064';
const EOR_IPV4 = `${MARKER}00170200000000`;
const EOR_IPV6 = `${MARKER}001E0200000007900F0003000201`;

const IPV6_UNICAST = { afi: 'ipv6', safi: 'unicast', afiCode: 2, safiCode: 1, key: familyKey(2, 1) } as const;
const IPV4_UNICAST = { afi: 'ipv4', safi: 'unicast', afiCode: 1, safiCode: 1, key: familyKey(1, 1) } as const;

/**
 * The peer answers with our own OPEN (as ExaBGP's checker does), its AS replaced by `peerAs`, and with or
 * without Extended Message.
 */
function sent(neighbor: Neighbor, peer: { peerAs?: number; extendedMessage?: boolean } = {}): string[] {
  const ours = openFor(neighbor);
  const peerAs = peer.peerAs ?? ours.asn;
  const capabilities: Capability[] = ours.capabilities
    .filter((c) => peer.extendedMessage !== false || c.type !== 'extended-message')
    .map((c) => (c.type === 'asn4' ? { ...c, asn: peerAs } : c));
  const theirs: OpenMessage = { ...ours, asn: peerAs, capabilities };
  return [...initialMessagesFor(neighbor, negotiate(ours, theirs))].map(hex);
}

const ibgp = (fields: Partial<Neighbor> = {}) =>
  makeNeighbor({
    peerAddress: '127.0.0.1',
    localAddress: '127.0.0.1',
    routerId: '10.0.0.2',
    localAs: 65000,
    peerAs: 65000,
    ...fields,
  });

describe('UPDATEs a neighbor sends (ExaBGP OutgoingRIB.updates, UpdateCollection.messages)', () => {
  it('iBGP defaults: ORIGIN igp, empty AS_PATH, NEXT_HOP, LOCAL_PREF 100; then the End-of-RIB', () => {
    const neighbor = ibgp({ routes: [makeRoute('10.0.0.0/24', '192.0.2.1')] });
    expect(sent(neighbor)).toEqual([
      update(`${ORIGIN_IGP}${EMPTY_AS_PATH}400304C0000201${LOCAL_PREF_100}`, '180A0000'),
      EOR_IPV4,
    ]);
  });

  it('eBGP: AS_PATH [local-as], LOCAL_PREF dropped even when configured (RFC 4271 §5.1.5)', () => {
    const neighbor = ibgp({ routes: [makeRoute('10.0.0.0/24', '192.0.2.1', { localPreference: 200, med: 5 })] });
    expect(sent(neighbor, { peerAs: 65001 })).toEqual([
      // AS_SEQUENCE of one 4-octet AS 65000, then MED (optional non-transitive, 0x80)
      update(`${ORIGIN_IGP}40020602010000FDE8400304C000020180040400000005`, '180A0000'),
      EOR_IPV4,
    ]);
  });

  it('attributes in ascending type code whatever the configuration order; configured ORIGIN kept', () => {
    const attributes: Attributes = {
      largeCommunities: [[1, 2, 3]],
      communities: [0x00010002],
      origin: 'incomplete',
      asPath: [{ type: 'sequence', asns: [65010] }],
      atomicAggregate: true,
      aggregator: { asn: 65010, address: '192.0.2.9' },
      originatorId: '10.9.9.9',
      clusterList: ['10.8.8.8'],
    };
    const neighbor = ibgp({ routes: [makeRoute('10.0.0.0/8', '192.0.2.1', attributes)] });
    expect(sent(neighbor)[0]).toBe(
      update(
        '40010102' + // ORIGIN incomplete
          '40020602010000FDF2' + // AS_PATH sequence [65010]
          '400304C0000201' + // NEXT_HOP
          LOCAL_PREF_100 +
          '400600' + // ATOMIC_AGGREGATE
          'C007080000FDF2C0000209' + // AGGREGATOR 4-octet AS + address
          'C0080400010002' + // COMMUNITIES
          '8009040A090909' + // ORIGINATOR_ID
          '800A040A080808' + // CLUSTER_LIST
          'C0200C000000010000000200000003', // LARGE_COMMUNITY
        '080A',
      ),
    );
  });

  it('communities and extended communities sorted, duplicates kept; large communities sorted and de-duplicated', () => {
    const attributes: Attributes = {
      communities: [0x00020002, 0x00010001, 0x00020002],
      extendedCommunities: [
        { text: 'target:2:2', hex: '0002000200000002', ipv6: false },
        { text: 'target:1:1', hex: '0002000100000001', ipv6: false },
      ],
      largeCommunities: [
        [2, 0, 0],
        [1, 5, 5],
        [2, 0, 0],
      ],
    };
    const built = pathAttributesFor(attributes, '192.0.2.1', { localAs: 1, peerAs: 1, asn4: true, aigp: false });
    expect(built.find((a) => a.kind === 'communities')).toMatchObject({ communities: [0x10001, 0x20002, 0x20002] });
    expect(built.find((a) => a.kind === 'extended-communities')).toMatchObject({
      communities: [
        { high: 0x00020001, low: 1 },
        { high: 0x00020002, low: 2 },
      ],
    });
    expect(built.find((a) => a.kind === 'large-communities')).toMatchObject({
      communities: [
        { global: 1, local1: 5, local2: 5 },
        { global: 2, local1: 0, local2: 0 },
      ],
    });
  });

  it('IPv4 routes with the same attributes share one UPDATE, NLRI sorted by length then address', () => {
    const neighbor = ibgp({
      routes: [
        makeRoute('10.2.0.0/24', '192.0.2.1'),
        makeRoute('10.1.0.0/16', '192.0.2.1'),
        makeRoute('10.0.0.0/24', '192.0.2.1'),
      ],
    });
    const attributes = `${ORIGIN_IGP}${EMPTY_AS_PATH}400304C0000201${LOCAL_PREF_100}`;
    expect(sent(neighbor)).toEqual([update(attributes, '100A01180A0000180A0200'), EOR_IPV4]);
  });

  it('group-updates false: one UPDATE per route, in configuration order', () => {
    const neighbor = ibgp({
      groupUpdates: false,
      routes: [makeRoute('10.2.0.0/24', '192.0.2.1'), makeRoute('10.0.0.0/24', '192.0.2.1')],
    });
    const attributes = `${ORIGIN_IGP}${EMPTY_AS_PATH}400304C0000201${LOCAL_PREF_100}`;
    expect(sent(neighbor)).toEqual([update(attributes, '180A0200'), update(attributes, '180A0000'), EOR_IPV4]);
  });

  it('different next hops or attributes are different UPDATEs, in order of first appearance', () => {
    const neighbor = ibgp({
      routes: [
        makeRoute('10.0.0.0/24', '192.0.2.1'),
        makeRoute('10.1.0.0/24', '192.0.2.2'),
        makeRoute('10.2.0.0/24', '192.0.2.1'),
      ],
    });
    expect(sent(neighbor)).toEqual([
      update(`${ORIGIN_IGP}${EMPTY_AS_PATH}400304C0000201${LOCAL_PREF_100}`, '180A0000180A0200'),
      update(`${ORIGIN_IGP}${EMPTY_AS_PATH}400304C0000202${LOCAL_PREF_100}`, '180A0100'),
      EOR_IPV4,
    ]);
  });

  it('IPv6: MP_REACH_NLRI last, flags 0x80, one route per UPDATE; End-of-RIB is MP_UNREACH with 0x90', () => {
    const neighbor = ibgp({
      families: [IPV6_UNICAST],
      routes: [makeRoute('2001:db8::/32', '2001:db8::1'), makeRoute('2001:db8:1::/48', '2001:db8::1')],
    });
    const reach = (nlri: string) => {
      const value = `0002011020010DB8000000000000000000000001${'00'}${nlri}`;
      return `800E${(value.length / 2).toString(16).padStart(2, '0').toUpperCase()}${value}`;
    };
    expect(sent(neighbor)).toEqual([
      update(`${ORIGIN_IGP}${EMPTY_AS_PATH}${LOCAL_PREF_100}${reach('2020010DB8')}`),
      update(`${ORIGIN_IGP}${EMPTY_AS_PATH}${LOCAL_PREF_100}${reach('3020010DB80001')}`),
      EOR_IPV6,
    ]);
  });

  it('next-hop self is the local address of the route family (ExaBGP Session.ip_self)', () => {
    const v4 = ibgp({ routes: [makeRoute('10.0.0.0/32', 'self')] });
    expect(sent(v4)[0]).toBe(update(`${ORIGIN_IGP}${EMPTY_AS_PATH}4003047F000001${LOCAL_PREF_100}`, '200A000000'));
    const v6 = ibgp({
      peerAddress: '::1',
      localAddress: '::1',
      families: [IPV6_UNICAST],
      routes: [makeRoute('2001:db8::1/128', 'self')],
    });
    expect(sent(v6)[0]).toBe(
      update(
        `${ORIGIN_IGP}${EMPTY_AS_PATH}${LOCAL_PREF_100}800E260002011000000000000000000000000000000001008020010DB8000000000000000000000001`,
      ),
    );
  });

  it('End-of-RIB for every negotiated family in the negotiated order; manual-eor sends none', () => {
    const both = ibgp({ families: [IPV6_UNICAST, IPV4_UNICAST] });
    expect(sent(both)).toEqual([EOR_IPV4, EOR_IPV6]);
    expect(sent(ibgp({ manualEor: true }))).toEqual([]);
  });

  it('routes of a family the neighbor does not advertise are not sent', () => {
    const neighbor = ibgp({ routes: [makeRoute('2001:db8::/32', '2001:db8::1')] });
    expect(sent(neighbor)).toEqual([EOR_IPV4]);
  });

  it('generic attributes keep their flags; Extended Length only above 255 octets, or when configured', () => {
    const neighbor = ibgp({
      groupUpdates: false,
      routes: [
        makeRoute('10.0.0.1/32', '192.0.2.1', { generic: [{ code: 0x99, flags: 0x70, hex: '00000064' }] }),
        makeRoute('10.0.0.2/32', '192.0.2.1', { generic: [{ code: 0x99, flags: 0xc0, hex: 'ab'.repeat(300) }] }),
      ],
    });
    const common = `${ORIGIN_IGP}${EMPTY_AS_PATH}400304C0000201${LOCAL_PREF_100}`;
    const [first, second] = sent(neighbor);
    expect(first).toBe(update(`${common}7099000400000064`, '200A000001'));
    expect(second).toBe(update(`${common}D099012C${'AB'.repeat(300)}`, '200A000002'));
  });

  it('2-octet session: AS_TRANS in AS_PATH and AS4_PATH right after it (RFC 6793 §4.2.2, ExaBGP ASPath.pack)', () => {
    const neighbor = ibgp({
      capabilities: { asn4: false } as never,
      routes: [makeRoute('10.0.0.0/24', '192.0.2.1', { asPath: [{ type: 'sequence', asns: [100, 4200000000] }] })],
    });
    expect(sent(neighbor)[0]).toBe(
      update(`${ORIGIN_IGP}400206020200645BA0C0110A020200000064FA56EA00400304C0000201${LOCAL_PREF_100}`, '180A0000'),
    );
  });

  describe('filling UPDATEs: 4096 octets (RFC 4271 §4), 65535 with Extended Message (RFC 8654)', () => {
    const many = (count: number) =>
      ibgp({
        routes: Array.from({ length: count }, (_, i) => makeRoute(`10.${i >> 8}.${i & 0xff}.0/24`, '192.0.2.1')),
      });
    // 4096 - 19 - 2 - 2 - 21 octets of attributes = 4052 octets of NLRI: 1013 prefixes of 4 octets
    it('without Extended Message: 1013 /24 prefixes per UPDATE', () => {
      const messages = sent(many(2000), { extendedMessage: false });
      expect(messages.map((m) => m.length / 2)).toEqual([4096, 19 + 4 + 21 + 987 * 4, 23]);
    });

    it('with Extended Message negotiated: all 2000 in one UPDATE', () => {
      const messages = sent(many(2000));
      expect(messages.map((m) => m.length / 2)).toEqual([19 + 4 + 21 + 2000 * 4, 23]);
    });
  });
});
