import { UpdateSubcode } from '../errors.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/** MULTI_EXIT_DISC (4), optional non-transitive. */
export interface MedAttribute {
  readonly kind: 'med';
  readonly code: 4;
  readonly flags?: number;
  readonly med: number;
}

export const MED: AttributeRow<MedAttribute> = {
  code: 4,
  name: 'med',
  flags: 0x80,
  // RFC 7606 §7.4: "The attribute SHALL be considered malformed if its length is not 4. An UPDATE message
  // with a malformed MULTI_EXIT_DISC attribute SHALL be handled using the approach of 'treat-as-withdraw'."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    if (end - start !== 4) throw malformed(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, `MED of ${end - start} octets`);
    return { kind: 'med', code: 4, flags, med: readU32(b, start) };
  },
  encode(w, attribute) {
    writeU32(w, attribute.med);
  },
  json: (a) => `"med": ${a.med}`,
};
