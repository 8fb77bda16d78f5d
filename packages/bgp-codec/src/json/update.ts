/**
 * The `"message"` object of ExaBGP's UPDATE JSON (json.py `_update`, the attribute collection's json(),
 * each attribute's and NLRI's json()). Attributes print in ascending type code, NEXT_HOP only when the
 * UPDATE withdraws routes (otherwise it is the key routes are grouped under), MP_REACH_NLRI and
 * MP_UNREACH_NLRI never (their routes are announced / withdrawn). Routes are grouped by family in the order
 * they appear (NLRI field, then MP_REACH_NLRI; Withdrawn Routes, then MP_UNREACH_NLRI), announced ones
 * also by next hop.
 */
import type { AsPathSegment } from '../attributes/attr-02-as-path.js';
import type { ExtendedCommunity } from '../attributes/attr-16-extended-communities.js';
import type { PathAttribute } from '../attributes/registry.js';
import { afiName } from '../families/key.js';
import type { Nlri } from '../families/table.js';
import { safiName } from '../families/table.js';
import { isEndOfRib, type UpdateMessage } from '../update.js';
import { extendedCommunityJson } from './extended-community.js';
import { hexLower, ipText, ipv4FromNumber, ipv6Text, pyJsonString } from './format.js';

const ORIGIN_NAMES: readonly string[] = ['igp', 'egp', 'incomplete'];
const SEGMENT_NAMES: Readonly<Record<number, string>> = {
  1: 'as-set',
  2: 'as-sequence',
  3: 'as-confed-sequence',
  4: 'as-confed-set',
};
/** aspath.py `string()` brackets, for an AS4_PATH printed as text. */
const SEGMENT_BRACKETS: Readonly<Record<number, readonly [string, string]>> = {
  1: ['[', ']'],
  2: ['(', ')'],
  3: ['{(', ')}'],
  4: ['{[', ']}'],
};

/** aspath.py json(): Python's json.dumps of `{position: {"element": name, "value": [asns]}}`. */
function asPathJson(segments: readonly AsPathSegment[]): string {
  const parts = segments.map(
    (s, i) => `"${i}": {"element": "${SEGMENT_NAMES[s.type] ?? 'unknown'}", "value": [${s.asns.join(', ')}]}`,
  );
  return `{${parts.join(', ')}}`;
}

function asPathText(segments: readonly AsPathSegment[]): string {
  return segments
    .map((s) => {
      const [head, tail] = SEGMENT_BRACKETS[s.type] ?? ['?', '?'];
      return `${head} ${s.asns.join(' ')} ${tail}`;
    })
    .join(' ');
}

function extendedCommunityBytes(community: ExtendedCommunity): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, community.high >>> 0);
  view.setUint32(4, community.low >>> 0);
  return bytes;
}

/** `"key": value` for one attribute, or undefined when ExaBGP does not print it. */
function attributeJson(attribute: PathAttribute, includeNextHop: boolean, aigp: boolean): string | undefined {
  switch (attribute.kind) {
    case 'origin':
      return `"origin": "${ORIGIN_NAMES[attribute.origin] ?? 'invalid'}"`;
    case 'as-path':
      // An empty AS_PATH prints nothing (its json() is `{}`).
      return attribute.segments.length === 0 ? undefined : `"as-path": ${asPathJson(attribute.segments)}`;
    case 'next-hop':
      return includeNextHop ? `"next-hop": "${ipv4FromNumber(attribute.nextHop)}"` : undefined;
    case 'med':
      return `"med": ${attribute.med}`;
    case 'local-pref':
      return `"local-preference": ${attribute.localPref}`;
    case 'atomic-aggregate':
      return '"atomic-aggregate": true';
    case 'aggregator':
    case 'as4-aggregator':
      // Both are named "aggregator" by ExaBGP: when both are present the key appears twice, as ExaBGP prints it.
      return `"aggregator": "${attribute.asn}:${ipv4FromNumber(attribute.address)}"`;
    case 'communities':
      return `"community": [ ${attribute.communities.map((c) => `[ ${c >>> 16}, ${c & 0xffff} ]`).join(', ')} ]`;
    case 'originator-id':
      return `"originator-id": "${ipv4FromNumber(attribute.originatorId)}"`;
    case 'cluster-list':
      return `"cluster-list": [ ${attribute.clusterList.map((c) => `"${ipv4FromNumber(c)}"`).join(', ')} ]`;
    case 'extended-communities':
      return `"extended-community": [ ${attribute.communities.map((c) => extendedCommunityJson(extendedCommunityBytes(c))).join(', ')} ]`;
    case 'as4-path':
      // Without an AS_PATH to merge into, ExaBGP shows AS4_PATH as an attribute it has no name for.
      return `"attribute-0x11-0xC0": ${pyJsonString(asPathText(attribute.segments))}`;
    case 'aigp': {
      if (!aigp) return undefined;
      const tlv = attribute.tlvs.find((t) => t.type === 1);
      return `"aigp": "${tlv && tlv.value.length === 8 ? hexLower(tlv.value) : '0x0000000000000000'}"`;
    }
    case 'large-communities':
      return `"large-community": [ ${attribute.communities.map((c) => `[ ${c.global}, ${c.local1} , ${c.local2} ]`).join(', ')} ]`;
    case 'mp-reach-nlri':
    case 'mp-unreach-nlri':
      return undefined;
    case 'unknown':
      return unknownAttributeJson(attribute.code, attribute.flags, attribute.value);
  }
}

