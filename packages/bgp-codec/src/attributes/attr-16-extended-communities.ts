import { UpdateSubcode } from '../errors.js';
import { extendedCommunityJson } from '../json/extended-community.js';
import { ipv4ToString } from '../prefix.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/**
 * One 8-octet extended community (RFC 4360 §2) as two unsigned 32-bit halves: `high` holds the Type
 * (bits 31-24), Sub-Type (23-16) and the first two value octets; `low` the last four value octets.
 * Compact, exact for every type (unknown ones included), and ordered as ExaBGP sorts them by comparing
 * `high` then `low`. {@link describeExtendedCommunity} interprets it.
 */
export interface ExtendedCommunity {
  readonly high: number;
  readonly low: number;
}

/** EXTENDED_COMMUNITIES (16), optional transitive. Written in the order given (ExaBGP sorts: the caller's business). */
export interface ExtendedCommunitiesAttribute {
  readonly kind: 'extended-communities';
  readonly code: 16;
  readonly flags?: number;
  readonly communities: ExtendedCommunity[];
}

/** The 8 octets of a community, as sent. */
export function extendedCommunityOctets(c: ExtendedCommunity): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, c.high >>> 0);
  view.setUint32(4, c.low >>> 0);
  return bytes;
}

export const EXTENDED_COMMUNITIES: AttributeRow<ExtendedCommunitiesAttribute> = {
  code: 16,
  name: 'extended-community',
  flags: 0xc0,
  // RFC 7606 §7.14: "The error handling of [RFC4360] is revised as follows: The Extended Communities
  // attribute SHALL be considered malformed if its length is not a non-zero multiple of 8. An UPDATE message
  // with a malformed Extended Communities attribute SHALL be handled using the approach of
  // 'treat-as-withdraw'."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    const length = end - start;
    if (length === 0 || length % 8 !== 0) {
      throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `EXTENDED_COMMUNITIES of ${length} octets`);
    }
    const communities = new Array<ExtendedCommunity>(length >>> 3);
    for (let k = 0, i = start; i < end; k++, i += 8) communities[k] = { high: readU32(b, i), low: readU32(b, i + 4) };
    return { kind: 'extended-communities', code: 16, flags, communities };
  },
  encode(w, attribute) {
    for (const c of attribute.communities) {
      writeU32(w, c.high);
      writeU32(w, c.low);
    }
  },
  json: (a) =>
    `"extended-community": [ ${a.communities.map((c) => extendedCommunityJson(extendedCommunityOctets(c))).join(', ')} ]`,
};

/** How the two-part values of route targets, route origins and redirects are laid out (RFC 4360, RFC 5668). */
export type AdministratorForm = 'as2' | 'ipv4' | 'as4';

/** An extended community read into its meaning ({@link describeExtendedCommunity}). */
export type ExtendedCommunityValue =
  /** RFC 4360 §4 / RFC 5668: 0x00/0x01/0x02 (0x40.. when non-transitive), sub-type 0x02 target, 0x03 origin. */
  | {
      readonly kind: 'route-target' | 'route-origin';
      readonly form: AdministratorForm;
      /** The AS (as2, as4) or IPv4 address as an unsigned number (ipv4). */
      readonly global: number;
      /** 4 octets with as2, 2 octets otherwise. */
      readonly local: number;
      readonly transitive: boolean;
    }
  /** RFC 8955 §7.6 (2-octet AS, 0x8008), RFC 7674 §3 (IPv4 0x8108, 4-octet AS 0x8208): redirect to a VRF. */
  | { readonly kind: 'redirect'; readonly form: AdministratorForm; readonly global: number; readonly local: number }
  /** RFC 8955 §7.3 traffic-rate-bytes (0x8006) and draft traffic-rate-packets (0x800c): IEEE float rate. */
  | { readonly kind: 'traffic-rate' | 'traffic-rate-packets'; readonly asn: number; readonly rate: number }
  /** RFC 8955 §7.4 traffic-action (0x8007): S and T bits of the last octet. */
  | { readonly kind: 'traffic-action'; readonly sample: boolean; readonly terminal: boolean }
  /** RFC 8955 §7.7 traffic-marking (0x8009): the DSCP in the last octet. */
  | { readonly kind: 'traffic-marking'; readonly dscp: number }
  /** draft-simpson-idr-flowspec-redirect (0x0800), ExaBGP's redirect-to-nexthop: copy flag in the last octet. */
  | { readonly kind: 'redirect-to-ip'; readonly copy: boolean }
  /** RFC 9012 §4.1 encapsulation (0x030c): the tunnel type in the last two octets. */
  | { readonly kind: 'encapsulation'; readonly tunnelType: number }
  /** RFC 9012 §4.3 color (0x030b). */
  | { readonly kind: 'color'; readonly flags: number; readonly color: number }
  /** draft-ietf-idr-link-bandwidth (0x4004): AS and IEEE float bandwidth in bytes per second. */
  | { readonly kind: 'link-bandwidth'; readonly asn: number; readonly bandwidth: number }
  /** RFC 4761 §3.2.4 Layer2 Info (0x800a). */
  | {
      readonly kind: 'l2-info';
      readonly encapsulation: number;
      readonly control: number;
      readonly mtu: number;
      readonly reserved: number;
    }
  /** RFC 7432 §7.7 MAC Mobility (0x0600). */
  | { readonly kind: 'mac-mobility'; readonly sticky: boolean; readonly sequence: number }
  /** RFC 7432 §7.5 ESI Label (0x0601). */
  | { readonly kind: 'esi-label'; readonly singleActive: boolean; readonly label: number }
  /** RFC 9135 §8.1 Router's MAC (0x0603). */
  | { readonly kind: 'router-mac'; readonly mac: string }
  /** RFC 4360 §5 / RFC 5701 ... anything else: its type and sub-type; the value stays in the community. */
  | { readonly kind: 'unknown'; readonly type: number; readonly subtype: number };

