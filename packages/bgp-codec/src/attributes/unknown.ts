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
