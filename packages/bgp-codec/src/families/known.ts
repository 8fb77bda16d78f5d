/**
 * Families ExaBGP 6 registers an NLRI class for whose NLRI this codec does not read yet: known by name (the
 * configuration, JSON and capabilities spell them), their MP_REACH_NLRI / MP_UNREACH_NLRI kept raw.
 * A family leaves this list when its own file gives it a codec.
 */
import { Afi, Safi } from '../constants.js';
import { afiName, familyKey } from './key.js';
import type { AddressFamily, ExabgpFamily } from './types.js';

/** A row with names and ExaBGP's behaviour only. */
export function namedFamily(
  afi: number,
  safi: number,
  safiName: string,
  exabgp: Partial<ExabgpFamily> = {},
): AddressFamily {
  const afiText = afiName(afi);
  return {
    key: familyKey(afi, safi),
    afi,
    safi,
    name: `${afiText} ${safiName}`,
    afiName: afiText,
    safiName,
    safiAliases: [],
    exabgp: { configurable: true, groupUpdates: false, nlriField: false, ...exabgp },
    codec: undefined,
  };
}

// OutgoingRIB.updates groups the multicast VPN families as it groups IPv4 unicast.
export const IPV4_MCAST_VPN = namedFamily(Afi.IPV4, Safi.MCAST_VPN, 'mcast-vpn', { groupUpdates: true });
export const IPV6_MCAST_VPN = namedFamily(Afi.IPV6, Safi.MCAST_VPN, 'mcast-vpn', { groupUpdates: true });
export const IPV4_FLOW = namedFamily(Afi.IPV4, Safi.FLOWSPEC, 'flow');
export const IPV6_FLOW = namedFamily(Afi.IPV6, Safi.FLOWSPEC, 'flow');
export const IPV4_FLOW_VPN = namedFamily(Afi.IPV4, Safi.FLOWSPEC_VPN, 'flow-vpn');
export const IPV6_FLOW_VPN = namedFamily(Afi.IPV6, Safi.FLOWSPEC_VPN, 'flow-vpn');
export const IPV4_MUP = namedFamily(Afi.IPV4, Safi.MUP, 'mup', { addPathOrder: 6 });
export const IPV6_MUP = namedFamily(Afi.IPV6, Safi.MUP, 'mup', { addPathOrder: 7 });
export const IPV4_SR_POLICY = namedFamily(Afi.IPV4, Safi.SR_POLICY, 'sr-policy');
export const IPV6_SR_POLICY = namedFamily(Afi.IPV6, Safi.SR_POLICY, 'sr-policy');
// Registered by ExaBGP 6 (rtc.py), not accepted by its configuration's family block.
export const IPV4_RTC = namedFamily(Afi.IPV4, Safi.RTC, 'rtc', { configurable: false });
export const L2VPN_VPLS = namedFamily(Afi.L2VPN, Safi.VPLS, 'vpls');
export const L2VPN_EVPN = namedFamily(Afi.L2VPN, Safi.EVPN, 'evpn');
export const BGP_LS = namedFamily(Afi.BGP_LS, Safi.BGP_LS, 'bgp-ls');
export const BGP_LS_VPN = namedFamily(Afi.BGP_LS, Safi.BGP_LS_VPN, 'bgp-ls-vpn');