const floatBits = new Float32Array(1);
const floatWord = new Uint32Array(floatBits.buffer);
function float32FromBits(bits: number): number {
  floatWord[0] = bits;
  return floatBits[0]!;
}
function float32Bits(value: number): number {
  floatBits[0] = value;
  return floatWord[0]!;
}

const FORMS: readonly AdministratorForm[] = ['as2', 'ipv4', 'as4'];

/** The Type and Sub-Type octets of a community. */
export function extendedCommunityType(c: ExtendedCommunity): { type: number; subtype: number } {
  return { type: c.high >>> 24, subtype: (c.high >>> 16) & 0xff };
}

/** Read a community into its meaning; unknown types come back as `{ kind: 'unknown', type, subtype }`. */
export function describeExtendedCommunity(c: ExtendedCommunity): ExtendedCommunityValue {
  const type = c.high >>> 24;
  const subtype = (c.high >>> 16) & 0xff;
  const value16 = c.high & 0xffff;
  const low = c.low >>> 0;
  const form = FORMS[type & 0x3f];
  if ((subtype === 0x02 || subtype === 0x03) && form !== undefined && (type & 0xbf) === (type & 0x3f)) {
    return {
      kind: subtype === 0x02 ? 'route-target' : 'route-origin',
      form,
      ...twoPart(form, value16, low),
      transitive: (type & 0x40) === 0,
    };
  }
  switch ((type << 8) | subtype) {
    case 0x8008:
    case 0x8108:
    case 0x8208:
      return { kind: 'redirect', form: FORMS[type & 0x03]!, ...twoPart(FORMS[type & 0x03]!, value16, low) };
    case 0x8006:
      return { kind: 'traffic-rate', asn: value16, rate: float32FromBits(low) };
    case 0x800c:
      return { kind: 'traffic-rate-packets', asn: value16, rate: float32FromBits(low) };
    case 0x8007:
      return { kind: 'traffic-action', sample: (low & 0x02) !== 0, terminal: (low & 0x01) !== 0 };
    case 0x8009:
      return { kind: 'traffic-marking', dscp: low & 0x3f };
    case 0x0800:
      return { kind: 'redirect-to-ip', copy: (low & 0x01) !== 0 };
    case 0x030c:
      return { kind: 'encapsulation', tunnelType: low & 0xffff };
    case 0x030b:
      return { kind: 'color', flags: value16, color: low };
    case 0x4004:
      return { kind: 'link-bandwidth', asn: value16, bandwidth: float32FromBits(low) };
    case 0x800a:
      return {
        kind: 'l2-info',
        encapsulation: value16 >>> 8,
        control: value16 & 0xff,
        mtu: low >>> 16,
        reserved: low & 0xffff,
      };
    case 0x0600:
      return { kind: 'mac-mobility', sticky: (value16 & 0x0100) !== 0, sequence: low };
    case 0x0601:
      return { kind: 'esi-label', singleActive: (value16 & 0x0100) !== 0, label: (low & 0xffffff) >>> 4 };
    case 0x0603: {
      const octets = [value16 >>> 8, value16 & 0xff, low >>> 24, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff];
      return { kind: 'router-mac', mac: octets.map((o) => o.toString(16).padStart(2, '0')).join(':') };
    }
  }
  return { kind: 'unknown', type, subtype };
}

function twoPart(form: AdministratorForm, value16: number, low: number): { global: number; local: number } {
  if (form === 'as2') return { global: value16, local: low };
  return { global: ((value16 << 16) | (low >>> 16)) >>> 0, local: low & 0xffff };
}

