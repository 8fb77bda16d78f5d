/**
 * Labelled unicast (SAFI 4, RFC 8277): messages decoded as ExaBGP 6 decodes them (the JSON lines are what
 * `exabgp decode` printed for these exact bytes), re-encoded byte for byte, and the malformed ones with the
 * NOTIFICATION they call for.
 */
import { describe, expect, it } from 'vitest';
import { attribute, body, DECODE_PREFIX, decodeJson, hex, message, thrown, toHex } from '../../test/family-vectors.js';
import { ASN4_CONTEXT, makeContext } from '../context.js';
import { encodeMessage } from '../message.js';
import type { LabeledPrefix } from '../nlri/labeled.js';
import { labelStack } from '../nlri/labels.js';
import { parsePrefix } from '../prefix.js';
import { decodeUpdate, encodeUpdate } from '../update.js';
import { familyKey } from './key.js';
import { familyRowOf } from './table.js';

const ROUTE = '40010100 4002060201 0000FDE9';

const EXABGP: ReadonlyArray<readonly [string, string, string]> = [
  [
    'a two-label stack, the Bottom of Stack bit on the second (ExaBGP encode of label [100 200])',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0042020000002B40010100400200400304C000020140050400000064800E1300010404C00002010048000640000C810A0000',
    '"message": { "update": { "attribute": { "origin": "igp", "local-preference": 100 }, "announce": { "ipv4 nlri-mpls": { "192.0.2.1": [ { "nlri": "10.0.0.0/24", "label": [ [100, 1600], [200, 3201] ] } ] } } } } } }',
  ],
  [
    'IPv6 with an IPv6 next hop',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0044020000002D4001010040020602010000FDE9800E1D0002041020010DB8000000000000000000000001003800064120010DB8',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv6 nlri-mpls": { "2001:db8::1": [ { "nlri": "2001:db8::/32", "label": [ [100, 1601] ] } ] } } } } } }',
  ],
  [
    'a withdrawal with the RFC 8277 §2.4 compatibility label 0x800000 (printed as ExaBGP rebuilds it)',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0024020000000D800F0A000104308000000A0000',
    '"message": { "update": { "withdraw": { "ipv4 nlri-mpls": [ { "nlri": "10.0.0.0/24", "label": [ [524288, 8388609] ] } ] } } } } }',
  ],
  [
    'a first label 0x000000 without the Bottom of Stack bit is the whole stack',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0036020000001F4001010040020602010000FDE9800E0F00010404C000020100280000000A01',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv4 nlri-mpls": { "192.0.2.1": [ { "nlri": "10.1.0.0/16", "label": [ [0, 1] ] } ] } } } } } }',
  ],
  [
    'a Length too short for a label: no label at all',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0033020000001C4001010040020602010000FDE9800E0C00010404C000020100100A02',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv4 nlri-mpls": { "192.0.2.1": [ { "nlri": "10.2.0.0/16" } ] } } } } } }',
  ],
  [
    'Traffic Class bits set: kept on the wire, not printed (ExaBGP keeps the label values only)',
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003702000000204001010040020602010000FDE9800E1000010404C0000201003000064F0A0000',
    '"message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65001]}} }, "announce": { "ipv4 nlri-mpls": { "192.0.2.1": [ { "nlri": "10.0.0.0/24", "label": [ [100, 1601] ] } ] } } } } } }',
  ],
];

describe('labelled unicast as exabgp decode prints it, re-encoded byte for byte', () => {
  for (const [name, bytes, json] of EXABGP) {
    it(name, () => {
      expect(decodeJson(hex(bytes))).toBe(`${DECODE_PREFIX}${json}`);
      expect(toHex(encodeMessage(decodeUpdate(hex(bytes).subarray(19), ASN4_CONTEXT), ASN4_CONTEXT))).toBe(bytes);
    });
  }
});

