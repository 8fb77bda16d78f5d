/**
 * Address families by the names ExaBGP's configuration uses (neighbor/family.py `convert`).
 * `labeled-unicast` is ExaBGP's alias of `nlri-mpls`.
 */

import { Afi, Safi } from 'bgp-codec';
import type { AfiName, Family, SafiName } from './model.js';

export const AFI_CODES: Record<AfiName, number> = {
  ipv4: Afi.IPV4,
  ipv6: Afi.IPV6,
  l2vpn: Afi.L2VPN,
  'bgp-ls': Afi.BGP_LS,
};

export const SAFI_CODES: Record<SafiName, number> = {
  unicast: Safi.UNICAST,
  multicast: Safi.MULTICAST,
  'nlri-mpls': Safi.MPLS_LABEL,
  'mcast-vpn': Safi.MCAST_VPN,
  vpls: Safi.VPLS,
  evpn: Safi.EVPN,
  'bgp-ls': Safi.BGP_LS,
  'bgp-ls-vpn': Safi.BGP_LS_VPN,
  'sr-policy': Safi.SR_POLICY,
  mup: Safi.MUP,
  'mpls-vpn': Safi.MPLS_VPN,
  rtc: Safi.RTC,
  flow: Safi.FLOWSPEC,
  'flow-vpn': Safi.FLOWSPEC_VPN,
};

/** SAFIs accepted after each AFI in `family { }`, `add-path { }` (ExaBGP 6: no IPv6 multicast there). */
export const FAMILY_SAFIS: Record<AfiName, readonly string[]> = {
  ipv4: [
    'unicast',
    'multicast',
    'nlri-mpls',
    'labeled-unicast',
    'mpls-vpn',
    'mcast-vpn',
    'flow',
    'flow-vpn',
    'mup',
    'sr-policy',
  ],
  ipv6: ['unicast', 'nlri-mpls', 'labeled-unicast', 'mpls-vpn', 'mcast-vpn', 'mup', 'sr-policy', 'flow', 'flow-vpn'],
  l2vpn: ['vpls', 'evpn'],
  'bgp-ls': ['bgp-ls', 'bgp-ls-vpn'],
};

const cache: Record<string, Record<string, Family>> = { ipv4: {}, ipv6: {}, l2vpn: {}, 'bgp-ls': {} };

/** The shared Family object for `afi safi` (`labeled-unicast` normalised to `nlri-mpls`). */
export function family(afi: AfiName, safi: SafiName | 'labeled-unicast'): Family {
  const name: SafiName = safi === 'labeled-unicast' ? 'nlri-mpls' : safi;
  const byAfi = cache[afi]!;
  let found = byAfi[name];
  if (found === undefined) {
    found = Object.freeze({ afi, safi: name, afiCode: AFI_CODES[afi], safiCode: SAFI_CODES[name] }) as Family;
    byAfi[name] = found;
  }
  return found;
}

export function familyName(f: Family): string {
  return `${f.afi} ${f.safi}`;
}
