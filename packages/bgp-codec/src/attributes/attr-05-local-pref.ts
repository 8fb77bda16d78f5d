import { UpdateSubcode } from '../errors.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/** LOCAL_PREF (5), well-known, sent to internal peers only (which is the speaker's concern). */
export interface LocalPrefAttribute {
  readonly kind: 'local-pref';
  readonly code: 5;
  readonly flags?: number;
  readonly localPref: number;
}

export const LOCAL_PREF: AttributeRow<LocalPrefAttribute> = {
  code: 5,
  name: 'local-preference',
  flags: 0x40,
  // RFC 7606 §7.5: "The attribute SHALL be considered malformed if its length is not 4. An UPDATE message
  // with a malformed LOCAL_PREF attribute SHALL be handled using the approach of 'treat-as-withdraw'."
  // (Its "from an external neighbor → discard" rule needs the session type: the speaker applies it.)
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    if (end - start !== 4) throw malformed(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, `LOCAL_PREF of ${end - start} octets`);
    return { kind: 'local-pref', code: 5, flags, localPref: readU32(b, start) };
  },
  encode(w, attribute) {
    writeU32(w, attribute.localPref);
  },
  json: (a) => `"local-preference": ${a.localPref}`,
};
