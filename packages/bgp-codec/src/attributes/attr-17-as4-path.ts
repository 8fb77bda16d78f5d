import { pyJsonString } from '../json/format.js';
import { AS_TRANS, type AsPathSegment, AsPathSegmentType, decodeSegments, encodeSegments } from './attr-02-as-path.js';
import type { AttributeRow } from './types.js';

/** AS4_PATH (17), optional transitive (RFC 6793 §3): the 4-octet path beside a 2-octet AS_PATH. */
export interface As4PathAttribute {
  readonly kind: 'as4-path';
  readonly code: 17;
  readonly flags?: number;
  readonly segments: AsPathSegment[];
}

/** aspath.py `string()` brackets, for an AS4_PATH printed as text. */
const SEGMENT_BRACKETS: Readonly<Record<number, readonly [string, string]>> = {
  1: ['[', ']'],
  2: ['(', ')'],
  3: ['{(', ')}'],
  4: ['{[', ']}'],
};

function asPathText(segments: readonly AsPathSegment[]): string {
  return segments
    .map((s) => {
      const [head, tail] = SEGMENT_BRACKETS[s.type] ?? ['?', '?'];
      return `${head} ${s.asns.join(' ')} ${tail}`;
    })
    .join(' ');
}

export const AS4_PATH: AttributeRow<As4PathAttribute> = {
  code: 17,
  name: 'as4-path',
  flags: 0xc0,
  // RFC 7606 §7.2 / RFC 6793 §6: "the AS4_PATH attribute ... is considered malformed ... under the same
  // conditions as AS_PATH ... and SHALL be handled using the approach of 'attribute discard'."
  onError: 'attribute-discard',
  carriesNlri: false,
  decode(b, start, end, flags) {
    return { kind: 'as4-path', code: 17, flags, segments: decodeSegments(b, start, end, 4, 'AS4_PATH') };
  },
  encode(w, attribute) {
    encodeSegments(w, attribute.segments, 4);
  },
  // Merged into AS_PATH when there is one; without, ExaBGP shows it as an attribute it has no name for.
  json: (attribute, ctx) =>
    ctx.collected.get(2)?.kind === 'as-path'
      ? undefined
      : `"attribute-0x11-0xC0": ${pyJsonString(asPathText(attribute.segments))}`,
};

/**
 * RFC 4271 §9.1.2.2 (a) / RFC 5065 §5.3: the number of ASes a path counts for. An AS_SET counts as one
 * whatever its size; confederation segments count as none.
 */
export function asPathLength(segments: readonly AsPathSegment[]): number {
  let length = 0;
  for (const segment of segments) {
    if (segment.type === AsPathSegmentType.AS_SEQUENCE) length += segment.asns.length;
    else if (segment.type === AsPathSegmentType.AS_SET) length += 1;
  }
  return length;
}

/**
 * RFC 6793 §4.2.3: the path a 2-octet session really carried, from AS_PATH and AS4_PATH. "If the number of
 * AS numbers in the AS_PATH attribute is less than the number of AS numbers in the AS4_PATH attribute, then
 * the AS4_PATH attribute SHALL be ignored, and the AS_PATH attribute SHALL be taken as the AS path
 * information. If the number of AS numbers in the AS_PATH attribute is larger than or equal to the number of
 * AS numbers in the AS4_PATH attribute, then the AS path information SHALL be constructed by taking as many
 * AS numbers and path segments as necessary from the leading part of the AS_PATH attribute, and then
 * prepending them to the AS4_PATH attribute so that the AS path information has a number of AS numbers
 * identical to that of the AS_PATH attribute." Counting follows RFC 4271 §9.1.2.2 ({@link asPathLength}).
 * Call it only when the AGGREGATOR check of {@link reconcileAs4} allows AS4_PATH to be used.
 */
