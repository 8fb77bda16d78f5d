/**
 * MPLS VPN (SAFI 128, RFC 4364 / RFC 4659): messages decoded as ExaBGP 6 decodes them (the JSON lines are
 * what `exabgp decode` printed for these exact bytes), re-encoded byte for byte, and the malformed ones with
 * the NOTIFICATION they call for.
 */
import { describe, expect, it } from 'vitest';
import { attribute, body, DECODE_PREFIX, decodeJson, hex, message, thrown, toHex } from '../../test/family-vectors.js';
import { ASN4_CONTEXT, makeContext } from '../context.js';
import { encodeMessage } from '../message.js';
import { labelStack } from '../nlri/labels.js';
import { parseRouteDistinguisher } from '../nlri/route-distinguisher.js';
import { parsePrefix } from '../prefix.js';
import { decodeUpdate, encodeUpdate } from '../update.js';
import { familyKey } from './key.js';
import { familyRowOf } from './table.js';

const ROUTE = '40010100 4002060201 0000FDE9';
const VPN4_NH = '0C 0000000000000000 C0000201';

const EXABGP: ReadonlyArray<readonly [string, string, string]> = [
  [
    'Route Distinguishers of types 1, 2 and 0 (RFC 4364 §4.2)',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0065020000004E4001010040020602010000FDE9800E3E0001800C0000000000000000C000020100700006410001C000020100FF0A0000700006410002FA56EA0000050A0100700006410000FDE8000000010A0200',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv4 mpls-vpn": { "192.0.2.1": [ { "nlri": "10.0.0.0/24", "label": [ [100, 1601] ], "rd": "192.0.2.1:255" }, { "nlri": "10.1.0.0/24", "label": [ [100, 1601] ], "rd": "4200000000:5" }, { "nlri": "10.2.0.0/24", "label": [ [100, 1601] ], "rd": "65000:1" } ] } } } } } }',
  ],
  [
    'VPN-IPv6 with an IPv4-mapped IPv6 next hop (RFC 4659 §3.2.1.1)',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0056020000003F4001010040020602010000FDE9800E2F00028018000000000000000000000000000000000000FFFFC000020100880006410000FDE80000000120010DB80001',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv6 mpls-vpn": { "::ffff:192.0.2.1": [ { "nlri": "2001:db8:1::/48", "label": [ [100, 1601] ], "rd": "65000:1" } ] } } } } } }',
  ],
  [
    'a withdrawal with the compatibility label 0x800000 (RFC 8277 §2.4), printed as received',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002C0200000015800F12000180708000000000FDE8000000010A0000',
    '"message": { "update": { "withdraw": { "ipv4 mpls-vpn": [ { "nlri": "10.0.0.0/24", "label": [ [524288, 8388608] ], "rd": "65000:1" } ] } } } } }',
  ],
  [
    'two labels, then the RD',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004A02000000334001010040020602010000FDE9800E230001800C0000000000000000C00002010088000640000C810000FDE8000000010A0000',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv4 mpls-vpn": { "192.0.2.1": [ { "nlri": "10.0.0.0/24", "label": [ [100, 1600], [200, 3201] ], "rd": "65000:1" } ] } } } } } }',
  ],
  [
    'an RD of no RFC 4364 type, printed as ExaBGP prints one',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF004702000000304001010040020602010000FDE9800E200001800C0000000000000000C000020100700006410003AABBCCDDEEFF0A0000',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv4 mpls-vpn": { "192.0.2.1": [ { "nlri": "10.0.0.0/24", "label": [ [100, 1601] ], "rd": "0x0003AABBCCDDEEFF" } ] } } } } } }',
  ],
  [
    'no label before the RD: the Length cannot say so, and the RD is read as a label as ExaBGP reads it',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0044020000002D4001010040020602010000FDE9800E1D0001800C0000000000000000C000020100580000FDE8000000010A0000',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv4 mpls-vpn": { "192.0.2.1": [ { "nlri": "0.0.0.0/0", "label": [ [15, 253] ], "rd": "0xE8000000010A0000" } ] } } } } } }',
  ],
];

