/**
 * fast-check arbitraries of valid BGP messages and of the session contexts they are encoded in, shared by the
 * property tests and the long fuzz run (bench/fuzz.ts). "Valid" means what the decoder accepts without an
 * RFC 7606 issue: mandatory attributes present when routes are announced, one attribute per type code,
 * lists non-empty where RFC 7606 calls an empty one malformed, ASNs that fit the session's AS size.
 */
import fc from 'fast-check';
import type { AsPathSegment } from '../src/attributes/attr-02-as-path.js';
import type { PathAttribute } from '../src/attributes/registry.js';
import type { Capability } from '../src/capabilities.js';
import { type CodecContext, makeContext } from '../src/context.js';
import { familyKey } from '../src/families/key.js';
import type { Nlri } from '../src/families/table.js';
import type { BgpMessage } from '../src/message.js';
import type { RouteDistinguisher } from '../src/nlri/route-distinguisher.js';
import type { Ipv4Prefix, Ipv6Prefix } from '../src/prefix.js';
import type { UpdateMessage } from '../src/update.js';
import { familyKeys } from './family-keys.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** Families with ADD-PATH in a context; the same both ways, as ExaBGP's echoing checker negotiates. */
export const contextArb: fc.Arbitrary<CodecContext> = fc
  .record({
    asn4: fc.boolean(),
    extendedMessage: fc.boolean(),
    addPath: fc.subarray(['1/1', '1/2', '2/1', '2/2', '1/4', '2/4', '1/128', '2/128']),
    // RFC 8950: routes with a next hop of the other IP version, in MP_REACH_NLRI.
    extendedNextHop: fc.subarray(['1/1/2', '1/2/2', '1/4/2', '2/4/1', '1/128/2', '2/128/1']),
  })
  .map(({ asn4, extendedMessage, addPath, extendedNextHop }) =>
    makeContext({
      asn4,
      extendedMessage,
      addPathReceive: familyKeys(addPath),
      addPathSend: familyKeys(addPath),
      extendedNextHop: familyKeys(extendedNextHop),
    }),
  );

/** Bits after the octets a prefix occupies are never sent, so they decode as zero; bits inside them are kept. */
function ipv4PrefixArb(pathIds: boolean): fc.Arbitrary<Ipv4Prefix> {
  return fc
    .record({ length: fc.integer({ min: 0, max: 32 }), address: u32, pathId: pathIds ? u32 : fc.constant(undefined) })
    .map(({ length, address, pathId }) => {
      const octets = (length + 7) >>> 3;
      const mask = octets === 0 ? 0 : octets === 4 ? 0xffffffff : (0xffffffff << (32 - octets * 8)) >>> 0;
      return { kind: 'prefix' as const, afi: 1 as const, length, address: (address & mask) >>> 0, pathId };
    });
}

function ipv6PrefixArb(pathIds: boolean): fc.Arbitrary<Ipv6Prefix> {
  return fc
    .record({
      length: fc.integer({ min: 0, max: 128 }),
      bytes: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      pathId: pathIds ? u32 : fc.constant(undefined),
    })
    .map(({ length, bytes, pathId }) => {
      const address = bytes.slice();
      address.fill(0, (length + 7) >>> 3);
      return { kind: 'prefix' as const, afi: 2 as const, length, address, pathId };
    });
}

function segmentsArb(maxAsn: number): fc.Arbitrary<AsPathSegment[]> {
  return fc.array(
    fc.record({
      type: fc.integer({ min: 1, max: 4 }),
      asns: fc.array(fc.integer({ min: 0, max: maxAsn }), { minLength: 1, maxLength: 12 }),
    }),
    { minLength: 1, maxLength: 4 },
  );
}