/**
 * collection.py: an attribute ExaBGP has no class for is kept only when transitive, with the Partial bit
 * set, and printed as `"attribute-0xCODE-0xFLAGS": "0x<value>"`. ExaBGP knows some the codec keeps raw
 * (IPv6 extended communities, PMSI, BGP-LS, prefix SID, tunnel encapsulation); they print as ExaBGP's
 * generic form here.
 */
function unknownAttributeJson(code: number, flags: number, value: Uint8Array): string | undefined {
  if (code === 14 || code === 15) return undefined;
  if ((flags & 0x40) === 0) return undefined;
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
  return `"attribute-0x${hex(code)}-0x${hex(flags | 0x20)}": "${hexLower(value)}"`;
}

/** inet.py json(): `{ "nlri": "prefix" }`, with the RFC 7911 path identifier as a dotted quad when present. */
function nlriJson(nlri: Nlri): string {
  const prefix =
    nlri.afi === 1 ? `${ipv4FromNumber(nlri.address)}/${nlri.length}` : `${ipv6Text(nlri.address)}/${nlri.length}`;
  if (nlri.pathId === undefined) return `{ "nlri": "${prefix}" }`;
  return `{ "nlri": "${prefix}", "path-information": "${ipv4FromNumber(nlri.pathId)}" }`;
}

/** mprnlri.py: the first next hop of the field (global before link-local); none prints as `no-nexthop`. */
function mpNextHopText(nextHop: Uint8Array): string {
  if (nextHop.length === 0) return 'no-nexthop';
  return ipText(nextHop.length === 4 ? nextHop : nextHop.subarray(0, 16));
}

/**
 * collection.py `merge_attributes` (RFC 6793 §4.2.3 as ExaBGP does it): the AS_SEQUENCE and AS_SET numbers of
 * both paths are flattened, the trailing part of AS_PATH is replaced by AS4_PATH, and the result is one
 * AS_SEQUENCE then one AS_SET. Python's `x[:-0]` is empty, so an AS4_PATH without sequence numbers empties
 * the merged sequence: ExaBGP prints that, and so does this.
 */
function mergeAs4Path(asPath: readonly AsPathSegment[], as4Path: readonly AsPathSegment[]): AsPathSegment[] {
  const flatten = (segments: readonly AsPathSegment[], types: readonly number[]) =>
    segments.filter((s) => types.includes(s.type)).flatMap((s) => s.asns);
  const pyDropLast = (list: number[], count: number) =>
    count === 0 ? [] : list.slice(0, Math.max(0, list.length - count));
  const seq2 = flatten(asPath, [2, 3]);
  const seq4 = flatten(as4Path, [2, 3]);
  const set2 = flatten(asPath, [1, 4]);
  const set4 = flatten(as4Path, [1, 4]);
  const sequence = seq2.length < seq4.length ? seq2 : [...pyDropLast(seq2, seq4.length), ...seq4];
  const set = set2.length < set4.length ? set4 : [...pyDropLast(set2, set4.length), ...set4];
  const merged: AsPathSegment[] = [];
  if (sequence.length) merged.push({ type: 2, asns: sequence });
  if (set.length) merged.push({ type: 1, asns: set });
  return merged;
}

/**
 * The attributes as ExaBGP's collection holds them: the first of each type code, without MP_REACH_NLRI and
 * MP_UNREACH_NLRI, without unknown non-transitive attributes (dropped on receipt), AS4_PATH merged into
 * AS_PATH; in ascending type code.
 */
