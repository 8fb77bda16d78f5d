/**
 * Address families by the names ExaBGP's configuration uses, all read from the codec's family table
 * (bgp-codec `familyRows`): the names, the numbers, which SAFIs a `family { }` block accepts after each AFI
 * (configuration/neighbor/family.py `convert`, aliases such as `labeled-unicast` for `nlri-mpls` included).
 */

import { familyRowByName, familyRows } from 'bgp-codec';
import type { AfiName, Family, SafiName } from './model.js';

const rows = familyRows();

/** AFI numbers by ExaBGP's AFI names. */
export const AFI_CODES: Readonly<Record<AfiName, number>> = Object.freeze(
  Object.fromEntries(rows.map((row) => [row.afiName, row.afi])) as Record<AfiName, number>,
);

/** SAFI numbers by ExaBGP's SAFI names (not their aliases). */
export const SAFI_CODES: Readonly<Record<SafiName, number>> = Object.freeze(
  Object.fromEntries(rows.map((row) => [row.safiName, row.safi])) as Record<SafiName, number>,
);

/** SAFIs accepted after each AFI in `family { }`, `add-path { }` (ExaBGP 6: no IPv6 multicast there), in its order. */
export const FAMILY_SAFIS: Readonly<Record<AfiName, readonly string[]>> = (() => {
  const out: Record<string, string[]> = {};
  for (const row of rows) {
    const list = out[row.afiName] ?? [];
    out[row.afiName] = list;
    if (row.exabgp.configurable) list.push(row.safiName, ...row.safiAliases);
  }
  return Object.freeze(out) as unknown as Record<AfiName, readonly string[]>;
})();

const cache = new Map<string, Family>();

/** The shared Family object for `afi safi` (an alias such as `labeled-unicast` gives its family, `nlri-mpls`). */
export function family(afi: AfiName, safi: SafiName | 'labeled-unicast'): Family {
  const name = `${afi} ${safi}`;
  let found = cache.get(name);
  if (found === undefined) {
    const row = familyRowByName(name);
    if (row === undefined) throw new RangeError(`ExaBGP knows no family ${name}`);
    found = Object.freeze({
      afi: row.afiName as AfiName,
      safi: row.safiName as SafiName,
      afiCode: row.afi,
      safiCode: row.safi,
      key: row.key,
    });
    cache.set(name, found);
  }
  return found;
}
