import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familyKeys } from '../../test/family-keys.js';
import { type CodecContext, makeContext } from '../context.js';
import { decodeUpdate, encodeUpdate } from '../update.js';
import { AS_TRANS, type AsPathSegment } from './attr-02-as-path.js';
import { communityName, communityToString, parseCommunity, WellKnownCommunity } from './attr-08-communities.js';
import {
  compareExtendedCommunities,
  describeExtendedCommunity,
  type ExtendedCommunity,
  encapsulationCommunity,
  extendedCommunityToString,
  linkBandwidthCommunity,
  redirectCommunity,
  redirectToIpCommunity,
  routeOriginCommunity,
  routeTargetCommunity,
  trafficActionCommunity,
  trafficMarkingCommunity,
  trafficRateCommunity,
} from './attr-16-extended-communities.js';
import { as4PathFor, asPathLength, mergeAs4Path, reconcileAs4 } from './attr-17-as4-path.js';
import { aigpAttribute, aigpMetric } from './attr-26-aigp.js';
import { orderAttributes, type PathAttribute } from './registry.js';

/** Fixture JSON: `{ "hex": "..." }` stands for a Uint8Array, `null` path identifiers for none. */
function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'hex')
      return Uint8Array.from(Buffer.from((value as { hex: string }).hex, 'hex'));
  }
  return value === null ? undefined : value;
}
function fixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(new URL(`../../../../fixtures/codec/update/${name}`, import.meta.url), 'utf8'),
    revive,
  );
}
interface FixtureContext {
  asn4: boolean;
  addPath?: string[];
  extendedNextHop?: string[];
}
function context(c: FixtureContext): CodecContext {
  return makeContext({
    asn4: c.asn4,
    addPathReceive: familyKeys(c.addPath),
    addPathSend: familyKeys(c.addPath),
    extendedNextHop: familyKeys(c.extendedNextHop),
  });
}
const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
/** An UPDATE body carrying only `attribute` (no NLRI, so no mandatory-attribute check applies). */
function bodyOf(attribute: string): Uint8Array {
  return hex(`0000${(attribute.length / 2).toString(16).padStart(4, '0')}${attribute}`);
}
function encodeOne(attribute: PathAttribute, ctx: CodecContext): string {
  return toHex(encodeUpdate({ type: 'update', withdrawn: [], attributes: [attribute], nlri: [] }, ctx).subarray(23));
}

interface AttributeVector {
  name: string;
  rfc: string;
  context: FixtureContext;
  hex: string;
  value: PathAttribute;
  encodesWithoutFlags: boolean;
}

describe('path attribute vectors (fixtures/codec/update/attributes.json)', () => {
  const vectors = fixture<AttributeVector[]>('attributes.json');
  it('cover every attribute the table has a row for', () => {
    const codes = new Set(vectors.map((v) => v.value.code));
    for (const code of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 26, 32]) expect(codes.has(code)).toBe(true);
  });
  for (const v of vectors) {
    it(`decodes ${v.name} (${v.rfc})`, () => {
      // Routes in MP_REACH_NLRI need ORIGIN and AS_PATH beside them (RFC 7606 §3(d)).
      const mandatory = v.value.code === 14 ? '40010100400200' : '';
      const update = decodeUpdate(bodyOf(mandatory + v.hex), context(v.context));
      expect(update.issues).toEqual([]);
      expect(update.attributes.slice(mandatory ? 2 : 0)).toEqual([v.value]);
    });
    it(`encodes ${v.name} (${v.rfc})`, () => {
      expect(encodeOne(v.value, context(v.context))).toBe(v.hex);
      if (v.encodesWithoutFlags) {
        const { flags: _flags, ...withoutFlags } = v.value as PathAttribute & { flags?: number };
        expect(encodeOne(withoutFlags as PathAttribute, context(v.context))).toBe(v.hex);
      }
    });
  }
});

