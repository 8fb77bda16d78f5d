import { Afi, afiName, Safi, safiName } from 'bgp-codec';
import type { Family } from '../model.js';

/** An address family as numbers, the way the wire carries it. */
export interface FamilyCode {
  readonly afi: number;
  readonly safi: number;
}

/**
 * Every family ExaBGP 6 registers an NLRI class for (NLRI.registered_families), which it advertises when a
 * neighbor has no `family { }` block. Order does not matter here: {@link sortFamilies} decides it.
 */
export const EXABGP_KNOWN_FAMILIES: readonly FamilyCode[] = Object.freeze([
  { afi: Afi.IPV4, safi: Safi.UNICAST },
  { afi: Afi.IPV4, safi: Safi.MULTICAST },
  { afi: Afi.IPV4, safi: Safi.MPLS_LABEL },
  { afi: Afi.IPV4, safi: Safi.MCAST_VPN },
  { afi: Afi.IPV4, safi: Safi.SR_POLICY },
  { afi: Afi.IPV4, safi: Safi.MUP },
  { afi: Afi.IPV4, safi: Safi.MPLS_VPN },
  { afi: Afi.IPV4, safi: Safi.RTC },
  { afi: Afi.IPV4, safi: Safi.FLOWSPEC },
  { afi: Afi.IPV4, safi: Safi.FLOWSPEC_VPN },
  { afi: Afi.IPV6, safi: Safi.UNICAST },
  { afi: Afi.IPV6, safi: Safi.MULTICAST },
  { afi: Afi.IPV6, safi: Safi.MPLS_LABEL },
  { afi: Afi.IPV6, safi: Safi.MCAST_VPN },
  { afi: Afi.IPV6, safi: Safi.SR_POLICY },
  { afi: Afi.IPV6, safi: Safi.MUP },
  { afi: Afi.IPV6, safi: Safi.MPLS_VPN },
  { afi: Afi.IPV6, safi: Safi.FLOWSPEC },
  { afi: Afi.IPV6, safi: Safi.FLOWSPEC_VPN },
  { afi: Afi.L2VPN, safi: Safi.VPLS },
  { afi: Afi.L2VPN, safi: Safi.EVPN },
  { afi: Afi.BGP_LS, safi: Safi.BGP_LS },
  { afi: Afi.BGP_LS, safi: Safi.BGP_LS_VPN },
]);

/**
 * ExaBGP keeps a neighbor's families sorted by AFI then SAFI (Neighbor.add_family), and that order is the
 * order of its Multiprotocol capabilities and, through negotiation, of its End-of-RIB markers.
 */
export function sortFamilies(families: readonly FamilyCode[]): FamilyCode[] {
  const seen = new Set<number>();
  const out: FamilyCode[] = [];
  for (const family of families) {
    const key = family.afi * 256 + family.safi;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ afi: family.afi, safi: family.safi });
  }
  return out.sort((a, b) => a.afi - b.afi || a.safi - b.safi);
}

/** The families a neighbor advertises: its `family { }` block, or every family ExaBGP knows. */
export function neighborFamilies(neighbor: { familyBlock: boolean; families: readonly Family[] }): FamilyCode[] {
  if (!neighbor.familyBlock || neighbor.families.length === 0) return sortFamilies(EXABGP_KNOWN_FAMILIES);
  return sortFamilies(neighbor.families.map((f) => ({ afi: f.afiCode, safi: f.safiCode })));
}

export function familyKeyOf(afi: number, safi: number): number {
  return afi * 256 + safi;
}

/** `ipv4 unicast`, the way ExaBGP names a family. */
export function familyText(afi: number, safi: number): string {
  return `${afiName(afi)} ${safiName(safi)}`;
}
