import { hexLower } from '../json/format.js';

/**
 * Any attribute the codec has no row for, kept raw with its flags and type code so it re-encodes exactly
 * (bgpkit-parser's shape). MP_REACH_NLRI / MP_UNREACH_NLRI of a family without an NLRI codec are kept
 * this way too.
 *
 * RFC 4271 §5: an unrecognized optional transitive attribute passed on to other peers gets its Partial bit
 * set. That is a forwarding decision: the codec does not set it (OR `AttributeFlag.PARTIAL` into `flags`
 * before re-advertising).
 */
export interface UnknownAttribute {
  readonly kind: 'unknown';
  readonly code: number;
  /** Written exactly as given, the Extended Length bit included (forced on if the value exceeds 255 octets). */
  readonly flags: number;
  readonly value: Uint8Array;
}

/**
 * collection.py: ExaBGP keeps an attribute it has no class for only when it is transitive (the others are
 * dropped on receipt).
 */
export function unknownAttributeKept(attribute: UnknownAttribute): boolean {
  return (attribute.flags & 0x40) !== 0;
}

/**
 * ExaBGP's JSON of an attribute it has no class for: `"attribute-0xCODE-0xFLAGS": "0x<value>"`, with the
 * Partial bit set (it passed through a speaker that did not know it). ExaBGP knows some the codec keeps raw
 * (IPv6 extended communities, PMSI, BGP-LS, prefix SID, tunnel encapsulation); they print as this generic
 * form.
 */
export function unknownAttributeJson(attribute: UnknownAttribute): string | undefined {
  if (!unknownAttributeKept(attribute)) return undefined;
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
  return `"attribute-0x${hex(attribute.code)}-0x${hex(attribute.flags | 0x20)}": "${hexLower(attribute.value)}"`;
}
