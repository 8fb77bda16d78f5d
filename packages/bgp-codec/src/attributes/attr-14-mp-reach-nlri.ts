import type { CodecContext } from '../context.js';
import { BgpError, UpdateSubcode } from '../errors.js';
import { ipAddressOctets } from '../families/ip.js';
import type { FamilyKey } from '../families/key.js';
import { familyRowOf, type Nlri } from '../families/table.js';
import type { AddressFamily } from '../families/types.js';
import { ipv4ToString, ipv6ToString } from '../prefix.js';
import { type AttributeRow, copyBytes, malformed, readU16, readU32 } from './types.js';

/**
 * MP_REACH_NLRI (14), optional non-transitive (RFC 4760 §3): the routes of a family other than IPv4 unicast
 * (or IPv4 unicast with an IPv6 next hop, RFC 8950) and their next hop.
 */
export interface MpReachNlriAttribute {
  readonly kind: 'mp-reach-nlri';
  readonly code: 14;
  readonly flags?: number;
  readonly afi: number;
  readonly safi: number;
  /**
   * The Network Address of Next Hop octets as sent: 4 (IPv4), 16 (IPv6 global, or an RFC 8950 IPv6 next hop
   * for IPv4 NLRI), 32 (IPv6 global then link-local, RFC 2545 §3). See {@link nextHopToStrings}.
   */
  readonly nextHop: Uint8Array;
  readonly nlri: Nlri[];
}

/**
 * Read NLRI of a family with a codec; RFC 4760 §7 / RFC 7606 §5.3 and §3(j): NLRI that cannot be parsed in
 * MP_REACH_NLRI or MP_UNREACH_NLRI means session reset (or AFI/SAFI disable, which the codec does not do),
 * reported as an Optional Attribute Error (RFC 4760 §7) with the attribute as data.
 */
export function decodeFamilyNlri(
  b: Uint8Array,
  start: number,
  end: number,
  afi: number,
  safi: number,
  ctx: CodecContext,
  name: string,
  withdraw: boolean,
): Nlri[] {
  const family = familyRowOf(afi, safi);
  const out: Nlri[] = [];
  if (start === end) return out;
  const codec = family?.codec;
  if (family === undefined || codec === undefined)
    throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `${name}: no NLRI codec for AFI ${afi} SAFI ${safi}`);
  try {
    codec.decode(b, start, end, ctx.addPathReceive.size > 0 && ctx.addPathReceive.has(family.key), withdraw, out);
  } catch (error) {
    if (error instanceof BgpError) throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `${name}: ${error.message}`);
    throw error;
  }
  return out;
}

/**
 * Whether an MP_REACH_NLRI next hop of `length` octets is acceptable for `family` in this session: one of the
 * family's own lengths, or of its RFC 8950 other-version next hop when the context negotiated it.
 */
export function nextHopAcceptable(family: AddressFamily, length: number, ctx: CodecContext): boolean {
  const nextHop = family.codec?.nextHop;
  if (nextHop === undefined) return true;
  if (nextHop.lengths.includes(length)) return true;
  if (!nextHop.extended?.lengths.includes(length)) return false;
  return ctx.extendedNextHop.has(family.key);
}

/** The family's key when ADD-PATH sends path identifiers for it. */
function sendsPathIds(ctx: CodecContext, key: FamilyKey): boolean {
  return ctx.addPathSend.size > 0 && ctx.addPathSend.has(key);
}

export const MP_REACH_NLRI: AttributeRow<MpReachNlriAttribute> = {
  code: 14,
  name: 'mp-reach-nlri',
  flags: 0x80,
  // RFC 7606 §7.11: "If the Length of Next Hop Network Address field of the MP_REACH attribute is inconsistent
  // with that which was expected, the attribute is considered malformed. Since the next hop precedes the NLRI
  // field in the attribute, in this case it will not be possible to reliably locate the NLRI; thus, the
  // 'session reset' or 'AFI/SAFI disable' approach MUST be used." The same holds for any other error in it
  // (RFC 7606 §3(j), §5.3).
  onError: 'session-reset',
  carriesNlri: true,
  decode(b, start, end, flags, ctx) {
    // AFI (2) + SAFI (1) + next hop length (1) + reserved (1)
    if (end - start < 5)
      throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `MP_REACH_NLRI of ${end - start} octets`);
    const afi = readU16(b, start);
    const safi = b[start + 2]!;
    const nextHopLength = b[start + 3]!;
    const nextHopEnd = start + 4 + nextHopLength;
    if (nextHopEnd + 1 > end)
      throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, 'MP_REACH_NLRI next hop overruns');
    const family = familyRowOf(afi, safi);
    if (family && !nextHopAcceptable(family, nextHopLength, ctx)) {
      throw malformed(
        UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR,
        `MP_REACH_NLRI ${family.name} next hop of ${nextHopLength} octets`,
      );
    }
    const nextHop = copyBytes(b, start + 4, nextHopEnd);
    const problem = family?.codec?.nextHop.check(nextHop);
    if (problem !== undefined) {
      throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `MP_REACH_NLRI ${family!.name}: ${problem}`);
    }
    // RFC 4760 §3: the Reserved octet "MUST be set to 0, and SHOULD be ignored upon receipt".
    const nlri = decodeFamilyNlri(b, nextHopEnd + 1, end, afi, safi, ctx, 'MP_REACH_NLRI', false);
    return { kind: 'mp-reach-nlri', code: 14, flags, afi, safi, nextHop, nlri };
  },
  encode(w, attribute, ctx) {
    const family = familyRowOf(attribute.afi, attribute.safi);
    const codec = family?.codec;
    if (codec === undefined && attribute.nlri.length > 0) {
      throw new RangeError(`no NLRI codec for AFI ${attribute.afi} SAFI ${attribute.safi}`);
    }
    w.u16(attribute.afi);
    w.u8(attribute.safi);
    w.u8(attribute.nextHop.length);
    w.bytes(attribute.nextHop);
    w.u8(0);
    if (family === undefined || codec === undefined) return;
    const addPath = sendsPathIds(ctx, family.key);
    for (const nlri of attribute.nlri) codec.encode(w, nlri, addPath);
  },
  // Its routes are printed as announced, not as an attribute.
  json: () => undefined,
};

/**
 * The addresses in an MP_REACH_NLRI next hop, as text: one IPv4 (4 octets), one IPv6 (16), or an IPv6 global
 * and link-local pair (32, RFC 2545 §3). Other lengths (VPN next hops with a Route Distinguisher...) come
 * back as one hex string.
 */
export function nextHopToStrings(nextHop: Uint8Array): string[] {
  switch (nextHop.length) {
    case 4:
      return [ipv4ToString(readU32(nextHop, 0))];
    case 16:
      return [ipv6ToString(nextHop)];
    case 32:
      return [ipv6ToString(nextHop, 0), ipv6ToString(nextHop, 16)];
    default:
      return [Array.from(nextHop, (octet) => octet.toString(16).padStart(2, '0')).join('')];
  }
}

/** The next hop octets for an address (IPv4 or IPv6) and an optional IPv6 link-local one (RFC 2545 §3). */
export function nextHopFromStrings(address: string, linkLocal?: string): Uint8Array {
  return ipAddressOctets(address, linkLocal);
}
