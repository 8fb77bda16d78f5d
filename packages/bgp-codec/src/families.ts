import { Afi, Safi } from './constants.js';
import { decodeIpv4Prefixes, decodeIpv6Prefixes, writeIpPrefix } from './nlri/ip.js';
import type { IpPrefix } from './prefix.js';
import type { ByteWriter } from './writer.js';

/**
 * The NLRI of every address family the codec knows. Families added later (VPN, flowspec, EVPN, BGP-LS)
 * widen this union with their own NLRI types and add a row with {@link registerFamily}.
 */
export type Nlri = IpPrefix;

/**
 * One row of the address-family table (BIRD's `bgp_af_table`): how NLRI of an AFI/SAFI are read and
 * written, and which MP_REACH_NLRI next-hop lengths it accepts.
 */
export interface AddressFamily {
  readonly afi: number;
  readonly safi: number;
  /** ExaBGP's name for the family, e.g. `ipv4 unicast`. */
  readonly name: string;
  /**
   * RFC 4760 §3 Length of Next Hop Network Address values the family's own next hop can have. For IPv6
   * NLRI, 16 is a global address and 32 a global then a link-local one (RFC 2545 §3).
   */
  readonly nextHopLengths: readonly number[];
  /**
   * A next hop of another address family (RFC 8950: IPv6 next hop for IPv4 NLRI, 16 or 32 octets; ExaBGP's
   * IPv4 next hop for IPv6 NLRI, 4 octets), accepted only when the context lists `afi/safi/nextHopAfi` in
   * `extendedNextHop` (the Extended Next Hop Encoding capability, RFC 8950 §4).
   */
  readonly extendedNextHop?: { readonly afi: number; readonly lengths: readonly number[] };
  /**
   * Read the NLRI in `b[start, end)` into `out`. `addPath`: each NLRI starts with an RFC 7911 Path
   * Identifier. A syntax error throws BgpError 3/10 (RFC 7606 §5.3).
   */
  decode(b: Uint8Array, start: number, end: number, addPath: boolean, out: Nlri[]): void;
  /** Write one NLRI (with a Path Identifier when `addPath`). */
  encode(w: ByteWriter, nlri: Nlri, addPath: boolean): void;
}

const FAMILIES = new Map<number, AddressFamily>();

function key(afi: number, safi: number): number {
  return afi * 256 + safi;
}

/** Add (or replace) a family's row. */
export function registerFamily(family: AddressFamily): void {
  FAMILIES.set(key(family.afi, family.safi), family);
}

/** The row for an AFI/SAFI, or undefined when the codec has no NLRI codec for it. */
export function addressFamily(afi: number, safi: number): AddressFamily | undefined {
  return FAMILIES.get(key(afi, safi));
}

/** Whether an MP_REACH_NLRI next hop of `length` octets is acceptable for `family` in this session. */
export function nextHopAcceptable(
  family: AddressFamily,
  length: number,
  extendedNextHop: ReadonlySet<string>,
): boolean {
  if (family.nextHopLengths.includes(length)) return true;
  const other = family.extendedNextHop;
  if (!other?.lengths.includes(length)) return false;
  return extendedNextHop.has(`${family.afi}/${family.safi}/${other.afi}`);
}

/** Every registered family, in registration order. */
export function addressFamilies(): AddressFamily[] {
  return [...FAMILIES.values()];
}

/** ExaBGP's names of address families (its protocol/family.py), as its configuration and JSON spell them. */
const AFI_NAMES: Readonly<Record<number, string>> = {
  0: 'undefined',
  1: 'ipv4',
  2: 'ipv6',
  25: 'l2vpn',
  16388: 'bgp-ls',
};
const SAFI_NAMES: Readonly<Record<number, string>> = {
  0: 'undefined',
  1: 'unicast',
  2: 'multicast',
  4: 'nlri-mpls',
  5: 'mcast-vpn',
  65: 'vpls',
  70: 'evpn',
  71: 'bgp-ls',
  72: 'bgp-ls-vpn',
  73: 'sr-policy',
  85: 'mup',
  128: 'mpls-vpn',
  132: 'rtc',
  133: 'flow',
  134: 'flow-vpn',
};

/** ExaBGP's name of an AFI (`ipv4`), and its spelling of one it does not know. */
export function afiName(afi: number): string {
  return AFI_NAMES[afi] ?? `unknown-afi-0x${afi.toString(16)}`;
}

/** ExaBGP's name of a SAFI (`unicast`), and its spelling of one it does not know. */
export function safiName(safi: number): string {
  return SAFI_NAMES[safi] ?? `unknown safi ${safi}`;
}

/** ExaBGP's spelling of a family (`ipv4 unicast`, `ipv6 flow`). */
export function familyName(afi: number, safi: number): string {
  return addressFamily(afi, safi)?.name ?? `${afiName(afi)} ${safiName(safi)}`;
}

const writeIp = (w: ByteWriter, nlri: Nlri, addPath: boolean) => writeIpPrefix(w, nlri, addPath);

registerFamily({
  afi: Afi.IPV4,
  safi: Safi.UNICAST,
  name: 'ipv4 unicast',
  nextHopLengths: [4],
  extendedNextHop: { afi: Afi.IPV6, lengths: [16, 32] },
  decode: decodeIpv4Prefixes,
  encode: writeIp,
});
registerFamily({
  afi: Afi.IPV4,
  safi: Safi.MULTICAST,
  name: 'ipv4 multicast',
  nextHopLengths: [4],
  extendedNextHop: { afi: Afi.IPV6, lengths: [16, 32] },
  decode: decodeIpv4Prefixes,
  encode: writeIp,
});
registerFamily({
  afi: Afi.IPV6,
  safi: Safi.UNICAST,
  name: 'ipv6 unicast',
  nextHopLengths: [16, 32],
  extendedNextHop: { afi: Afi.IPV4, lengths: [4] },
  decode: decodeIpv6Prefixes,
  encode: writeIp,
});
registerFamily({
  afi: Afi.IPV6,
  safi: Safi.MULTICAST,
  name: 'ipv6 multicast',
  nextHopLengths: [16, 32],
  extendedNextHop: { afi: Afi.IPV4, lengths: [4] },
  decode: decodeIpv6Prefixes,
  encode: writeIp,
});
