import { UpdateSubcode } from '../errors.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/** One RFC 8092 large community: global administrator (an ASN) and two local data parts. */
export interface LargeCommunity {
  readonly global: number;
  readonly local1: number;
  readonly local2: number;
}

/**
 * LARGE_COMMUNITY (32), optional transitive (RFC 8092). Written in the order given; ExaBGP sends them sorted
 * and de-duplicated, which is the caller's business.
 */
export interface LargeCommunitiesAttribute {
  readonly kind: 'large-communities';
  readonly code: 32;
  readonly flags?: number;
  readonly communities: LargeCommunity[];
}

export function largeCommunityToString(c: LargeCommunity): string {
  return `${c.global}:${c.local1}:${c.local2}`;
}

export const LARGE_COMMUNITIES: AttributeRow<LargeCommunitiesAttribute> = {
  code: 32,
  name: 'large-community',
  flags: 0xc0,
  // RFC 8092 §6: "The error handling of BGP Large Communities is as follows: A BGP Large Communities attribute
  // SHALL be considered malformed if the length of the BGP Large Communities Attribute value, expressed in
  // octets, is not a non-zero multiple of 12. A BGP Large Communities attribute that is malformed SHALL be
  // handled using the approach of 'treat-as-withdraw' as described in Section 2 of [RFC7606]."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    const length = end - start;
    if (length === 0 || length % 12 !== 0) {
      throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `LARGE_COMMUNITY of ${length} octets`);
    }
    const communities = new Array<LargeCommunity>(length / 12);
    for (let k = 0, i = start; i < end; k++, i += 12) {
      communities[k] = { global: readU32(b, i), local1: readU32(b, i + 4), local2: readU32(b, i + 8) };
    }
    return { kind: 'large-communities', code: 32, flags, communities };
  },
  encode(w, attribute) {
    for (const c of attribute.communities) {
      writeU32(w, c.global);
      writeU32(w, c.local1);
      writeU32(w, c.local2);
    }
  },
  json: (a) =>
    `"large-community": [ ${a.communities.map((c) => `[ ${c.global}, ${c.local1} , ${c.local2} ]`).join(', ')} ]`,
};
