/** `family { }`, `add-path { }` and `nexthop { }`: families by the names of the codec's family table. */

import { type FamilyKey, familyName, familyRows } from 'bgp-codec';
import { ConfigError, suggest } from '../errors.js';
import { FAMILY_SAFIS, family } from '../families.js';
import type { Token } from '../lexer.js';
import type { AfiName, Family, SafiName } from '../model.js';
import { InvalidValue, integer } from '../values.js';
import type { Words } from '../words.js';
import type { ConfigurationParser } from './parser.js';
import type { Draft, LeafHandler } from './types.js';

/** ExaBGP's spelling of a family (`ipv4 unicast`) */
export const nameOf = (f: Family): string => familyName(f.afiCode, f.safiCode);

export function familyLeaves(
  p: ConfigurationParser,
  onFamily: (f: Family, w: Words, kw: Token, safi: Token) => void,
): Record<string, LeafHandler> {
  const leaves: Record<string, LeafHandler> = {};
  for (const afi of Object.keys(FAMILY_SAFIS) as AfiName[]) {
    leaves[afi] = (w, kw) => {
      const safi = w.next(`a SAFI (${FAMILY_SAFIS[afi].join(', ')})`);
      if (safi.quoted || !FAMILY_SAFIS[afi].includes(safi.text)) {
        const guess = suggest(safi.text, FAMILY_SAFIS[afi]);
        throw new ConfigError(p.file, p.lexer.source, safi, `unknown SAFI '${safi.text}' for ${afi}`, {
          expected: `one of: ${FAMILY_SAFIS[afi].join(', ')}`,
          ...(guess === undefined ? {} : { hint: `did you mean '${guess}'?` }),
        });
      }
      onFamily(family(afi, safi.text as SafiName), w, kw, safi);
    };
  }
  return leaves;
}

function allFamilies(): Family[] {
  return familyRows()
    .filter((row) => row.exabgp.configurable)
    .map((row) => family(row.afiName as AfiName, row.safiName as SafiName));
}

export function familyBlock(p: ConfigurationParser, draft: Draft, opener: Token, where: string): void {
  draft.familyBlock = true;
  let all = false;
  const seen = new Set(draft.families.map((f) => f.key));
  const leaves = familyLeaves(p, (f, w, _kw, safi) => {
    w.end();
    if (all) throw w.error(safi, 'cannot add a family once "all" is set', "'}'");
    if (seen.has(f.key)) throw w.error(safi, `family ${nameOf(f)} is listed twice`, 'each family once');
    seen.add(f.key);
    draft.families.push(f);
  });
  leaves.all = (w, kw) => {
    w.end();
    if (seen.size > 0)
      throw w.error(kw, '"all" cannot be used with any other family', 'either all or a list of families');
    all = true;
    for (const f of allFamilies()) {
      seen.add(f.key);
      draft.families.push(f);
    }
  };
  p.block({ name: where, leaves, blocks: {} }, opener);
}

export function addPathBlock(p: ConfigurationParser, draft: Draft, opener: Token, where: string): void {
  draft.addPathBlock = true;
  const seen = new Set<FamilyKey>();
  const leaves = familyLeaves(p, (f, w, _kw, safi) => {
    let limit = 0;
    if (w.accept('limit')) limit = w.value('a paths limit', (t) => integer(t, 1, 65535, 'paths-limit'));
    w.end();
    if (seen.has(f.key)) throw w.error(safi, `duplicate add-path entry for ${nameOf(f)}`, 'each family once');
    seen.add(f.key);
    draft.addPath.push({ family: f, limit });
  });
  leaves.all = (w) => {
    w.end();
    for (const f of allFamilies()) {
      seen.add(f.key);
      draft.addPath.push({ family: f, limit: 0 });
    }
  };
  p.block({ name: where, leaves, blocks: {} }, opener);
}

export function nexthopBlock(p: ConfigurationParser, draft: Draft, opener: Token, where: string): void {
  const leaves = familyLeaves(p, (f, w) => {
    const nh = w.value('the next-hop AFI (ipv4 or ipv6)', (t) => {
      if (t !== 'ipv4' && t !== 'ipv6') throw new InvalidValue(`'${t}' is not a valid next-hop AFI`, 'ipv4 or ipv6');
      return t;
    });
    w.end();
    draft.nexthop.push({ family: f, nextHopAfi: nh, nextHopAfiCode: nh === 'ipv4' ? 1 : 2 });
  });
  delete leaves.l2vpn;
  delete leaves['bgp-ls'];
  p.block({ name: where, leaves, blocks: {} }, opener);
}
