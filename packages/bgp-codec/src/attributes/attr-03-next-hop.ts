import { UpdateSubcode } from '../errors.js';
import { ipv4FromNumber } from '../json/format.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/** NEXT_HOP (3), well-known; mandatory when the UPDATE's NLRI field is not empty (RFC 4760 §3). */
export interface NextHopAttribute {
  readonly kind: 'next-hop';
  readonly code: 3;
  readonly flags?: number;
  /** IPv4 address as an unsigned 32-bit number. */
  readonly nextHop: number;
}

export const NEXT_HOP: AttributeRow<NextHopAttribute> = {
  code: 3,
  name: 'next-hop',
  flags: 0x40,
  // RFC 7606 §7.3: "If the NEXT_HOP attribute is malformed, the 'treat-as-withdraw' approach MUST be used."
  // The semantic checks of RFC 4271 §6.3 (a local or martian address) need the session's addresses and
  // belong to the speaker, not to the codec.
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    if (end - start !== 4) throw malformed(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, `NEXT_HOP of ${end - start} octets`);
    return { kind: 'next-hop', code: 3, flags, nextHop: readU32(b, start) };
  },
  encode(w, attribute) {
    writeU32(w, attribute.nextHop);
  },
  // Printed only when the UPDATE withdraws routes: otherwise it is the key the announced routes are under.
  json: (a, ctx) => (ctx.withdraws ? `"next-hop": "${ipv4FromNumber(a.nextHop)}"` : undefined),
};
