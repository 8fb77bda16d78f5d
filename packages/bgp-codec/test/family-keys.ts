import { type FamilyKey, familyKey } from '../src/families/key.js';

/**
 * Families written `afi/safi` (the fixtures' notation; an RFC 8950 entry `afi/safi/next-hop-afi` stands for
 * its NLRI family) as the codec's family keys.
 */
export function familyKeys(texts: readonly string[] = []): Set<FamilyKey> {
  return new Set(
    texts.map((text) => {
      const [afi, safi] = text.split('/').map(Number);
      return familyKey(afi!, safi!);
    }),
  );
}