describe('attribute encoding choices ExaBGP makes', () => {
  const ctx = makeContext({ asn4: true });
  it('switches to the Extended Length form only when the value exceeds 255 octets (RFC 4271 §4.3)', () => {
    const communities = Array.from({ length: 63 }, (_, i) => i);
    expect(encodeOne({ kind: 'communities', code: 8, communities }, ctx).slice(0, 6)).toBe('C008FC');
    const longer = encodeOne({ kind: 'communities', code: 8, communities: [...communities, 63] }, ctx);
    expect(longer.slice(0, 8)).toBe('D0080100');
    expect(longer.length / 2).toBe(4 + 64 * 4);
    const back = decodeUpdate(bodyOf(longer), ctx);
    expect(back.attributes).toEqual([{ kind: 'communities', code: 8, flags: 0xd0, communities: [...communities, 63] }]);
  });
  it('forces Extended Length on an attribute whose own flags lack it when its value outgrew 255 octets', () => {
    const value = new Uint8Array(300).fill(7);
    const out = encodeOne({ kind: 'unknown', code: 99, flags: 0xc0, value }, ctx);
    expect(out.slice(0, 8)).toBe('D063012C');
  });
  it('writes 2-octet AS_PATH and AGGREGATOR with AS_TRANS for large ASNs (RFC 6793 §4.2.2)', () => {
    const asn2 = makeContext({ asn4: false });
    const segments: AsPathSegment[] = [{ type: 2, asns: [65001, 4200000000] }];
    expect(encodeOne({ kind: 'as-path', code: 2, segments }, asn2)).toBe('40020602 02FDE95BA0'.replace(' ', ''));
    expect(encodeOne({ kind: 'aggregator', code: 7, asn: 4200000000, address: 1 }, asn2)).toBe('C007065BA000000001');
    expect(AS_TRANS).toBe(23456);
  });
  it('splits an AS_SEQUENCE longer than 255 ASNs into several segments', () => {
    const asns = Array.from({ length: 300 }, (_, i) => i + 1);
    const out = encodeOne({ kind: 'as-path', code: 2, segments: [{ type: 2, asns }] }, ctx);
    const back = decodeUpdate(bodyOf(out), ctx).attributes[0];
    expect(back).toMatchObject({
      segments: [
        { type: 2, asns: asns.slice(0, 255) },
        { type: 2, asns: asns.slice(255) },
      ],
    });
  });
  it('orders attributes by type code with MP_REACH_NLRI and MP_UNREACH_NLRI last', () => {
    const attributes: PathAttribute[] = [
      { kind: 'mp-reach-nlri', code: 14, afi: 2, safi: 1, nextHop: new Uint8Array(16), nlri: [] },
      { kind: 'large-communities', code: 32, communities: [] },
      { kind: 'mp-unreach-nlri', code: 15, afi: 2, safi: 1, withdrawn: [] },
      { kind: 'origin', code: 1, origin: 0 },
      { kind: 'med', code: 4, med: 1 },
    ];
    expect(orderAttributes(attributes).map((a) => a.code)).toEqual([1, 4, 32, 14, 15]);
  });
});

describe('COMMUNITIES helpers (RFC 1997)', () => {
  it('names the well-known communities as ExaBGP does', () => {
    expect(communityName(WellKnownCommunity.NO_EXPORT)).toBe('no-export');
    expect(communityName(WellKnownCommunity.BLACKHOLE)).toBe('blackhole');
    expect(communityName(WellKnownCommunity.GRACEFUL_SHUTDOWN)).toBe('graceful-shutdown');
    expect(communityName(0x00010001)).toBeUndefined();
  });
  it('parses names, AS:value pairs and plain numbers', () => {
    expect(parseCommunity('no-advertise')).toBe(0xffffff02);
    expect(parseCommunity('65000:100')).toBe(65000 * 65536 + 100);
    expect(parseCommunity('4294967295')).toBe(0xffffffff);
    expect(() => parseCommunity('65536:1')).toThrow(RangeError);
    expect(communityToString(65000 * 65536 + 100)).toBe('65000:100');
  });
});

