/**
 * BGP/MPLS IP VPNs, SAFI 128 (`mpls-vpn`): VPN-IPv4 (RFC 4364 §4.3.4) and VPN-IPv6 (RFC 4659 §3.2) prefixes,
 * a label stack then a Route Distinguisher (types 0, 1 and 2, RFC 4364 §4.2) before the prefix, with RFC 7911
 * path identifiers. The next hop is a VPN address whose Route Distinguisher is zero (RFC 4364 §4.3.2): 12
 * octets for VPN-IPv4; for VPN-IPv6 24, an IPv4 next hop then being an IPv4-mapped IPv6 address (RFC 4659
 * §3.2.1.1), or with a link-local address 40 as ExaBGP sends it (one RD) or 48 as RFC 4659 and other
 * speakers do (an RD before each address).
 */
import { Afi, Safi } from '../constants.js';
import { decodeLabeledNlri, labeledNlriSize, writeLabeledNlri } from '../nlri/labeled.js';
import { type LabelStack, labelsJson, labelsText } from '../nlri/labels.js';
import {
  compareRouteDistinguishers,
  type RouteDistinguisher,
  routeDistinguisherJson,
  routeDistinguisherToString,
} from '../nlri/route-distinguisher.js';
import type { Ipv4Prefix, Ipv6Prefix, PrefixFields } from '../prefix.js';
import { comparePrefixes, ipNextHop, pathIdJson, pathIdText, prefixIdentity, prefixText } from './ip.js';
import { afiName, familyKey } from './key.js';
import type { AddressFamily, ExabgpFamily, FamilyCodec, NextHopCodec } from './types.js';

interface VpnFields {
  readonly kind: 'vpn-prefix';
  readonly labels: LabelStack;
  readonly rd: RouteDistinguisher;
}

/** A VPN-IPv4 or VPN-IPv6 prefix, the NLRI of `mpls-vpn` (RFC 4364 §4.3.4, RFC 4659 §3.2). */
export type VpnPrefix = (Omit<Ipv4Prefix, 'kind'> & VpnFields) | (Omit<Ipv6Prefix, 'kind'> & VpnFields);

function vpnPrefix(prefix: PrefixFields, labels: number[], rd: RouteDistinguisher | undefined): VpnPrefix {
  const { afi, length, address, pathId } = prefix;
  return { kind: 'vpn-prefix', afi, length, address, pathId, labels, rd: rd! } as VpnPrefix;
}

/** A VPN next hop: the RD zero, the second one too in RFC 4659's 48-octet global and link-local form. */
function vpnNextHop(lengths: readonly number[], extended: NextHopCodec['extended']): NextHopCodec {
  const ip = ipNextHop(lengths, extended, 8);
  return {
    ...ip,
    check(nextHop) {
      const problem = ip.check(nextHop);
      if (problem !== undefined || nextHop.length !== 48) return problem;
      for (let i = 24; i < 32; i++) {
        if (nextHop[i] !== 0) return 'the Route Distinguisher of the link-local next hop is not zero';
      }
      return undefined;
    },
  };
}

function vpnCodec(afi: 1 | 2): FamilyCodec<VpnPrefix> {
  return {
    kind: 'vpn-prefix',
    // RFC 8950 §3 lets VPN-IPv4 routes carry a VPN-IPv6 next hop; ExaBGP reads a VPN-IPv4 one for VPN-IPv6.
    nextHop:
      afi === 1
        ? vpnNextHop([12], { afi: Afi.IPV6, lengths: [24, 40, 48] })
        : vpnNextHop([24, 40, 48], { afi: Afi.IPV4, lengths: [12] }),
    decode: (b, start, end, addPath, withdraw, out) =>
      decodeLabeledNlri(b, start, end, afi, 8, addPath, withdraw, vpnPrefix, out),
    encode: writeLabeledNlri,
    size: labeledNlriSize,
    // ipvpn.py index(): path identifier, length, Route Distinguisher, prefix; not the labels.
    compare: (a, b) =>
      a.pathId === b.pathId && a.length === b.length
        ? compareRouteDistinguishers(a.rd, b.rd) || comparePrefixes(a, b)
        : comparePrefixes(a, b),
    identity: (nlri) => `${nlri.rd.type}:${routeDistinguisherToString(nlri.rd)}|${prefixIdentity(nlri)}`,
    // ipvpn.py json() / extensive(): the label stack as received (ExaBGP keeps a VPN route's octets)
    json: (nlri) =>
      `{ "nlri": "${prefixText(nlri)}"${pathIdJson(nlri.pathId)}${labelsJson(nlri.labels)}${routeDistinguisherJson(nlri.rd)} }`,
    text: (nlri) =>
      `${prefixText(nlri)}${pathIdText(nlri.pathId)}${labelsText(nlri.labels)} rd ${routeDistinguisherToString(nlri.rd)}`,
    fromPrefix: (prefix, { labels = [], rd }) => {
      if (rd === undefined) throw new RangeError(`an ${afiName(afi)} mpls-vpn route needs a Route Distinguisher`);
      return vpnPrefix(prefix, [...labels], rd);
    },
  };
}

function vpnRow(afi: 1 | 2, exabgp: ExabgpFamily): AddressFamily<VpnPrefix> {
  return {
    key: familyKey(afi, Safi.MPLS_VPN),
    afi,
    safi: Safi.MPLS_VPN,
    name: `${afiName(afi)} mpls-vpn`,
    afiName: afiName(afi),
    safiName: 'mpls-vpn',
    safiAliases: [],
    exabgp,
    codec: vpnCodec(afi),
  };
}

export const IPV4_MPLS_VPN = vpnRow(Afi.IPV4, {
  configurable: true,
  addPathOrder: 4,
  extendedNextHopAfi: Afi.IPV6,
  groupUpdates: false,
  nlriField: false,
});
export const IPV6_MPLS_VPN = vpnRow(Afi.IPV6, {
  configurable: true,
  addPathOrder: 5,
  groupUpdates: false,
  nlriField: false,
});
