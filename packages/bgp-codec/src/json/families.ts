/** ExaBGP's names of address families (protocol/family.py), as its JSON prints them. */

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

export function afiName(afi: number): string {
  return AFI_NAMES[afi] ?? `unknown-afi-0x${afi.toString(16)}`;
}

export function safiName(safi: number): string {
  return SAFI_NAMES[safi] ?? `unknown safi ${safi}`;
}