/** Every attribute the codec has a row for, plus unknown optional ones kept raw. */
function attributeArbs(ctx: CodecContext): Record<string, fc.Arbitrary<PathAttribute>> {
  const maxAsn = ctx.asn4 ? 0xffffffff : 0xffff;
  return {
    origin: fc.integer({ min: 0, max: 2 }).map((origin) => ({ kind: 'origin', code: 1, origin })),
    asPath: fc
      .oneof(fc.constant([] as AsPathSegment[]), segmentsArb(maxAsn))
      .map((segments) => ({ kind: 'as-path', code: 2, segments })),
    nextHop: u32.map((nextHop) => ({ kind: 'next-hop', code: 3, nextHop })),
    med: u32.map((med) => ({ kind: 'med', code: 4, med })),
    localPref: u32.map((localPref) => ({ kind: 'local-pref', code: 5, localPref })),
    atomicAggregate: fc.constant({ kind: 'atomic-aggregate', code: 6 }),
    aggregator: fc
      .record({ asn: fc.integer({ min: 0, max: maxAsn }), address: u32 })
      .map(({ asn, address }) => ({ kind: 'aggregator', code: 7, asn, address })),
    communities: fc
      .array(u32, { minLength: 1, maxLength: 16 })
      .map((communities) => ({ kind: 'communities', code: 8, communities })),
    originatorId: u32.map((originatorId) => ({ kind: 'originator-id', code: 9, originatorId })),
    clusterList: fc
      .array(u32, { minLength: 1, maxLength: 8 })
      .map((clusterList) => ({ kind: 'cluster-list', code: 10, clusterList })),
    extendedCommunities: fc
      .array(fc.record({ high: u32, low: u32 }), { minLength: 1, maxLength: 8 })
      .map((communities) => ({ kind: 'extended-communities', code: 16, communities })),
    as4Path: segmentsArb(0xffffffff).map((segments) => ({ kind: 'as4-path', code: 17, segments })),
    as4Aggregator: fc
      .record({ asn: u32, address: u32 })
      .map(({ asn, address }) => ({ kind: 'as4-aggregator', code: 18, asn, address })),
    aigp: fc
      .uint8Array({ minLength: 8, maxLength: 8 })
      .map((value) => ({ kind: 'aigp', code: 26, tlvs: [{ type: 1, value }] })),
    largeCommunities: fc
      .array(fc.record({ global: u32, local1: u32, local2: u32 }), { minLength: 1, maxLength: 8 })
      .map((communities) => ({ kind: 'large-communities', code: 32, communities })),
    unknown: fc
      .record({
        code: fc.constantFrom(11, 12, 13, 19, 20, 21, 22, 23, 24, 25, 27, 28, 29, 30, 31, 33, 40, 99, 128, 200, 255),
        transitive: fc.boolean(),
        partial: fc.boolean(),
        value: fc.uint8Array({ maxLength: 300 }),
      })
      .map(({ code, transitive, partial, value }) => ({
        kind: 'unknown',
        code,
        flags: 0x80 | (transitive ? 0x40 : 0) | (partial ? 0x20 : 0) | (value.length > 255 ? 0x10 : 0),
        value,
      })),
  } as Record<string, fc.Arbitrary<PathAttribute>>;
}

/**
 * A label stack that decodes back as it was (RFC 8277 §2): 1 to `max` entries, Traffic Class bits random, the
 * Bottom of Stack bit on the last only, and no first entry that would end the stack on its own (0x000000,
 * or 0x800000 in a withdrawal). With `allowEmpty` (a prefix too short for a label to be read), none at all.
 */
function labelStackArb(max: number, allowEmpty: boolean): fc.Arbitrary<number[]> {
  const entry = fc.integer({ min: 0, max: 0x7fffff }).map((v) => (v << 1) & 0xfffffe);
  return fc
    .array(entry, { minLength: allowEmpty ? 0 : 1, maxLength: Math.max(1, max) })
    .filter((stack) => stack.length === 0 || stack[0] === undefined || (stack[0] !== 0 && stack[0] !== 0x800000))
    .map((stack) => stack.map((e, i) => (i === stack.length - 1 ? e | 1 : e)));
}

const rdArb: fc.Arbitrary<RouteDistinguisher> = fc.oneof(
  fc.record({ type: fc.constant(0), administrator: u16, assigned: u32 }),
  fc.record({ type: fc.constantFrom(1, 2), administrator: u32, assigned: u16 }),
  // a type RFC 4364 does not define is kept split as type 0
  fc.record({ type: fc.integer({ min: 3, max: 0xffff }), administrator: u16, assigned: u32 }),
);

