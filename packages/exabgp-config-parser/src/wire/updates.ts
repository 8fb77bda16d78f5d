import {
  AsPathSegmentType,
  ByteWriter,
  type CodecContext,
  endOfRib,
  type FamilyKey,
  familyKey,
  type Ipv4Prefix,
  MAX_EXTENDED_MESSAGE_LENGTH,
  MAX_MESSAGE_LENGTH,
  type MpReachNlriAttribute,
  type Negotiated,
  type Nlri,
  type PathAttribute,
  parseIpv4,
  parseIpv6,
  type UpdateMessage,
  writeAttribute,
  writeUpdate,
} from 'bgp-codec';
import type { Attributes, Neighbor } from '../model.js';
import type { SessionFacts } from './open.js';
import { WireError } from './open.js';
import { type OutgoingRoute, outgoingRoutes } from './routes.js';

/** What the attribute builder needs to know about the session. */
export interface AttributeSession {
  /** our AS and the peer's, as negotiated (RFC 6793: the 4-octet values) */
  localAs: number;
  peerAs: number;
  /** both sides sent the 4-octet AS capability */
  asn4: boolean;
  /** ExaBGP sends AIGP on iBGP, and on eBGP only when `capability { aigp enable; }` */
  aigp: boolean;
}

const ORIGIN_CODES = { igp: 0, egp: 1, incomplete: 2 } as const;
const SEGMENT_TYPES = {
  sequence: AsPathSegmentType.AS_SEQUENCE,
  set: AsPathSegmentType.AS_SET,
  'confed-sequence': AsPathSegmentType.AS_CONFED_SEQUENCE,
  'confed-set': AsPathSegmentType.AS_CONFED_SET,
} as const;

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** 4-octet AS numbers above 65535 anywhere in the path (RFC 6793 §4.2.2 then needs AS4_PATH). */
function needsAs4(segments: readonly { asns: readonly number[] }[]): boolean {
  for (const segment of segments) for (const asn of segment.asns) if (asn > 0xffff) return true;
  return false;
}

/**
 * The path attributes ExaBGP sends for a route (AttributeCollection.pack_attribute), in its order: ascending
 * type code, with AS4_PATH right after AS_PATH and AS4_AGGREGATOR right after AGGREGATOR when the session is
 * 2-octet (ASPath/Aggregator pack them together). Defaults: ORIGIN igp; AS_PATH empty on iBGP and
 * `[local-as]` on eBGP; LOCAL_PREF 100 on iBGP. LOCAL_PREF is never sent on eBGP, NEXT_HOP only for an IPv4
 * next hop. Communities and extended communities are sorted (duplicates kept), large communities sorted and
 * de-duplicated. Generic attributes keep their configured flags.
 */