function build(
  type: number,
  subtype: number,
  form: AdministratorForm,
  global: number,
  local: number,
): ExtendedCommunity {
  if (form === 'as2') {
    if (global > 0xffff) throw new RangeError(`2-octet AS ${global}`);
    return { high: ((type << 24) | (subtype << 16) | global) >>> 0, low: local >>> 0 };
  }
  if (local > 0xffff) throw new RangeError(`local administrator ${local} does not fit 2 octets`);
  return {
    high: ((type << 24) | (subtype << 16) | (global >>> 16)) >>> 0,
    low: (((global & 0xffff) << 16) | local) >>> 0,
  };
}

/** Route target (RFC 4360 §4, RFC 5668 §2): `target:65000:1` is `routeTargetCommunity('as2', 65000, 1)`. */
export function routeTargetCommunity(
  form: AdministratorForm,
  global: number,
  local: number,
  transitive = true,
): ExtendedCommunity {
  return build(FORMS.indexOf(form) | (transitive ? 0 : 0x40), 0x02, form, global, local);
}

/** Route origin (RFC 4360 §5, RFC 5668 §2). */
export function routeOriginCommunity(
  form: AdministratorForm,
  global: number,
  local: number,
  transitive = true,
): ExtendedCommunity {
  return build(FORMS.indexOf(form) | (transitive ? 0 : 0x40), 0x03, form, global, local);
}

/** Flow-spec redirect to a VRF: RFC 8955 §7.6 (as2), RFC 7674 §3 (ipv4, as4). */
export function redirectCommunity(form: AdministratorForm, global: number, local: number): ExtendedCommunity {
  return build(0x80 | FORMS.indexOf(form), 0x08, form, global, local);
}

/** RFC 8955 §7.3 traffic-rate-bytes (rate 0 is `discard`); `packets` for the draft packet-rate variant. */
export function trafficRateCommunity(asn: number, rate: number, packets = false): ExtendedCommunity {
  return { high: ((packets ? 0x800c0000 : 0x80060000) | (asn & 0xffff)) >>> 0, low: float32Bits(rate) };
}

/** RFC 8955 §7.4 traffic-action. */
export function trafficActionCommunity(sample: boolean, terminal: boolean): ExtendedCommunity {
  return { high: 0x80070000, low: (sample ? 0x02 : 0) | (terminal ? 0x01 : 0) };
}

/** RFC 8955 §7.7 traffic-marking. */
export function trafficMarkingCommunity(dscp: number): ExtendedCommunity {
  return { high: 0x80090000, low: dscp & 0x3f };
}

/** Redirect to the next hop (draft-simpson, ExaBGP's 0x0800), optionally copying the traffic. */
export function redirectToIpCommunity(copy: boolean): ExtendedCommunity {
  return { high: 0x08000000, low: copy ? 1 : 0 };
}

/** RFC 9012 §4.1 encapsulation. */
export function encapsulationCommunity(tunnelType: number): ExtendedCommunity {
  return { high: 0x030c0000, low: tunnelType & 0xffff };
}

/** RFC 9012 §4.3 color. */
export function colorCommunity(value: number, flags = 0): ExtendedCommunity {
  return { high: (0x030b0000 | (flags & 0xffff)) >>> 0, low: value >>> 0 };
}

/** draft-ietf-idr-link-bandwidth: AS and bandwidth in bytes per second. */
export function linkBandwidthCommunity(asn: number, bandwidth: number): ExtendedCommunity {
  return { high: (0x40040000 | (asn & 0xffff)) >>> 0, low: float32Bits(bandwidth) };
}

/** Any community from its 8 octets. */
export function extendedCommunityFromBytes(bytes: Uint8Array, offset = 0): ExtendedCommunity {
  if (bytes.length < offset + 8) throw new RangeError('an extended community is 8 octets');
  return { high: readU32(bytes, offset), low: readU32(bytes, offset + 4) };
}

/** The order ExaBGP sends them in: by the 8 octets as an unsigned big-endian number. */
export function compareExtendedCommunities(a: ExtendedCommunity, b: ExtendedCommunity): number {
  return a.high >>> 0 !== b.high >>> 0 ? (a.high >>> 0) - (b.high >>> 0) : (a.low >>> 0) - (b.low >>> 0);
}

/** ExaBGP-style text for the common types (`target:65000:1`, `origin:1.2.3.4:5`...), hex otherwise. */
export function extendedCommunityToString(c: ExtendedCommunity): string {
  const v = describeExtendedCommunity(c);
  const pair = (form: AdministratorForm, global: number, local: number) =>
    `${form === 'ipv4' ? ipv4ToString(global) : global}:${local}`;
  switch (v.kind) {
    case 'route-target':
      return `target:${pair(v.form, v.global, v.local)}`;
    case 'route-origin':
      return `origin:${pair(v.form, v.global, v.local)}`;
    case 'redirect':
      return `redirect:${pair(v.form, v.global, v.local)}`;
    default:
      return `0x${(c.high >>> 0).toString(16).padStart(8, '0')}${(c.low >>> 0).toString(16).padStart(8, '0')}`;
  }
}
