/**
 * One key for an address family everywhere: the AFI and SAFI in one number (`afi * 256 + safi`), so sets and
 * maps of families compare numbers, and the two halves come back without parsing.
 */

/** An <AFI, SAFI> pair as one number; build it with {@link familyKey}. */
export type FamilyKey = number & { readonly __family: unique symbol };

/** The key of <afi, safi> (RFC 4760 §3: AFI two octets, SAFI one). */
export function familyKey(afi: number, safi: number): FamilyKey {
  return (afi * 256 + (safi & 0xff)) as FamilyKey;
}

/** The AFI of a family key. */
export function keyAfi(key: FamilyKey): number {
  return Math.floor(key / 256);
}

/** The SAFI of a family key. */
export function keySafi(key: FamilyKey): number {
  return key % 256;
}

/** ExaBGP's names of the AFIs it knows (protocol/family.py), as its configuration and JSON spell them. */
const AFI_NAMES: Readonly<Record<number, string>> = {
  0: 'undefined',
  1: 'ipv4',
  2: 'ipv6',
  25: 'l2vpn',
  16388: 'bgp-ls',
};

/** ExaBGP's name of an AFI (`ipv4`), and its spelling of one it does not know. */
export function afiName(afi: number): string {
  return AFI_NAMES[afi] ?? `unknown-afi-0x${afi.toString(16)}`;
}