describe('MPLS VPN as exabgp decode prints it, re-encoded byte for byte', () => {
  for (const [name, bytes, json] of EXABGP) {
    it(name, () => {
      expect(decodeJson(hex(bytes))).toBe(`${DECODE_PREFIX}${json}`);
      expect(toHex(encodeMessage(decodeUpdate(hex(bytes).subarray(19), ASN4_CONTEXT), ASN4_CONTEXT))).toBe(bytes);
    });
  }
});

describe('MPLS VPN NLRI (RFC 4364 §4.3.4, RFC 4659 §3.2)', () => {
  const v4 = familyRowOf(1, 128)!.codec!;
  const v6 = familyRowOf(2, 128)!.codec!;

  it('builds from a prefix, labels and an RD; sizes, prints and orders as ExaBGP', () => {
    const a = v4.fromPrefix!(parsePrefix('10.0.0.0/24'), {
      labels: labelStack([1000]),
      rd: parseRouteDistinguisher('65000:1'),
    });
    expect(a).toEqual({
      kind: 'vpn-prefix',
      afi: 1,
      length: 24,
      address: 0x0a000000,
      pathId: undefined,
      labels: [16001],
      rd: { type: 0, administrator: 65000, assigned: 1 },
    });
    expect(v4.size(a, false)).toBe(1 + 3 + 8 + 3);
    expect(v4.text(a)).toBe('10.0.0.0/24 label 1000 (16001) rd 65000:1');
    expect(v4.json(a)).toBe('{ "nlri": "10.0.0.0/24", "label": [ [1000, 16001] ], "rd": "65000:1" }');
    const b = v4.fromPrefix!(parsePrefix('10.0.0.0/24'), { labels: [16001], rd: parseRouteDistinguisher('1.2.3.4:1') });
    // ExaBGP's index: length, then the RD (type 0 before type 1), then the prefix; the labels are not in it
    expect(v4.compare(a, b)).toBeLessThan(0);
    expect(v4.identity(a)).not.toBe(v4.identity(b));
    expect(v4.identity(a)).toBe(
      v4.identity(v4.fromPrefix!(parsePrefix('10.0.0.0/24'), { labels: [17], rd: parseRouteDistinguisher('65000:1') })),
    );
    expect(() => v4.fromPrefix!(parsePrefix('10.0.0.0/24'), { labels: [16001] })).toThrow(RangeError);
  });

  it('writes the next hop with its zero RD, a link-local one after the global as ExaBGP does', () => {
    expect(toHex(v4.nextHop.encode('192.0.2.1'))).toBe('0000000000000000C0000201');
    expect(toHex(v6.nextHop.encode('::ffff:192.0.2.1'))).toBe('000000000000000000000000000000000000FFFFC0000201');
    expect(v6.nextHop.encode('2001:db8::1', 'fe80::1').length).toBe(40);
    expect(v6.nextHop.text(v6.nextHop.encode('2001:db8::1', 'fe80::1'))).toBe('2001:db8::1');
  });

  it('reads RFC 4659 next hops of 48 octets, an RD before each address', () => {
    const nh = `30 0000000000000000 20010DB8000000000000000000000001 0000000000000000 FE800000000000000000000000000001`;
    const attr = attribute(0x80, 14, `0002 80 ${nh} 00 88 000641 0000FDE800000001 20010DB80001`);
    expect(decodeUpdate(body('', `${ROUTE} ${attr}`), ASN4_CONTEXT).outcome).toBe('ok');
    expect(decodeJson(message(body('', `${ROUTE} ${attr}`)))).toContain('"ipv6 mpls-vpn": { "2001:db8::1": [');
  });

  it('carries path identifiers with ADD-PATH (RFC 7911 §3), as conf-addpath sends them', () => {
    const ctx = makeContext({
      asn4: true,
      addPathReceive: new Set([familyKey(1, 128)]),
      addPathSend: new Set([familyKey(1, 128)]),
    });
    const attr = attribute(0x80, 14, `0001 80 ${VPN4_NH} 00 0000000A 70 04E2C1 0000006400000064 0A0000`);
    const update = decodeUpdate(body('', `${ROUTE} ${attr}`), ctx);
    expect(toHex(encodeUpdate(update, ctx).subarray(19))).toBe(toHex(body('', `${ROUTE} ${attr}`)));
    expect(decodeJson(message(body('', `${ROUTE} ${attr}`)), ctx)).toContain(
      '{ "nlri": "10.0.0.0/24", "path-information": "0.0.0.10", "label": [ [20012, 320193] ], "rd": "100:100" }',
    );
  });

  it('takes a VPN-IPv6 next hop for VPN-IPv4 routes only with RFC 8950 negotiated (RFC 8950 §3)', () => {
    const attr = attribute(
      0x80,
      14,
      '0001 80 18 0000000000000000 20010DB8000000000000000000000001 00 70 000641 0000FDE800000001 0A0000',
    );
    expect(thrown(() => decodeUpdate(body('', `${ROUTE} ${attr}`), ASN4_CONTEXT)).subcode).toBe(9);
    const ctx = makeContext({ asn4: true, extendedNextHop: new Set([familyKey(1, 128)]) });
    expect(decodeUpdate(body('', `${ROUTE} ${attr}`), ctx).outcome).toBe('ok');
  });
});