describe('labelled unicast NLRI (RFC 8277 §2)', () => {
  const row = familyRowOf(1, 4)!;
  const codec = row.codec!;

  it('is the row named as ExaBGP names it, with its alias', () => {
    expect([row.name, row.safiAliases, familyRowOf(2, 4)?.name]).toEqual([
      'ipv4 nlri-mpls',
      ['labeled-unicast'],
      'ipv6 nlri-mpls',
    ]);
  });

  it('carries path identifiers with ADD-PATH (RFC 7911 §3)', () => {
    const ctx = makeContext({
      asn4: true,
      addPathReceive: new Set([familyKey(1, 4)]),
      addPathSend: new Set([familyKey(1, 4)]),
    });
    const update = decodeUpdate(body('', `${ROUTE} 800E14 0001 04 04 C0000201 00 0000000A 30 003E81 0A0000`), ctx);
    const reach = update.attributes[2];
    expect(reach?.kind === 'mp-reach-nlri' && reach.nlri).toEqual([
      { kind: 'labeled-prefix', afi: 1, length: 24, address: 0x0a000000, pathId: 10, labels: [0x3e81] },
    ]);
    expect(toHex(encodeUpdate(update, ctx).subarray(19))).toBe(
      toHex(body('', `${ROUTE} 800E14 0001 04 04 C0000201 00 0000000A 30 003E81 0A0000`)),
    );
    expect(
      decodeJson(message(body('', `${ROUTE} 800E14 0001 04 04 C0000201 00 0000000A 30 003E81 0A0000`)), ctx),
    ).toContain('{ "nlri": "10.0.0.0/24", "path-information": "0.0.0.10", "label": [ [1000, 16001] ] }');
  });

  it('builds from a prefix and a label stack, sizes, prints and orders as ExaBGP', () => {
    const a = codec.fromPrefix!(parsePrefix('10.0.0.0/24'), { labels: labelStack([100, 200]) }) as LabeledPrefix;
    expect(a).toEqual({
      kind: 'labeled-prefix',
      afi: 1,
      length: 24,
      address: 0x0a000000,
      pathId: undefined,
      labels: [0x640, 0xc81],
    });
    expect(codec.size(a, false)).toBe(1 + 6 + 3);
    expect(codec.size(a, true)).toBe(4 + 1 + 6 + 3);
    expect(codec.text(a)).toBe('10.0.0.0/24 label [ 100 (1600) 200 (3201) ]');
    const b = codec.fromPrefix!(parsePrefix('10.0.0.0/16'), { labels: labelStack([1]) });
    // ExaBGP's index: the prefix (length first), not the labels
    expect(codec.compare(b, a)).toBeLessThan(0);
    expect(codec.identity(a)).toBe(codec.identity(codec.fromPrefix!(parsePrefix('10.0.0.0/24'), { labels: [17] })));
  });

  it('takes the next hop of its own family, and one of the other with RFC 8950 negotiated', () => {
    const v6NextHop = '800E1C 0001 04 10 20010DB8000000000000000000000001 00 30 000641 0A0000';
    expect(thrown(() => decodeUpdate(body('', `${ROUTE} ${v6NextHop}`), ASN4_CONTEXT)).subcode).toBe(9);
    const ctx = makeContext({ asn4: true, extendedNextHop: new Set([familyKey(1, 4)]) });
    expect(decodeUpdate(body('', `${ROUTE} ${v6NextHop}`), ctx).outcome).toBe('ok');
    // ExaBGP sends an IPv4 next hop for IPv6 labelled routes (4 octets) and reads it with RFC 8950 negotiated
    const v4NextHop = '800E11 0002 04 04 C0000201 00 38 000641 20010DB8';
    expect(thrown(() => decodeUpdate(body('', `${ROUTE} ${v4NextHop}`), ASN4_CONTEXT)).subcode).toBe(9);
    expect(
      decodeUpdate(
        body('', `${ROUTE} ${v4NextHop}`),
        makeContext({ asn4: true, extendedNextHop: new Set([familyKey(2, 4)]) }),
      ).outcome,
    ).toBe('ok');
  });

  it('withdraws the routes of an UPDATE missing AS_PATH into MP_UNREACH_NLRI of its family (RFC 7606 §2, §3(d))', () => {
    const update = decodeUpdate(body('', `40010100 800E10 0001 04 04 C0000201 00 30 000641 0A0000`), ASN4_CONTEXT);
    expect(update.outcome).toBe('treat-as-withdraw');
    const unreach = update.attributes.find((a) => a.kind === 'mp-unreach-nlri');
    expect(unreach?.kind === 'mp-unreach-nlri' && [unreach.afi, unreach.safi, unreach.withdrawn]).toEqual([
      1,
      4,
      [{ kind: 'labeled-prefix', afi: 1, length: 24, address: 0x0a000000, pathId: undefined, labels: [0x641] }],
    ]);
  });
});

/**
 * Malformed labelled NLRI. RFC 7606 §5.3: NLRI that cannot be parsed in MP_REACH_NLRI or MP_UNREACH_NLRI mean
 * session reset; the codec sends 3/9 Optional Attribute Error with the attribute as data (RFC 4760 §7), as for
 * every family (ExaBGP sends 3/10 without data).
 */
const MALFORMED: ReadonlyArray<readonly [string, string]> = [
  ['a label stack with no Bottom of Stack bit', '800E10 0001 04 04 C0000201 00 30 000640 0A0000'],
  [
    'the withdrawal label 0x800000 in an announcement (it ends a stack only in a withdrawal)',
    '800E10 0001 04 04 C0000201 00 30 800000 0A0000',
  ],
  ['a label stack cut by the end of the attribute', '800E0C 0001 04 04 C0000201 00 30 0006'],
  ['a prefix longer than 32 bits after its label', '800E12 0001 04 04 C0000201 00 39 000641 0A000000 00'],
  ['a prefix cut by the end of the attribute', '800E0F 0001 04 04 C0000201 00 30 000641 0A00'],
  ['ADD-PATH on, a path identifier cut short', '800E0C 0001 04 04 C0000201 00 000000'],
  ['an IPv4 next hop of 16 octets without RFC 8950', '800E19 0001 04 10 20010DB8000000000000000000000001 00 18 000641'],
  ['a label stack in MP_UNREACH_NLRI with no Bottom of Stack bit', '800F0B 0001 04 48 000640 000C80 0A'],
];

describe('malformed labelled NLRI: NOTIFICATION 3/9 with the attribute (RFC 7606 §5.3, RFC 4760 §7)', () => {
  const addPath = makeContext({ asn4: true, addPathReceive: new Set([familyKey(1, 4)]) });
  for (const [name, attr] of MALFORMED) {
    it(name, () => {
      const ctx = name.startsWith('ADD-PATH') ? addPath : ASN4_CONTEXT;
      const error = thrown(() => decodeUpdate(body('', `${ROUTE} ${attr}`), ctx));
      expect([error.code, error.subcode, toHex(error.data)]).toEqual([3, 9, toHex(hex(attr))]);
    });
  }
  it('a wrong flag on MP_REACH_NLRI still withdraws its labelled routes (RFC 7606 §3(c))', () => {
    const update = decodeUpdate(
      body('', `${ROUTE} ${attribute(0xc0, 14, '0001 04 04 C0000201 00 30 000641 0A0000')}`),
      ASN4_CONTEXT,
    );
    expect(update.outcome).toBe('treat-as-withdraw');
    expect(update.issues?.map((i) => [i.attribute, i.subcode])).toEqual([[14, 4]]);
  });
});