describe('EXTENDED_COMMUNITIES meaning (RFC 4360, RFC 5668, RFC 7674, RFC 8955, RFC 9012)', () => {
  const cases: Array<[string, ExtendedCommunity, ReturnType<typeof describeExtendedCommunity>, string]> = [
    [
      'route target, 2-octet AS',
      routeTargetCommunity('as2', 65000, 1),
      { kind: 'route-target', form: 'as2', global: 65000, local: 1, transitive: true },
      '0002FDE800000001',
    ],
    [
      'route target, IPv4',
      routeTargetCommunity('ipv4', 0x01020304, 5),
      { kind: 'route-target', form: 'ipv4', global: 0x01020304, local: 5, transitive: true },
      '0102010203040005',
    ],
    [
      'route target, 4-octet AS',
      routeTargetCommunity('as4', 65536, 7),
      { kind: 'route-target', form: 'as4', global: 65536, local: 7, transitive: true },
      '0202000100000007',
    ],
    [
      'route origin, 2-octet AS',
      routeOriginCommunity('as2', 1, 2),
      { kind: 'route-origin', form: 'as2', global: 1, local: 2, transitive: true },
      '0003000100000002',
    ],
    [
      'route origin, IPv4, non-transitive',
      routeOriginCommunity('ipv4', 0x0a000001, 3, false),
      { kind: 'route-origin', form: 'ipv4', global: 0x0a000001, local: 3, transitive: false },
      '41030A0000010003',
    ],
    [
      'redirect, RFC 8955 2-octet AS',
      redirectCommunity('as2', 65000, 100),
      { kind: 'redirect', form: 'as2', global: 65000, local: 100 },
      '8008FDE800000064',
    ],
    [
      'redirect, RFC 7674 IPv4',
      redirectCommunity('ipv4', 0x01020304, 9),
      { kind: 'redirect', form: 'ipv4', global: 0x01020304, local: 9 },
      '8108010203040009',
    ],
    [
      'redirect, RFC 7674 4-octet AS',
      redirectCommunity('as4', 70000, 9),
      { kind: 'redirect', form: 'as4', global: 70000, local: 9 },
      '8208000111700009',
    ],
    [
      'traffic-rate 0 (discard)',
      trafficRateCommunity(0, 0),
      { kind: 'traffic-rate', asn: 0, rate: 0 },
      '8006000000000000',
    ],
    [
      'traffic-rate 1000 bytes/s',
      trafficRateCommunity(65000, 1000),
      { kind: 'traffic-rate', asn: 65000, rate: 1000 },
      '8006FDE8447A0000',
    ],
    [
      'traffic-rate-packets 100',
      trafficRateCommunity(0, 100, true),
      { kind: 'traffic-rate-packets', asn: 0, rate: 100 },
      '800C000042C80000',
    ],
    [
      'traffic-action sample terminal',
      trafficActionCommunity(true, true),
      { kind: 'traffic-action', sample: true, terminal: true },
      '8007000000000003',
    ],
    ['traffic-marking DSCP 10', trafficMarkingCommunity(10), { kind: 'traffic-marking', dscp: 10 }, '800900000000000A'],
    [
      'redirect to IP with copy',
      redirectToIpCommunity(true),
      { kind: 'redirect-to-ip', copy: true },
      '0800000000000001',
    ],
    ['encapsulation VXLAN', encapsulationCommunity(8), { kind: 'encapsulation', tunnelType: 8 }, '030C000000000008'],
    [
      'link bandwidth',
      linkBandwidthCommunity(65000, 125000),
      { kind: 'link-bandwidth', asn: 65000, bandwidth: 125000 },
      '4004FDE847F42400',
    ],
  ];
  for (const [name, community, meaning, bytes] of cases) {
    it(`${name}: ${bytes}`, () => {
      const text = `${(community.high >>> 0).toString(16).padStart(8, '0')}${(community.low >>> 0).toString(16).padStart(8, '0')}`;
      expect(text.toUpperCase()).toBe(bytes);
      expect(describeExtendedCommunity(community)).toEqual(meaning);
    });
  }
  it('keeps unknown types raw and describes them by type and sub-type', () => {
    expect(describeExtendedCommunity({ high: 0x47ff1234, low: 5 })).toEqual({
      kind: 'unknown',
      type: 0x47,
      subtype: 0xff,
    });
  });
  it('prints route targets the way ExaBGP writes them in configurations', () => {
    expect(extendedCommunityToString(routeTargetCommunity('as2', 65000, 1))).toBe('target:65000:1');
    expect(extendedCommunityToString(routeTargetCommunity('ipv4', 0x01020304, 5))).toBe('target:1.2.3.4:5');
    expect(extendedCommunityToString(redirectCommunity('as4', 70000, 9))).toBe('redirect:70000:9');
  });
  it('sorts by the 8 octets as an unsigned number', () => {
    const list = [trafficRateCommunity(0, 0), routeTargetCommunity('as2', 2, 1), routeTargetCommunity('as2', 1, 2)];
    expect(list.sort(compareExtendedCommunities).map(extendedCommunityToString)).toEqual([
      'target:1:2',
      'target:2:1',
      '0x8006000000000000',
    ]);
  });
});

