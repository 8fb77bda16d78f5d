import { type AfiSafi, type FamilyKey, familyKey, familyRows } from 'bgp-codec';
import type { Family } from '../model.js';

/**
 * Every family ExaBGP 6 registers an NLRI class for (NLRI.registered_families): the codec's family table.
 * ExaBGP advertises them all when a neighbor has no `family { }` block. Order does not matter here:
 * {@link sortFamilies} decides it.
 */
export const EXABGP_KNOWN_FAMILIES: readonly AfiSafi[] = Object.freeze(
  familyRows().map((row) => ({ afi: row.afi, safi: row.safi })),
);

/**
 * ExaBGP keeps a neighbor's families sorted by AFI then SAFI (Neighbor.add_family), and that order is the
 * order of its Multiprotocol capabilities and, through negotiation, of its End-of-RIB markers.
 */
export function sortFamilies(families: readonly AfiSafi[]): AfiSafi[] {
  const seen = new Set<FamilyKey>();
  const out: AfiSafi[] = [];
  for (const family of families) {
    const key = familyKey(family.afi, family.safi);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ afi: family.afi, safi: family.safi });
  }
  return out.sort((a, b) => a.afi - b.afi || a.safi - b.safi);
}

/** The families a neighbor advertises: its `family { }` block, or every family ExaBGP knows. */
export function neighborFamilies(neighbor: { familyBlock: boolean; families: readonly Family[] }): AfiSafi[] {
  if (!neighbor.familyBlock || neighbor.families.length === 0) return sortFamilies(EXABGP_KNOWN_FAMILIES);
  return sortFamilies(neighbor.families.map((f) => ({ afi: f.afiCode, safi: f.safiCode })));
}
