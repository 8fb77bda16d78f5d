import { UpdateSubcode } from '../errors.js';
import { type AttributeRow, malformed } from './types.js';

/** RFC 4271 §4.3 ORIGIN values. */
export const Origin = { IGP: 0, EGP: 1, INCOMPLETE: 2 } as const;

/** ORIGIN (1), well-known mandatory. */
export interface OriginAttribute {
  readonly kind: 'origin';
  readonly code: 1;
  /** As received; when absent the encoder sends the row's flags (0x40). */
  readonly flags?: number;
  /** {@link Origin}: 0 igp, 1 egp, 2 incomplete. */
  readonly origin: number;
}

/** ExaBGP's names of the ORIGIN values. */
const ORIGIN_NAMES: readonly string[] = ['igp', 'egp', 'incomplete'];

export const ORIGIN: AttributeRow<OriginAttribute> = {
  code: 1,
  name: 'origin',
  flags: 0x40,
  // RFC 7606 §7.1: "The attribute is considered malformed if its length is not 1 or if it has an undefined
  // value. An UPDATE message with a malformed ORIGIN attribute SHALL be handled using the approach of
  // 'treat-as-withdraw'."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    if (end - start !== 1) throw malformed(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, `ORIGIN of ${end - start} octets`);
    const origin = b[start]!;
    if (origin > 2) throw malformed(UpdateSubcode.INVALID_ORIGIN_ATTRIBUTE, `undefined ORIGIN ${origin}`);
    return { kind: 'origin', code: 1, flags, origin };
  },
  encode(w, attribute) {
    w.u8(attribute.origin);
  },
  // origin.py json()
  json: (a) => `"origin": "${ORIGIN_NAMES[a.origin] ?? 'invalid'}"`,
};