describe('AS4_PATH reconciliation (RFC 6793 §4.2.3)', () => {
  const seq = (...asns: number[]): AsPathSegment => ({ type: 2, asns });
  it('counts an AS_SET as one and confederation segments as none (RFC 4271 §9.1.2.2)', () => {
    expect(asPathLength([seq(1, 2, 3), { type: 1, asns: [4, 5] }, { type: 3, asns: [6] }])).toBe(4);
  });
  it('takes the leading ASes of AS_PATH and appends AS4_PATH', () => {
    const asPath = [seq(65001, AS_TRANS, AS_TRANS)];
    expect(mergeAs4Path(asPath, [seq(4200000001, 4200000002)])).toEqual([seq(65001, 4200000001, 4200000002)]);
  });
  it('ignores an AS4_PATH longer than AS_PATH', () => {
    expect(mergeAs4Path([seq(AS_TRANS)], [seq(1, 2)])).toEqual([seq(AS_TRANS)]);
  });
  it('keeps a leading confederation segment and sets from AS_PATH', () => {
    const asPath: AsPathSegment[] = [{ type: 3, asns: [64512] }, seq(65001), { type: 1, asns: [AS_TRANS, 2] }];
    const merged = mergeAs4Path(asPath, [{ type: 1, asns: [4200000000, 2] }]);
    expect(merged).toEqual([{ type: 3, asns: [64512] }, seq(65001), { type: 1, asns: [4200000000, 2] }]);
  });
  it('ignores AS4_PATH and AS4_AGGREGATOR when AGGREGATOR is not AS_TRANS', () => {
    const attributes: PathAttribute[] = [
      { kind: 'as-path', code: 2, segments: [seq(AS_TRANS)] },
      { kind: 'aggregator', code: 7, asn: 65001, address: 1 },
      { kind: 'as4-path', code: 17, segments: [seq(4200000000)] },
      { kind: 'as4-aggregator', code: 18, asn: 4200000000, address: 2 },
    ];
    expect(reconcileAs4(attributes, false)).toEqual({
      asPath: [seq(AS_TRANS)],
      aggregator: { asn: 65001, address: 1 },
    });
  });
  it('uses AS4_AGGREGATOR and AS4_PATH when AGGREGATOR is AS_TRANS', () => {
    const attributes: PathAttribute[] = [
      { kind: 'as-path', code: 2, segments: [seq(AS_TRANS)] },
      { kind: 'aggregator', code: 7, asn: AS_TRANS, address: 1 },
      { kind: 'as4-path', code: 17, segments: [seq(4200000000)] },
      { kind: 'as4-aggregator', code: 18, asn: 4200000000, address: 2 },
    ];
    expect(reconcileAs4(attributes, false)).toEqual({
      asPath: [seq(4200000000)],
      aggregator: { asn: 4200000000, address: 2 },
    });
  });
  it('ignores AS4 attributes on a 4-octet session', () => {
    const attributes: PathAttribute[] = [
      { kind: 'as-path', code: 2, segments: [seq(1)] },
      { kind: 'as4-path', code: 17, segments: [seq(4200000000)] },
    ];
    expect(reconcileAs4(attributes, true).asPath).toEqual([seq(1)]);
  });
  it('gives the AS4_PATH to send on a 2-octet session, without confederation segments', () => {
    expect(as4PathFor([seq(1, 2)])).toBeUndefined();
    expect(as4PathFor([{ type: 3, asns: [64512] }, seq(1, 4200000000)])).toEqual([seq(1, 4200000000)]);
  });
});

