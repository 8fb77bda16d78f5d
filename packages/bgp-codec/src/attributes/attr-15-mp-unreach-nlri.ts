import { UpdateSubcode } from '../errors.js';
import { familyRowOf, type Nlri } from '../families/table.js';
import { decodeFamilyNlri } from './attr-14-mp-reach-nlri.js';
import { type AttributeRow, malformed, readU16 } from './types.js';

/**
 * MP_UNREACH_NLRI (15), optional non-transitive (RFC 4760 §4): withdrawn routes of a family. With no
 * withdrawn routes and no other attribute it is that family's End-of-RIB (RFC 4724 §2).
 */
export interface MpUnreachNlriAttribute {
  readonly kind: 'mp-unreach-nlri';
  readonly code: 15;
  readonly flags?: number;
  readonly afi: number;
  readonly safi: number;
  readonly withdrawn: Nlri[];
}

export const MP_UNREACH_NLRI: AttributeRow<MpUnreachNlriAttribute> = {
  code: 15,
  name: 'mp-unreach-nlri',
  flags: 0x80,
  // RFC 7606 §3(j) and §5.3: NLRI that cannot be parsed call for 'session reset' or 'AFI/SAFI disable'.
  onError: 'session-reset',
  carriesNlri: true,
  decode(b, start, end, flags, ctx) {
    if (end - start < 3)
      throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `MP_UNREACH_NLRI of ${end - start} octets`);
    const afi = readU16(b, start);
    const safi = b[start + 2]!;
    const withdrawn = decodeFamilyNlri(b, start + 3, end, afi, safi, ctx, 'MP_UNREACH_NLRI', true);
    return { kind: 'mp-unreach-nlri', code: 15, flags, afi, safi, withdrawn };
  },
  encode(w, attribute, ctx) {
    const family = familyRowOf(attribute.afi, attribute.safi);
    const codec = family?.codec;
    if (codec === undefined && attribute.withdrawn.length > 0) {
      throw new RangeError(`no NLRI codec for AFI ${attribute.afi} SAFI ${attribute.safi}`);
    }
    w.u16(attribute.afi);
    w.u8(attribute.safi);
    if (family === undefined || codec === undefined) return;
    const addPath = ctx.addPathSend.size > 0 && ctx.addPathSend.has(family.key);
    for (const nlri of attribute.withdrawn) codec.encode(w, nlri, addPath);
  },
  // Its routes are printed as withdrawn, not as an attribute.
  json: () => undefined,
};