/** Labelled (rd 0) or VPN (rd 8) NLRI of `afi`; the Length octet caps labels, RD and prefix at 255 bits. */
function labeledArb(afi: 1 | 2, rd: 0 | 8, pathIds: boolean): fc.Arbitrary<Nlri> {
  const prefix: fc.Arbitrary<Ipv4Prefix | Ipv6Prefix> = afi === 1 ? ipv4PrefixArb(pathIds) : ipv6PrefixArb(pathIds);
  return prefix.chain((p) => {
    const room = Math.floor((255 - rd * 8 - p.length) / 24);
    const labels = labelStackArb(Math.min(3, room), p.length < 24);
    const { afi: a, length, address, pathId } = p;
    return rd === 0
      ? labels.map((l) => ({ kind: 'labeled-prefix', afi: a, length, address, pathId, labels: l }) as Nlri)
      : fc
          .tuple(labels, rdArb)
          .map(([l, d]) => ({ kind: 'vpn-prefix', afi: a, length, address, pathId, labels: l, rd: d }) as Nlri);
  });
}

interface FamilyArb {
  readonly afi: number;
  readonly safi: number;
  /** next hop lengths the context allows, and the octets that must be zero (a VPN next hop's RD) */
  readonly nextHopLengths: number[];
  readonly rd: 0 | 8;
  readonly nlri: (pathIds: boolean) => fc.Arbitrary<Nlri>;
}

/** The families in MP_REACH_NLRI / MP_UNREACH_NLRI, the NLRI of each and the next-hop lengths the context allows. */
function mpFamilies(ctx: CodecContext): FamilyArb[] {
  const ip = (afi: 1 | 2) => (pathIds: boolean) =>
    (afi === 1 ? ipv4PrefixArb(pathIds) : ipv6PrefixArb(pathIds)) as fc.Arbitrary<Nlri>;
  const extended = (afi: number, safi: number, own: number[], other: number[]) =>
    ctx.extendedNextHop.has(familyKey(afi, safi)) ? [...own, ...other] : own;
  const families: FamilyArb[] = [
    { afi: 1, safi: 2, nextHopLengths: extended(1, 2, [4], [16, 32]), rd: 0, nlri: ip(1) },
    { afi: 2, safi: 1, nextHopLengths: [16, 32], rd: 0, nlri: ip(2) },
    { afi: 2, safi: 2, nextHopLengths: [16, 32], rd: 0, nlri: ip(2) },
    { afi: 1, safi: 4, nextHopLengths: extended(1, 4, [4], [16, 32]), rd: 0, nlri: (p) => labeledArb(1, 0, p) },
    { afi: 2, safi: 4, nextHopLengths: extended(2, 4, [16, 32], [4]), rd: 0, nlri: (p) => labeledArb(2, 0, p) },
    {
      afi: 1,
      safi: 128,
      nextHopLengths: extended(1, 128, [12], [24, 40, 48]),
      rd: 8,
      nlri: (p) => labeledArb(1, 8, p),
    },
    {
      afi: 2,
      safi: 128,
      nextHopLengths: extended(2, 128, [24, 40, 48], [12]),
      rd: 8,
      nlri: (p) => labeledArb(2, 8, p),
    },
  ];
  if (ctx.extendedNextHop.has(familyKey(1, 1))) {
    families.push({ afi: 1, safi: 1, nextHopLengths: [16, 32], rd: 0, nlri: ip(1) });
  }
  return families;
}

/** Next hop octets of `length`, a VPN next hop's Route Distinguishers zero (RFC 4364 §4.3.2, RFC 4659 §3.2.1). */
function nextHopArb(length: number, rd: 0 | 8): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ minLength: length, maxLength: length }).map((octets) => {
    if (rd > 0) {
      octets.fill(0, 0, rd);
      if (length === 48) octets.fill(0, 24, 32);
    }
    return octets;
  });
}

function mpArbs(ctx: CodecContext, only?: ReadonlySet<number>): fc.Arbitrary<PathAttribute[]> {
  const families = mpFamilies(ctx).filter((f) => only === undefined || only.has(familyKey(f.afi, f.safi)));
  const family = fc.constantFrom(...families);
  const nlriOf = (f: FamilyArb, max: number) =>
    fc.array(f.nlri(ctx.addPathReceive.has(familyKey(f.afi, f.safi))), { maxLength: max });
  const reach = family.chain((f) =>
    fc
      .record({
        nextHop: fc.constantFrom(...f.nextHopLengths).chain((n) => nextHopArb(n, f.rd)),
        nlri: nlriOf(f, 12),
      })
      .map(
        ({ nextHop, nlri }) =>
          ({ kind: 'mp-reach-nlri', code: 14, afi: f.afi, safi: f.safi, nextHop, nlri }) as PathAttribute,
      ),
  );
  const unreach = family.chain((f) =>
    nlriOf(f, 12).map(
      (withdrawn) => ({ kind: 'mp-unreach-nlri', code: 15, afi: f.afi, safi: f.safi, withdrawn }) as PathAttribute,
    ),
  );
  return fc
    .tuple(fc.option(reach, { nil: undefined }), fc.option(unreach, { nil: undefined }))
    .map(([r, u]) => [r, u].filter((a): a is PathAttribute => a !== undefined));
}