describe('AIGP (RFC 7311)', () => {
  it('builds and reads the accumulated metric TLV', () => {
    const attribute = aigpAttribute(1000n);
    expect(aigpMetric(attribute)).toBe(1000n);
    expect(encodeOne(attribute, makeContext({ asn4: true }))).toBe('801A0B01000B00000000000003E8');
  });
});

describe('attribute round trips (fast-check)', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const ctx4 = makeContext({ asn4: true });
  const ctx2 = makeContext({ asn4: false });
  const segment = (maxAs: number) =>
    fc.record({
      type: fc.integer({ min: 1, max: 4 }),
      asns: fc.array(fc.integer({ min: 0, max: maxAs }), { minLength: 1, maxLength: 255 }),
    });
  const attribute: fc.Arbitrary<PathAttribute> = fc.oneof(
    fc.record({
      kind: fc.constant('origin' as const),
      code: fc.constant(1 as const),
      origin: fc.integer({ min: 0, max: 2 }),
    }),
    fc.record({
      kind: fc.constant('as-path' as const),
      code: fc.constant(2 as const),
      segments: fc.array(segment(0xffff), { maxLength: 4 }),
    }),
    fc.record({ kind: fc.constant('next-hop' as const), code: fc.constant(3 as const), nextHop: u32 }),
    fc.record({ kind: fc.constant('med' as const), code: fc.constant(4 as const), med: u32 }),
    fc.record({ kind: fc.constant('local-pref' as const), code: fc.constant(5 as const), localPref: u32 }),
    fc.record({
      kind: fc.constant('aggregator' as const),
      code: fc.constant(7 as const),
      asn: fc.integer({ min: 0, max: 0xffff }),
      address: u32,
    }),
    fc.record({
      kind: fc.constant('communities' as const),
      code: fc.constant(8 as const),
      communities: fc.array(u32, { minLength: 1, maxLength: 100 }),
    }),
    fc.record({
      kind: fc.constant('cluster-list' as const),
      code: fc.constant(10 as const),
      clusterList: fc.array(u32, { minLength: 1, maxLength: 80 }),
    }),
    fc.record({
      kind: fc.constant('extended-communities' as const),
      code: fc.constant(16 as const),
      communities: fc.array(fc.record({ high: u32, low: u32 }), { minLength: 1, maxLength: 40 }),
    }),
    fc.record({
      kind: fc.constant('as4-path' as const),
      code: fc.constant(17 as const),
      segments: fc.array(segment(0xffffffff), { maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('large-communities' as const),
      code: fc.constant(32 as const),
      communities: fc.array(fc.record({ global: u32, local1: u32, local2: u32 }), { minLength: 1, maxLength: 30 }),
    }),
    fc.record({
      kind: fc.constant('unknown' as const),
      code: fc.integer({ min: 33, max: 255 }).filter((c) => c !== 26),
      flags: fc.constantFrom(0x80, 0xc0, 0xe0, 0x90, 0xd0),
      value: fc.uint8Array({ maxLength: 400 }),
    }),
  );
  it('decode(encode(attribute)) gives the attribute back, on 2- and 4-octet sessions', () => {
    fc.assert(
      fc.property(attribute, fc.boolean(), (a, asn4) => {
        const ctx = asn4 ? ctx4 : ctx2;
        const bytes = encodeUpdate({ type: 'update', withdrawn: [], attributes: [a], nlri: [] }, ctx);
        const back = decodeUpdate(bytes.subarray(19), ctx);
        expect(back.issues).toEqual([]);
        const { flags: _f, ...decoded } = back.attributes[0] as PathAttribute & { flags?: number };
        const { flags: _g, ...given } = a as PathAttribute & { flags?: number };
        expect(decoded).toEqual(given);
        // Re-encoding what was decoded (flags included) gives the same octets.
        expect(toHex(encodeUpdate(back, ctx))).toBe(toHex(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});
