import type { CodecContext } from '../context.js';
import { UpdateSubcode } from '../errors.js';
import type { ByteWriter } from '../writer.js';
import { type AttributeRow, malformed, readU16, readU32, writeU32 } from './types.js';

/** RFC 4271 §4.3 and RFC 5065 §3 path segment types. */
export const AsPathSegmentType = {
  AS_SET: 1,
  AS_SEQUENCE: 2,
  AS_CONFED_SEQUENCE: 3,
  AS_CONFED_SET: 4,
} as const;

export interface AsPathSegment {
  /** {@link AsPathSegmentType}. */
  readonly type: number;
  readonly asns: number[];
}

/** AS_PATH (2), well-known mandatory. ASNs are 4-octet values whatever the session's AS size. */
export interface AsPathAttribute {
  readonly kind: 'as-path';
  readonly code: 2;
  readonly flags?: number;
  readonly segments: AsPathSegment[];
}

/** RFC 6793 §9: the 2-octet placeholder for an AS number that does not fit in two octets. */
export const AS_TRANS = 23456;

/**
 * Read path segments of `asSize`-octet ASNs. RFC 7606 §7.2: "An AS_PATH is considered malformed if an
 * unrecognized segment type is encountered or if it contains a malformed segment. A segment is considered
 * malformed if any of the following are true: there is an overrun where the Path Segment Length field of the
 * last segment encountered would cause the Attribute Length to be exceeded; there is an underrun where after
 * the last successfully parsed segment there is only a single octet remaining; it has a Path Segment Length
 * field of zero."
 */
export function decodeSegments(
  b: Uint8Array,
  start: number,
  end: number,
  asSize: 2 | 4,
  name: string,
): AsPathSegment[] {
  let segments: AsPathSegment[] | undefined;
  let i = start;
  while (i < end) {
    if (end - i < 2) throw malformed(UpdateSubcode.MALFORMED_AS_PATH, `${name}: one octet left after the last segment`);
    const type = b[i]!;
    const count = b[i + 1]!;
    if (type < 1 || type > 4) throw malformed(UpdateSubcode.MALFORMED_AS_PATH, `${name}: segment type ${type}`);
    if (count === 0) throw malformed(UpdateSubcode.MALFORMED_AS_PATH, `${name}: segment of length zero`);
    i += 2;
    if (i + count * asSize > end) throw malformed(UpdateSubcode.MALFORMED_AS_PATH, `${name}: segment overruns`);
    const asns = new Array<number>(count);
    if (asSize === 4) {
      for (let k = 0; k < count; k++, i += 4) asns[k] = readU32(b, i);
    } else {
      for (let k = 0; k < count; k++, i += 2) asns[k] = readU16(b, i);
    }
    const segment: AsPathSegment = { type, asns };
    // Most paths are one AS_SEQUENCE: an exact one-element array, no growth.
    if (segments === undefined) segments = [segment];
    else segments.push(segment);
  }
  return segments ?? [];
}

/**
 * Write segments of `asSize`-octet ASNs. A segment holds at most 255 ASNs (its length is one octet), so a
 * longer one is written as several segments of the same type (as ExaBGP does). With 2-octet ASNs, a number above 65535 is
 * written as AS_TRANS (RFC 6793 §4.2.2; the real path then goes in AS4_PATH, see `splitAs4Path`).
 */
export function encodeSegments(w: ByteWriter, segments: readonly AsPathSegment[], asSize: 2 | 4): void {
  for (const segment of segments) {
    const asns = segment.asns;
    // A segment of length zero is malformed (RFC 7606 §7.2): an empty one is not written.
    for (let from = 0; from < asns.length; from += 255) {
      const count = Math.min(255, asns.length - from);
      w.u8(segment.type);
      w.u8(count);
      for (let k = from; k < from + count; k++) {
        const asn = asns[k]!;
        if (asSize === 4) writeU32(w, asn);
        else w.u16(asn > 0xffff ? AS_TRANS : asn);
      }
    }
  }
}

/** ExaBGP's names of the segment types (aspath.py). */
const SEGMENT_NAMES: Readonly<Record<number, string>> = {
  1: 'as-set',
  2: 'as-sequence',
  3: 'as-confed-sequence',
  4: 'as-confed-set',
};

/** aspath.py json(): Python's json.dumps of `{position: {"element": name, "value": [asns]}}`. */
function asPathJson(segments: readonly AsPathSegment[]): string {
  const parts = segments.map(
    (s, i) => `"${i}": {"element": "${SEGMENT_NAMES[s.type] ?? 'unknown'}", "value": [${s.asns.join(', ')}]}`,
  );
  return `{${parts.join(', ')}}`;
}

/**
 * collection.py `merge_attributes` (RFC 6793 §4.2.3 as ExaBGP does it, not as `mergeAs4Path` does): the
 * AS_SEQUENCE and AS_SET numbers of both paths are flattened, the trailing part of AS_PATH is replaced by
 * AS4_PATH, and the result is one AS_SEQUENCE then one AS_SET. Python's `x[:-0]` is empty, so an AS4_PATH
 * without sequence numbers empties the merged sequence: ExaBGP prints that, and so does this.
 */
function exabgpMergedPath(asPath: readonly AsPathSegment[], as4Path: readonly AsPathSegment[]): AsPathSegment[] {
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

export const AS_PATH: AttributeRow<AsPathAttribute> = {
  code: 2,
  name: 'as-path',
  flags: 0x40,
  // RFC 7606 §7.2: "An UPDATE message with a malformed AS_PATH attribute SHALL be handled using the
  // approach of 'treat-as-withdraw'."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags, ctx: CodecContext) {
    const segments = decodeSegments(b, start, end, ctx.asn4 ? 4 : 2, 'AS_PATH');
    return { kind: 'as-path', code: 2, flags, segments };
  },
  encode(w, attribute, ctx) {
    encodeSegments(w, attribute.segments, ctx.asn4 ? 4 : 2);
  },
  json(attribute, ctx) {
    // ExaBGP's collection merges an AS4_PATH into the AS_PATH it prints.
    const as4 = ctx.collected.get(17) as { kind: string; segments?: readonly AsPathSegment[] } | undefined;
    const segments =
      as4?.kind === 'as4-path' && as4.segments
        ? exabgpMergedPath(attribute.segments, as4.segments)
        : attribute.segments;
    // An empty AS_PATH prints nothing (its json() is `{}`).
    return segments.length === 0 ? undefined : `"as-path": ${asPathJson(segments)}`;
  },
};