export function mergeAs4Path(asPath: readonly AsPathSegment[], as4Path: readonly AsPathSegment[]): AsPathSegment[] {
  const total = asPathLength(asPath);
  const as4Length = asPathLength(as4Path);
  if (total < as4Length) return asPath.map((s) => ({ type: s.type, asns: [...s.asns] }));
  let needed = total - as4Length;
  const merged: AsPathSegment[] = [];
  for (const segment of asPath) {
    if (needed === 0) break;
    if (segment.type === AsPathSegmentType.AS_SEQUENCE) {
      const take = Math.min(needed, segment.asns.length);
      merged.push({ type: segment.type, asns: segment.asns.slice(0, take) });
      needed -= take;
    } else if (segment.type === AsPathSegmentType.AS_SET) {
      merged.push({ type: segment.type, asns: [...segment.asns] });
      needed -= 1;
    } else {
      merged.push({ type: segment.type, asns: [...segment.asns] });
    }
  }
  for (const segment of as4Path) {
    const last = merged[merged.length - 1];
    // A leading AS_SEQUENCE cut short and the AS4_PATH's first AS_SEQUENCE are one segment on the wire.
    if (last && last.type === AsPathSegmentType.AS_SEQUENCE && segment.type === AsPathSegmentType.AS_SEQUENCE) {
      if (last.asns.length + segment.asns.length <= 255) {
        last.asns.push(...segment.asns);
        continue;
      }
    }
    merged.push({ type: segment.type, asns: [...segment.asns] });
  }
  return merged;
}

/**
 * RFC 6793 §4.2.3 for a whole attribute list received on a 2-octet session: the effective AS path and
 * aggregator. "If the AGGREGATOR attribute contains an AS number other than AS_TRANS, then: the
 * AS4_AGGREGATOR attribute and the AS4_PATH attribute (if present) MUST be ignored, and the AGGREGATOR
 * attribute and the AS_PATH attribute are taken as the information about the aggregating node and the
 * AS_PATH of the route. If the AGGREGATOR attribute contains the AS_TRANS, then: if the AS4_AGGREGATOR
 * attribute is present, its information is used as the information about the aggregating node; otherwise
 * the AGGREGATOR attribute is used. ... the AS4_PATH is merged" ({@link mergeAs4Path}). On a 4-octet
 * session AS4_PATH and AS4_AGGREGATOR are ignored (RFC 6793 §4.1: "a NEW BGP speaker ... MUST ignore them").
 */
export function reconcileAs4(
  attributes: readonly { readonly kind: string }[],
  asn4: boolean,
): { asPath: AsPathSegment[] | undefined; aggregator: { asn: number; address: number } | undefined } {
  let asPath: AsPathSegment[] | undefined;
  let as4Path: AsPathSegment[] | undefined;
  let aggregator: { asn: number; address: number } | undefined;
  let as4Aggregator: { asn: number; address: number } | undefined;
  for (const a of attributes as readonly (
    | { kind: 'as-path' | 'as4-path'; segments: AsPathSegment[] }
    | { kind: 'aggregator' | 'as4-aggregator'; asn: number; address: number }
    | { kind: 'other' }
  )[]) {
    if (a.kind === 'as-path') asPath = a.segments;
    else if (a.kind === 'as4-path') as4Path = a.segments;
    else if (a.kind === 'aggregator') aggregator = { asn: a.asn, address: a.address };
    else if (a.kind === 'as4-aggregator') as4Aggregator = { asn: a.asn, address: a.address };
  }
  if (asn4 || asPath === undefined) return { asPath, aggregator };
  if (aggregator && aggregator.asn !== AS_TRANS) return { asPath, aggregator };
  if (aggregator && as4Aggregator) aggregator = as4Aggregator;
  if (as4Path === undefined) return { asPath, aggregator };
  // RFC 6793 §6: AS_CONFED_SEQUENCE / AS_CONFED_SET segments in AS4_PATH are discarded (BIRD does the same).
  const plain = as4Path.filter((s) => s.type === AsPathSegmentType.AS_SEQUENCE || s.type === AsPathSegmentType.AS_SET);
  return { asPath: mergeAs4Path(asPath, plain), aggregator };
}

/**
 * RFC 6793 §4.2.2, sending on a 2-octet session: the AS4_PATH to send beside AS_PATH (whose large ASes the
 * AS_PATH encoder writes as AS_TRANS), or undefined when every AS fits two octets. "AS_CONFED_SEQUENCE and
 * AS_CONFED_SET path segments SHALL NOT be included in the AS4_PATH."
 */
export function as4PathFor(segments: readonly AsPathSegment[]): AsPathSegment[] | undefined {
  if (!segments.some((s) => s.asns.some((asn) => asn > 0xffff))) return undefined;
  return segments
    .filter((s) => s.type === AsPathSegmentType.AS_SEQUENCE || s.type === AsPathSegmentType.AS_SET)
    .map((s) => ({ type: s.type, asns: [...s.asns] }));
}