export function pathAttributesFor(
  attributes: Attributes,
  nextHop: string | undefined,
  session: AttributeSession,
): PathAttribute[] {
  const ibgp = session.localAs === session.peerAs;
  const byCode = new Map<number, PathAttribute[]>();
  const put = (code: number, ...list: PathAttribute[]) => {
    if (!byCode.has(code)) byCode.set(code, list);
  };

  put(1, { kind: 'origin', code: 1, origin: ORIGIN_CODES[attributes.origin ?? 'igp'] });

  const segments =
    attributes.asPath !== undefined
      ? attributes.asPath
          .filter((s) => s.asns.length > 0)
          .map((s) => ({ type: SEGMENT_TYPES[s.type], asns: [...s.asns] }))
      : ibgp
        ? []
        : [{ type: AsPathSegmentType.AS_SEQUENCE, asns: [session.localAs] }];
  const asPath: PathAttribute[] = [{ kind: 'as-path', code: 2, segments }];
  if (!session.asn4 && needsAs4(segments)) asPath.push({ kind: 'as4-path', code: 17, segments });
  put(2, ...asPath);

  if (nextHop !== undefined && !nextHop.includes(':'))
    put(3, { kind: 'next-hop', code: 3, nextHop: parseIpv4(nextHop) });
  if (attributes.med !== undefined) put(4, { kind: 'med', code: 4, med: attributes.med });
  if (ibgp) put(5, { kind: 'local-pref', code: 5, localPref: attributes.localPreference ?? 100 });
  if (attributes.atomicAggregate) put(6, { kind: 'atomic-aggregate', code: 6 });
  if (attributes.aggregator !== undefined) {
    const { asn } = attributes.aggregator;
    const address = parseIpv4(attributes.aggregator.address);
    const list: PathAttribute[] = [{ kind: 'aggregator', code: 7, asn, address }];
    if (!session.asn4 && asn > 0xffff) list.push({ kind: 'as4-aggregator', code: 18, asn, address });
    put(7, ...list);
  }
  if (attributes.communities !== undefined && attributes.communities.length > 0) {
    const communities = attributes.communities.map((c) => c >>> 0).sort((a, b) => a - b);
    put(8, { kind: 'communities', code: 8, communities });
  }
  if (attributes.originatorId !== undefined) {
    put(9, { kind: 'originator-id', code: 9, originatorId: parseIpv4(attributes.originatorId) });
  }
  if (attributes.clusterList !== undefined && attributes.clusterList.length > 0) {
    put(10, { kind: 'cluster-list', code: 10, clusterList: attributes.clusterList.map(parseIpv4) });
  }
  const extended = attributes.extendedCommunities ?? [];
  const ext8 = extended.filter((e) => !e.ipv6).map((e) => hexToBytes(e.hex));
  if (ext8.length > 0) {
    ext8.sort(compareBytes);
    const communities = ext8.map((b) => ({
      high: ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0,
      low: ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0,
    }));
    put(16, { kind: 'extended-communities', code: 16, communities });
  }
  const ext20 = extended.filter((e) => e.ipv6).map((e) => hexToBytes(e.hex));
  if (ext20.length > 0) {
    ext20.sort(compareBytes);
    const value = new Uint8Array(ext20.length * 20);
    for (let i = 0; i < ext20.length; i++) value.set(ext20[i]!, i * 20);
    // RFC 5701 IPv6 Address Specific Extended Community (25), optional transitive; the codec keeps it raw
    put(25, { kind: 'unknown', code: 25, flags: 0xc0, value });
  }
  if (attributes.aigp !== undefined && (ibgp || session.aigp)) {
    const value = new Uint8Array(8);
    new DataView(value.buffer).setBigUint64(0, BigInt(attributes.aigp));
    put(26, { kind: 'aigp', code: 26, tlvs: [{ type: 1, value }] });
  }
  if (attributes.largeCommunities !== undefined && attributes.largeCommunities.length > 0) {
    const seen = new Set<string>();
    const communities = attributes.largeCommunities
      .filter(([g, l1, l2]) => {
        const key = `${g}:${l1}:${l2}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2])
      .map(([global, local1, local2]) => ({ global, local1, local2 }));
    put(32, { kind: 'large-communities', code: 32, communities });
  }
  if (attributes.bgpPrefixSid !== undefined || attributes.bgpPrefixSidSrv6 !== undefined) {
    throw new WireError('attribute bgp-prefix-sid not supported');
  }
  for (const generic of attributes.generic ?? []) {
    // a generic attribute of a code already configured is dropped, as ExaBGP's AttributeCollection.add does
    put(generic.code, { kind: 'unknown', code: generic.code, flags: generic.flags, value: hexToBytes(generic.hex) });
  }
  // a configured LOCAL_PREF is dropped on eBGP (skip rule), AS_PATH/ORIGIN defaults already in
  const codes = [...byCode.keys()].sort((a, b) => a - b);
  const out: PathAttribute[] = [];
  for (const code of codes) out.push(...byCode.get(code)!);
  return out;
}

/**
 * The Network Address of Next Hop octets of MP_REACH_NLRI (ExaBGP MPNLRICollection._encode_nexthop): the
 * family's row encodes the address (a VPN family puts its zero Route Distinguisher first); for IPv6 families
 * on a single-hop session that negotiated the link-local next-hop capability, the configured link-local
 * address follows a global one (draft-ietf-idr-linklocal-capability).
 */
function mpNextHop(neighbor: Neighbor, route: OutgoingRoute, negotiated: Negotiated): Uint8Array {
  const nextHop = route.nextHop;
  if (nextHop === undefined) return new Uint8Array(0);
  const encode = route.family.codec!.nextHop.encode;
  if (route.afi !== 2 || !nextHop.includes(':')) return encode(nextHop);
  const global = parseIpv6(nextHop);
  const multihop = neighbor.outgoingTtl !== undefined && neighbor.outgoingTtl > 1;
  const isLinkLocal = global[0] === 0xfe && (global[1]! & 0xc0) === 0x80;
  if (negotiated.linkLocalNextHop && !multihop && !isLinkLocal && neighbor.localLinkLocal) {
    return encode(nextHop, neighbor.localLinkLocal);
  }
  return encode(nextHop);
}

/** Routes sharing one UPDATE body: ExaBGP's UpdateCollection. */
interface Collection {
  afi: number;
  safi: number;
  family: OutgoingRoute['family'];
  routes: OutgoingRoute[];
}

/**
 * ExaBGP's OutgoingRIB.updates: routes grouped by attributes (first appearance order), then by family; IPv4
 * unicast (and the MVPN families) of one attribute set share a collection when `group-updates` is on, every
 * other route is a collection of its own.
 */
function collections(routes: readonly OutgoingRoute[], grouped: boolean): Collection[] {
  const byAttributes = new Map<string, Map<FamilyKey, OutgoingRoute[]>>();
  for (const route of routes) {
    let families = byAttributes.get(route.attributeKey);
    if (families === undefined) {
      families = new Map();
      byAttributes.set(route.attributeKey, families);
    }
    const key = route.family.key;
    let list = families.get(key);
    if (list === undefined) {
      list = [];
      families.set(key, list);
    }
    list.push(route);
  }
  const out: Collection[] = [];
  for (const families of byAttributes.values()) {
    for (const list of families.values()) {
      const { afi, safi, family } = list[0]!;
      if (grouped && family.exabgp.groupUpdates) out.push({ afi, safi, family, routes: list });
      else for (const route of list) out.push({ afi, safi, family, routes: [route] });
    }
  }
  return out;
}

function attributesLength(attributes: readonly PathAttribute[], ctx: CodecContext, scratch: ByteWriter): number {
  scratch.reset();
  for (const attribute of attributes) writeAttribute(scratch, attribute, ctx);
  return scratch.pos;
}

/**
 * The UPDATE messages for a collection (ExaBGP UpdateCollection.messages, announcements only): IPv4 NLRI with
 * an IPv4 next hop in the NLRI field, sorted, as many per message as fit; other routes in MP_REACH_NLRI,
 * one attribute per next hop, split when full. The limit is the negotiated message size (65535 with RFC
 * 8654 Extended Message, else 4096).
 */
function* collectionUpdates(
  neighbor: Neighbor,
  collection: Collection,
  negotiated: Negotiated,
  session: AttributeSession,
  scratch: ByteWriter,
  cache: Map<string, { attributes: PathAttribute[]; length: number }>,
): Generator<UpdateMessage> {
  const first = collection.routes[0]!;
  const ctx = negotiated.context;
  const maxLength = negotiated.extendedMessage ? MAX_EXTENDED_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH;
  let built = cache.get(first.attributeKey);
  if (built === undefined) {
    const attributes = pathAttributesFor(first.route.attributes, first.nextHop, session);
    built = { attributes, length: attributesLength(attributes, ctx, scratch) };
    cache.set(first.attributeKey, built);
  }
  const { attributes } = built;
  const room = maxLength - 19 - 2 - 2 - built.length;
  if (room <= 0)
    throw new WireError(`the attributes of the route at line ${first.route.location.line} fill a whole UPDATE`);
  const family = collection.family;
  const codec = family.codec!;
  const addPath = ctx.addPathSend.has(family.key);

  const v4: Ipv4Prefix[] = [];
  const mp: OutgoingRoute[] = [];
  for (const route of collection.routes) {
    const nextHopV4 = route.nextHop !== undefined && !route.nextHop.includes(':');
    if (family.exabgp.nlriField && nextHopV4) v4.push(route.nlri as Ipv4Prefix);
    else if (route.nextHop !== undefined) mp.push(route);
    else throw new WireError(`announce requires a next-hop: route at line ${route.route.location.line}`);
  }

  if (v4.length > 0) {
    if (v4.length > 1) v4.sort(codec.compare);
    let chunk: Ipv4Prefix[] = [];
    let used = 0;
    for (const prefix of v4) {
      const size = codec.size(prefix, addPath);
      if (used + size > room && chunk.length > 0) {
        yield { type: 'update', withdrawn: [], attributes, nlri: chunk };
        chunk = [];
        used = 0;
      }
      chunk.push(prefix);
      used += size;
    }
    yield { type: 'update', withdrawn: [], attributes, nlri: chunk };
  }

  if (mp.length > 0) {
    if (mp.length > 1) mp.sort((a, b) => codec.compare(a.nlri, b.nlri));
    // one MP_REACH_NLRI per next hop, in the order the next hops first appear
    const byNextHop = new Map<string, { nextHop: Uint8Array; nlri: Nlri[] }>();
    for (const route of mp) {
      const key = route.nextHop ?? '';
      let entry = byNextHop.get(key);
      if (entry === undefined) {
        entry = { nextHop: mpNextHop(neighbor, route, negotiated), nlri: [] };
        byNextHop.set(key, entry);
      }
      entry.nlri.push(route.nlri);
    }
    for (const { nextHop, nlri: all } of byNextHop.values()) {
      const header = 2 + 1 + 1 + nextHop.length + 1;
      let chunk: Nlri[] = [];
      let payload = header;
      const reach = (nlri: Nlri[]): MpReachNlriAttribute => ({
        kind: 'mp-reach-nlri',
        code: 14,
        afi: collection.afi,
        safi: collection.safi,
        nextHop,
        nlri,
      });
      for (const nlri of all) {
        const size = codec.size(nlri, addPath);
        const total = payload + size;
        // ExaBGP's limit is the whole attribute, its header included (3 octets, 4 above 255)
        if (total + (total > 255 ? 4 : 3) > room && chunk.length > 0) {
          yield { type: 'update', withdrawn: [], attributes: [...attributes, reach(chunk)], nlri: [] };
          chunk = [];
          payload = header;
        }
        chunk.push(nlri);
        payload += size;
      }
      yield { type: 'update', withdrawn: [], attributes: [...attributes, reach(chunk)], nlri: [] };
    }
  }
}

/**
 * The session values the attribute builder needs, from the negotiated session and the neighbor. iBGP/eBGP is
 * decided on the negotiated 4-octet AS numbers (RFC 6793); ExaBGP 6 compares the 2-octet My AS field of its
 * own OPEN instead, so with a local AS above 65535 it would see AS_TRANS (a divergence kept on purpose).
 */
export function attributeSession(neighbor: Neighbor, negotiated: Negotiated): AttributeSession {
  return {
    localAs: negotiated.localAs,
    peerAs: negotiated.peerAs,
    asn4: negotiated.asn4,
    aigp: neighbor.capabilities.aigp === true,
  };
}

/**
 * The UPDATEs a neighbor sends once established, for every configured route of a negotiated family, grouped
 * and ordered as ExaBGP 6 does (OutgoingRIB.updates then UpdateCollection.messages). A generator: a million
 * routes are never all held as messages.
 */
export function* updatesFor(
  neighbor: Neighbor,
  negotiated: Negotiated,
  facts: SessionFacts = {},
): Generator<UpdateMessage> {
  const families = new Set(negotiated.families.map((f) => familyKey(f.afi, f.safi)));
  const routes = outgoingRoutes(neighbor, facts).filter((r) => families.has(r.family.key));
  const session = attributeSession(neighbor, negotiated);
  const scratch = new ByteWriter(256);
  const cache = new Map<string, { attributes: PathAttribute[]; length: number }>();
  for (const collection of collections(routes, neighbor.groupUpdates)) {
    yield* collectionUpdates(neighbor, collection, negotiated, session, scratch, cache);
  }
}

/** The End-of-RIB of every negotiated family, in the negotiated order (ExaBGP Protocol.new_eors). */
export function endOfRibsFor(negotiated: Negotiated): UpdateMessage[] {
  return negotiated.families.map((f) => endOfRib(f.afi, f.safi));
}

/**
 * Every message a neighbor sends after the OPEN exchange, as bytes: its UPDATEs, then the End-of-RIBs unless
 * `manual-eor` is set. KEEPALIVEs are the session's business and not included.
 */
export function* initialMessagesFor(
  neighbor: Neighbor,
  negotiated: Negotiated,
  facts: SessionFacts = {},
  writer: ByteWriter = new ByteWriter(MAX_MESSAGE_LENGTH),
): Generator<Uint8Array> {
  const ctx = negotiated.context;
  for (const update of updatesFor(neighbor, negotiated, facts)) yield encodeInto(writer, update, ctx);
  if (neighbor.manualEor) return;
  for (const eor of endOfRibsFor(negotiated)) yield encodeInto(writer, eor, ctx);
}

function encodeInto(writer: ByteWriter, update: UpdateMessage, ctx: CodecContext): Uint8Array {
  writer.reset();
  writeUpdate(writer, update, ctx);
  return writer.buf.slice(0, writer.pos);
}
