import { UpdateSubcode } from '../errors.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/**
 * One 8-octet extended community (RFC 4360 §2) as two unsigned 32-bit halves: `high` holds the Type
 * (bits 31-24), Sub-Type (23-16) and the first two value octets; `low` the last four value octets.
 * Compact, exact for every type (unknown ones included), and ordered as ExaBGP sorts them by comparing
 * `high` then `low`. {@link describeExtendedCommunity} interprets it.
 */
export interface ExtendedCommunity {
  readonly high: number;
  readonly low: number;
}

/** EXTENDED_COMMUNITIES (16), optional transitive. Written in the order given (ExaBGP sorts: the caller's business). */
export interface ExtendedCommunitiesAttribute {
  readonly kind: 'extended-communities';
  readonly code: 16;
  readonly flags?: number;
  readonly communities: ExtendedCommunity[];
}

export const EXTENDED_COMMUNITIES: AttributeRow<ExtendedCommunitiesAttribute> = {
  code: 16,
  name: 'extended-community',
  flags: 0xc0,
  // RFC 7606 §7.14: "The error handling of [RFC4360] is revised as follows: The Extended Communities
  // attribute SHALL be considered malformed if its length is not a non-zero multiple of 8. An UPDATE message
  // with a malformed Extended Communities attribute SHALL be handled using the approach of
  // 'treat-as-withdraw'."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    const length = end - start;
    if (length === 0 || length % 8 !== 0) {
      throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `EXTENDED_COMMUNITIES of ${length} octets`);
    }
    const communities = new Array<ExtendedCommunity>(length >>> 3);
    for (let k = 0, i = start; i < end; k++, i += 8) communities[k] = { high: readU32(b, i), low: readU32(b, i + 4) };
    return { kind: 'extended-communities', code: 16, flags, communities };
  },
  encode(w, attribute) {
    for (const c of attribute.communities) {
      writeU32(w, c.high);
      writeU32(w, c.low);
    }
  },
};