function collectedAttributes(attributes: readonly PathAttribute[]): PathAttribute[] {
  const byCode = new Map<number, PathAttribute>();
  for (const attribute of attributes) {
    if (byCode.has(attribute.code) || attribute.code === 14 || attribute.code === 15) continue;
    if (attribute.kind === 'unknown' && (attribute.flags & 0x40) === 0) continue;
    byCode.set(attribute.code, attribute);
  }
  const asPath = byCode.get(2);
  const as4Path = byCode.get(17);
  if (asPath?.kind === 'as-path' && as4Path?.kind === 'as4-path') {
    byCode.delete(17);
    byCode.set(2, { ...asPath, segments: mergeAs4Path(asPath.segments, as4Path.segments) });
  }
  return [...byCode.values()].sort((a, b) => a.code - b.code);
}

type Announced = Map<string, Map<string, Nlri[]>>;

function announce(into: Announced, family: string, nextHop: string, nlri: readonly Nlri[]): void {
  if (nlri.length === 0) return;
  let byNextHop = into.get(family);
  if (!byNextHop) {
    byNextHop = new Map();
    into.set(family, byNextHop);
  }
  const list = byNextHop.get(nextHop);
  if (list) list.push(...nlri);
  else byNextHop.set(nextHop, [...nlri]);
}

function withdraw(into: Map<string, Nlri[]>, family: string, nlri: readonly Nlri[]): void {
  if (nlri.length === 0) return;
  const list = into.get(family);
  if (list) list.push(...nlri);
  else into.set(family, [...nlri]);
}

const familyText = (afi: number, safi: number) => `${afiName(afi)} ${safiName(safi)}`;

/**
 * The value of `"message"` for an UPDATE. An End-of-RIB prints as `{ "eor": { "afi" : ..., "safi" : ... } }`,
 * the form ExaBGP's `_update` has for it and printed up to 5.x; ExaBGP 6.0.0 reaches that branch only for
 * a message that is neither, and prints an End-of-RIB as `"null": [ "eor": {...} ]`, which is not JSON.
 */
export function updateMessageJson(update: UpdateMessage, aigp = false): string {
  const eor = isEndOfRib(update);
  if (eor) return `{ "eor": { "afi" : "${afiName(eor.afi)}", "safi" : "${safiName(eor.safi)}" } }`;

  const announced: Announced = new Map();
  const withdrawn = new Map<string, Nlri[]>();
  let nextHop = 'no-nexthop';
  for (const attribute of update.attributes) {
    if (attribute.kind === 'next-hop') nextHop = ipv4FromNumber(attribute.nextHop);
  }
  withdraw(withdrawn, 'ipv4 unicast', update.withdrawn);
  announce(announced, 'ipv4 unicast', nextHop, update.nlri);
  for (const attribute of update.attributes) {
    if (attribute.kind === 'mp-unreach-nlri')
      withdraw(withdrawn, familyText(attribute.afi, attribute.safi), attribute.withdrawn);
  }
  for (const attribute of update.attributes) {
    if (attribute.kind === 'mp-reach-nlri') {
      announce(announced, familyText(attribute.afi, attribute.safi), mpNextHopText(attribute.nextHop), attribute.nlri);
    }
  }

  const kept = collectedAttributes(update.attributes);
  const includeNextHop = withdrawn.size > 0;
  const attributes =
    kept.length === 0
      ? ''
      : `"attribute": { ${kept
          .map((a) => attributeJson(a, includeNextHop, aigp))
          .filter((s): s is string => s !== undefined)
          .join(', ')} }`;

  let routes = '';
  if (announced.size > 0) {
    const families = [...announced].map(([family, byNextHop]) => {
      const groups = [...byNextHop].map(([hop, list]) => `"${hop}": [ ${list.map(nlriJson).join(', ')} ]`);
      return `"${family}": { ${groups.join(', ')} }`;
    });
    routes += `"announce": { ${families.join(', ')} }`;
  }
  if (announced.size > 0 && withdrawn.size > 0) routes += ', ';
  if (withdrawn.size > 0) {
    const families = [...withdrawn].map(([family, list]) => `"${family}": [ ${list.map(nlriJson).join(', ')} ]`);
    routes += `"withdraw": { ${families.join(', ')} }`;
  }
  const update_ = attributes && routes ? `${attributes}, ${routes}` : `${attributes}${routes}`;
  return `{ "update": { ${update_} } }`;
}