/** A valid UPDATE for `ctx`, attributes in a random wire order. */
export function updateArb(ctx: CodecContext): fc.Arbitrary<UpdateMessage> {
  const pathIds = ctx.addPathReceive.has(familyKey(1, 1));
  const arbs = attributeArbs(ctx);
  const optional = fc.subarray(Object.keys(arbs).filter((k) => !['origin', 'asPath', 'nextHop'].includes(k)));
  return fc
    .record({
      withdrawn: fc.array(ipv4PrefixArb(pathIds), { maxLength: 12 }),
      nlri: fc.array(ipv4PrefixArb(pathIds), { maxLength: 12 }),
      mp: mpArbs(ctx),
      mandatory: fc.record({ origin: arbs.origin!, asPath: arbs.asPath!, nextHop: arbs.nextHop! }),
      withMandatory: fc.boolean(),
      keys: optional,
      seed: fc.integer(),
    })
    .chain(({ withdrawn, nlri, mp, mandatory, withMandatory, keys, seed }) =>
      fc.tuple(...keys.map((k) => arbs[k]!)).map((extra) => {
        const announces = nlri.length > 0 || mp.some((a) => a.kind === 'mp-reach-nlri' && a.nlri.length > 0);
        const attributes: PathAttribute[] = [...extra, ...mp];
        // RFC 7606 §3(d): ORIGIN, AS_PATH (and NEXT_HOP for the NLRI field) when routes are announced.
        if (announces || withMandatory) attributes.push(mandatory.origin, mandatory.asPath, mandatory.nextHop);
        return { type: 'update' as const, withdrawn, nlri, attributes: shuffle(attributes, seed) };
      }),
    );
}

/**
 * An UPDATE announcing and withdrawing routes of the given families in MP_REACH_NLRI / MP_UNREACH_NLRI, with
 * the attributes every decoder reads the same way (ORIGIN, an AS_SEQUENCE, MED, LOCAL_PREF, communities):
 * what a differential run of those families compares.
 */
export function familyUpdateArb(ctx: CodecContext, families: ReadonlySet<number>): fc.Arbitrary<UpdateMessage> {
  const maxAsn = ctx.asn4 ? 0xffffffff : 0xffff;
  return fc
    .record({
      // ExaBGP refuses an MP_REACH_NLRI without NLRI ("not an EOR"): a difference of its own, not the family's
      mp: mpArbs(ctx, families).filter(
        (mp) => mp.length > 0 && mp.every((a) => a.kind !== 'mp-reach-nlri' || a.nlri.length > 0),
      ),
      origin: fc.integer({ min: 0, max: 2 }),
      path: fc.array(fc.integer({ min: 1, max: maxAsn }), { minLength: 1, maxLength: 6 }),
      med: fc.option(u32, { nil: undefined }),
      localPref: fc.option(u32, { nil: undefined }),
      communities: fc.array(u32, { maxLength: 4 }),
    })
    .map(({ mp, origin, path, med, localPref, communities }) => {
      const attributes: PathAttribute[] = [
        { kind: 'origin', code: 1, origin },
        { kind: 'as-path', code: 2, segments: [{ type: 2, asns: path }] },
      ];
      if (med !== undefined) attributes.push({ kind: 'med', code: 4, med });
      if (localPref !== undefined) attributes.push({ kind: 'local-pref', code: 5, localPref });
      if (communities.length > 0) attributes.push({ kind: 'communities', code: 8, communities });
      return { type: 'update' as const, withdrawn: [], nlri: [], attributes: [...attributes, ...mp] };
    });
}

function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = items.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

const familyArb = fc.record({
  afi: fc.constantFrom(1, 2, 25, 16388, 3),
  safi: fc.constantFrom(1, 2, 4, 70, 128, 133, 7),
});

