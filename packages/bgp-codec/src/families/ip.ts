/**
 * IPv4 and IPv6 unicast and multicast (RFC 4271 §4.3, RFC 4760): NLRI that are bare prefixes, with the
 * RFC 7911 Path Identifier when ADD-PATH is in use, and next hops that are one address (two for IPv6
 * global and link-local, RFC 2545 §3).
 */
import { Afi, Safi } from '../constants.js';
import { ipText, ipv4FromNumber, ipv6Text } from '../json/format.js';
import { decodeIpv4Prefixes, decodeIpv6Prefixes, writeIpPrefix } from '../nlri/ip.js';
import { type IpPrefix, ipv6ToString, type PrefixFields, parseIpv4, parseIpv6, prefixOctets } from '../prefix.js';
import { afiName, familyKey } from './key.js';
import type { AddressFamily, ExabgpFamily, FamilyCodec, NextHopCodec } from './types.js';

/** `10.0.0.0/24` as ExaBGP prints a prefix (IPv6 as glibc's inet_ntop writes it). */
export function prefixText(prefix: PrefixFields): string {
  return typeof prefix.address === 'number'
    ? `${ipv4FromNumber(prefix.address)}/${prefix.length}`
    : `${ipv6Text(prefix.address)}/${prefix.length}`;
}

/** path.py json(): the RFC 7911 path identifier as a dotted quad, or nothing without ADD-PATH. */
export function pathIdJson(pathId: number | undefined): string {
  return pathId === undefined ? '' : `, "path-information": "${ipv4FromNumber(pathId)}"`;
}

/** path.py repr: ` path-information 1.2.3.4`, or nothing without ADD-PATH. */
export function pathIdText(pathId: number | undefined): string {
  return pathId === undefined ? '' : ` path-information ${ipv4FromNumber(pathId)}`;
}

/** RFC 7911: an NLRI carrying a path identifier sorts by it first; one without sorts after (ExaBGP's index). */
export function comparePathIds(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined || b === undefined) return a === undefined ? 1 : -1;
  return a - b;
}

/** Octet-wise comparison of two byte strings, shorter first on a tie. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** ExaBGP's order of prefixes in an UPDATE, its INET `index()`: path id (when set), length, address. */
export function comparePrefixes(a: PrefixFields, b: PrefixFields): number {
  const byPath = comparePathIds(a.pathId, b.pathId);
  if (byPath !== 0) return byPath;
  if (a.length !== b.length) return a.length - b.length;
  if (a.afi === 1 && b.afi === 1) return a.address - b.address;
  if (a.afi === 2 && b.afi === 2) return compareBytes(a.address, b.address);
  return a.afi - b.afi;
}

/** A number (IPv4 without path id, the common case) or a string naming a prefix and its path id. */
export function prefixIdentity(prefix: PrefixFields): number | string {
  if (prefix.afi === 1 && prefix.pathId === undefined) return prefix.address * 64 + prefix.length;
  const address = prefix.afi === 1 ? String(prefix.address) : ipv6ToString(prefix.address);
  return `${address}/${prefix.length}#${prefix.pathId ?? ''}`;
}

/**
 * The next hop of IP families: `rd` zero octets (a VPN next hop's Route Distinguisher, RFC 4364 §4.3.2)
 * then an IPv4 address, an IPv6 one, or an IPv6 global and link-local pair.
 */
export function ipNextHop(lengths: readonly number[], extended: NextHopCodec['extended'], rd: 0 | 8 = 0): NextHopCodec {
  const zeros = new Uint8Array(rd);
  return {
    lengths,
    extended,
    check(nextHop) {
      for (let i = 0; i < rd; i++) {
        if (nextHop[i] !== 0) return 'the Route Distinguisher of the next hop is not zero';
      }
      return undefined;
    },
    text(nextHop) {
      // mprnlri.py: past the RD, the first of the 16-octet chunks (the global address before a link-local one).
      const address = nextHop.subarray(rd);
      if (address.length === 0) return 'no-nexthop';
      return ipText(address.length === 4 ? address : address.subarray(0, 16));
    },
    encode(address, linkLocal) {
      const octets = ipAddressOctets(address, linkLocal);
      if (rd === 0) return octets;
      const out = new Uint8Array(rd + octets.length);
      out.set(zeros);
      out.set(octets, rd);
      return out;
    },
  };
}