/**
 * Malformed VPN NLRI and next hops: session reset, 3/9 Optional Attribute Error with the attribute as data
 * (RFC 7606 §5.3 and §7.11, RFC 4760 §7); ExaBGP sends 3/10 (3/0 for a next hop) without data.
 */
const MALFORMED: ReadonlyArray<readonly [string, number, string]> = [
  ['a Length shorter than the RD', 14, `0001 80 ${VPN4_NH} 00 20 000641 0000FDE8`],
  ['an RD cut by the end of the attribute', 14, `0001 80 ${VPN4_NH} 00 70 000641 0000FDE800`],
  ['a prefix of 33 bits after label and RD', 14, `0001 80 ${VPN4_NH} 00 79 000641 0000FDE800000001 0A000000 00`],
  // the RD's first octets are read as the next label (no Bottom of Stack bit either): the stack never ends
  [
    'a label stack with no Bottom of Stack bit before the RD',
    14,
    `0001 80 ${VPN4_NH} 00 70 000640 000000FE00000001 0A0000`,
  ],
  [
    'a next hop whose RD is not zero (RFC 4364 §4.3.2)',
    14,
    '0001 80 0C 0000000000000001 C0000201 00 70 000641 0000FDE800000001 0A0000',
  ],
  ['a VPN-IPv4 next hop of 4 octets, without its RD', 14, '0001 80 04 C0000201 00 70 000641 0000FDE800000001 0A0000'],
  [
    'a 48-octet next hop whose second RD is not zero',
    14,
    '0002 80 30 0000000000000000 20010DB8000000000000000000000001 0000000000000001 FE800000000000000000000000000001 00 88 000641 0000FDE800000001 20010DB80001',
  ],
  ['a withdrawal Length shorter than the RD', 15, '0001 80 40 000641 0000'],
];

describe('malformed MPLS VPN: NOTIFICATION 3/9 with the attribute (RFC 7606 §5.3 and §7.11, RFC 4760 §7)', () => {
  for (const [name, code, value] of MALFORMED) {
    it(name, () => {
      const attr = attribute(0x80, code, value);
      const error = thrown(() => decodeUpdate(body('', `${ROUTE} ${attr}`), ASN4_CONTEXT));
      expect([error.code, error.subcode, toHex(error.data)]).toEqual([3, 9, toHex(hex(attr))]);
    });
  }
});
