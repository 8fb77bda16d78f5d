import { UpdateSubcode } from '../errors.js';
import { ipv4FromNumber } from '../json/format.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/** ORIGINATOR_ID (9), optional non-transitive (RFC 4456 §8). */
export interface OriginatorIdAttribute {
  readonly kind: 'originator-id';
  readonly code: 9;
  readonly flags?: number;
  /** BGP Identifier as an unsigned 32-bit number. */
  readonly originatorId: number;
}

export const ORIGINATOR_ID: AttributeRow<OriginatorIdAttribute> = {
  code: 9,
  name: 'originator-id',
  flags: 0x80,
  // RFC 7606 §7.9: "If the ORIGINATOR_ID attribute is received from an external neighbor, it SHALL be
  // discarded using the approach of 'attribute discard' [the speaker's concern], or if received with a length
  // other than 4 octets, an UPDATE message with a malformed attribute SHALL be handled using 'treat-as-withdraw'."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    if (end - start !== 4)
      throw malformed(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, `ORIGINATOR_ID of ${end - start} octets`);
    return { kind: 'originator-id', code: 9, flags, originatorId: readU32(b, start) };
  },
  encode(w, attribute) {
    writeU32(w, attribute.originatorId);
  },
  json: (a) => `"originator-id": "${ipv4FromNumber(a.originatorId)}"`,
};