/** The next hop octets for an address (IPv4 or IPv6) and an optional IPv6 link-local one (RFC 2545 §3). */
export function ipAddressOctets(address: string, linkLocal?: string): Uint8Array {
  if (!address.includes(':')) {
    if (linkLocal !== undefined) throw new RangeError('a link-local next hop goes with an IPv6 global one');
    const value = parseIpv4(address);
    return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  }
  const global = parseIpv6(address);
  if (linkLocal === undefined) return global;
  const both = new Uint8Array(32);
  both.set(global);
  both.set(parseIpv6(linkLocal), 16);
  return both;
}

/** RFC 8950 for IPv4 NLRI: an IPv6 next hop, global (16) or global and link-local (32). */
const IPV4_NEXT_HOP = ipNextHop([4], { afi: Afi.IPV6, lengths: [16, 32] });
/** ExaBGP accepts an IPv4 next hop for IPv6 NLRI when the Extended Next Hop capability lists it. */
const IPV6_NEXT_HOP = ipNextHop([16, 32], { afi: Afi.IPV4, lengths: [4] });

function prefixCodec(afi: 1 | 2): FamilyCodec<IpPrefix> {
  return {
    kind: 'prefix',
    nextHop: afi === 1 ? IPV4_NEXT_HOP : IPV6_NEXT_HOP,
    decode: afi === 1 ? ipv4Decode : ipv6Decode,
    encode: writeIpPrefix,
    size: (prefix, addPath) => 1 + prefixOctets(prefix.length) + (addPath ? 4 : 0),
    compare: comparePrefixes,
    identity: prefixIdentity,
    // inet.py json()
    json: (prefix) => `{ "nlri": "${prefixText(prefix)}"${pathIdJson(prefix.pathId)} }`,
    // inet.py extensive()
    text: (prefix) => `${prefixText(prefix)}${pathIdText(prefix.pathId)}`,
    fromPrefix: (prefix) => prefix,
  };
}

function ipv4Decode(b: Uint8Array, start: number, end: number, addPath: boolean, _w: boolean, out: IpPrefix[]) {
  decodeIpv4Prefixes(b, start, end, addPath, out);
}
function ipv6Decode(b: Uint8Array, start: number, end: number, addPath: boolean, _w: boolean, out: IpPrefix[]) {
  decodeIpv6Prefixes(b, start, end, addPath, out);
}

const IPV4_PREFIXES = prefixCodec(1);
const IPV6_PREFIXES = prefixCodec(2);

function ipRow(
  afi: 1 | 2,
  safi: number,
  safiName: string,
  exabgp: ExabgpFamily,
  codec: FamilyCodec<IpPrefix>,
): AddressFamily<IpPrefix> {
  return {
    key: familyKey(afi, safi),
    afi,
    safi,
    name: `${afiName(afi)} ${safiName}`,
    afiName: afiName(afi),
    safiName,
    safiAliases: [],
    exabgp,
    codec,
  };
}

export const IPV4_UNICAST = ipRow(
  Afi.IPV4,
  Safi.UNICAST,
  'unicast',
  { configurable: true, addPathOrder: 0, extendedNextHopAfi: Afi.IPV6, groupUpdates: true, nlriField: true },
  IPV4_PREFIXES,
);
export const IPV4_MULTICAST = ipRow(
  Afi.IPV4,
  Safi.MULTICAST,
  'multicast',
  { configurable: true, extendedNextHopAfi: Afi.IPV6, groupUpdates: false, nlriField: true },
  IPV4_PREFIXES,
);
export const IPV6_UNICAST = ipRow(
  Afi.IPV6,
  Safi.UNICAST,
  'unicast',
  { configurable: true, addPathOrder: 1, groupUpdates: false, nlriField: false },
  IPV6_PREFIXES,
);
// ExaBGP 6 registers IPv6 multicast but its configuration does not accept it in a family block.
export const IPV6_MULTICAST = ipRow(
  Afi.IPV6,
  Safi.MULTICAST,
  'multicast',
  { configurable: false, groupUpdates: false, nlriField: false },
  IPV6_PREFIXES,
);
