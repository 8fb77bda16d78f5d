import { type AsPathSegment, decodeSegments, encodeSegments } from './attr-02-as-path.js';
import type { AttributeRow } from './types.js';

/** AS4_PATH (17), optional transitive (RFC 6793 §3): the 4-octet path beside a 2-octet AS_PATH. */
export interface As4PathAttribute {
  readonly kind: 'as4-path';
  readonly code: 17;
  readonly flags?: number;
  readonly segments: AsPathSegment[];
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
};