export const capabilityArb: fc.Arbitrary<Capability> = fc.oneof(
  familyArb.map(({ afi, safi }) => ({ type: 'multiprotocol', afi, safi }) as Capability),
  fc.constant({ type: 'route-refresh' } as Capability),
  fc
    .array(fc.record({ afi: u16, safi: u16, nextHopAfi: u16 }), { maxLength: 4 })
    .map((entries) => ({ type: 'extended-next-hop', entries }) as Capability),
  fc.constant({ type: 'extended-message' } as Capability),
  fc
    .record({
      restartFlags: fc.integer({ min: 0, max: 15 }),
      restartTime: fc.integer({ min: 0, max: 4095 }),
      families: fc.array(fc.record({ afi: u16, safi: u8, flags: u8 }), { maxLength: 4 }),
    })
    .map((g) => ({ type: 'graceful-restart', ...g }) as Capability),
  u32.map((asn) => ({ type: 'asn4', asn }) as Capability),
  fc
    .array(fc.record({ afi: u16, safi: u8, sendReceive: fc.integer({ min: 1, max: 3 }) }), { maxLength: 4 })
    .map((families) => ({ type: 'add-path', families }) as Capability),
  fc.constant({ type: 'enhanced-route-refresh' } as Capability),
  fc
    .record({ hostname: fc.string({ maxLength: 40 }), domain: fc.string({ maxLength: 40 }) })
    .map((f) => ({ type: 'fqdn', ...f }) as Capability),
  fc.string({ maxLength: 60 }).map((version) => ({ type: 'software-version', version }) as Capability),
  fc.constant({ type: 'link-local-next-hop' } as Capability),
  fc
    .record({ variant: fc.constantFrom('rfc' as const, 'cisco' as const), data: fc.uint8Array({ maxLength: 4 }) })
    .map((m) => ({ type: 'multisession', ...m }) as Capability),
  fc.constant({ type: 'route-refresh-cisco' } as Capability),
  fc
    .record({ code: fc.constantFrom(3, 4, 7, 66, 67, 71, 76, 129, 185, 250), data: fc.uint8Array({ maxLength: 20 }) })
    .map((u) => ({ type: 'unknown', ...u }) as Capability),
);

export const openArb: fc.Arbitrary<BgpMessage> = fc
  .record({
    asn: u16,
    holdTime: u16,
    bgpIdentifier: fc.ipV4(),
    capabilities: fc.array(capabilityArb, { maxLength: 12 }),
  })
  .map((o) => ({ type: 'open', version: 4, ...o }) as BgpMessage);

export const notificationArb: fc.Arbitrary<BgpMessage> = fc
  .record({ code: u8, subcode: u8, data: fc.uint8Array({ maxLength: 64 }) })
  .map((n) => ({ type: 'notification', ...n }) as BgpMessage);

export const routeRefreshArb: fc.Arbitrary<BgpMessage> = fc
  .record({ afi: u16, safi: u8, subtype: u8 })
  .map((r) => ({ type: 'route-refresh', ...r }) as BgpMessage);

export const keepaliveArb: fc.Arbitrary<BgpMessage> = fc.constant({ type: 'keepalive' } as BgpMessage);

/** A context and a valid message of any type for it. */
export const messageInContextArb: fc.Arbitrary<{ ctx: CodecContext; message: BgpMessage }> = contextArb.chain((ctx) =>
  fc
    .oneof(
      { arbitrary: updateArb(ctx) as fc.Arbitrary<BgpMessage>, weight: 6 },
      { arbitrary: openArb, weight: 2 },
      { arbitrary: notificationArb, weight: 1 },
      { arbitrary: routeRefreshArb, weight: 1 },
      { arbitrary: keepaliveArb, weight: 1 },
    )
    .map((message) => ({ ctx, message })),
);

/** The value as the decoder returns it: attribute flags are decoded, so leave them out of comparisons. */
export function withoutDecoderFields(message: BgpMessage): unknown {
  if (message.type !== 'update') return message;
  const { outcome: _o, issues: _i, ...rest } = message;
  return {
    ...rest,
    attributes: rest.attributes.map((a) => {
      if (a.kind === 'unknown') return a;
      const { flags: _f, ...attribute } = a;
      return attribute;
    }),
  };
}
