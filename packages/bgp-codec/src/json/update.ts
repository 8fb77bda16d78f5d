/**
 * The `"message"` object of ExaBGP's UPDATE JSON (json.py `_update`). What each attribute, NLRI and next
 * hop prints is its row's business (the attribute table's and the family table's `json`); this is the
 * frame: attributes in ascending type code as ExaBGP's collection holds them, then the routes grouped by
 * family in the order they appear (NLRI field, then MP_REACH_NLRI; Withdrawn Routes, then MP_UNREACH_NLRI),
 * announced ones also by next hop.
 */
import { attributeJson, inExabgpCollection, type PathAttribute } from '../attributes/registry.js';
import type { AttributeJsonContext } from '../attributes/types.js';
import { afiName } from '../families/key.js';
import { familyName, familyRowOf, safiName } from '../families/table.js';
import { announcedRoutes, type FamilyRoutes, isEndOfRib, type UpdateMessage, withdrawnRoutes } from '../update.js';

/** ExaBGP's attribute collection: the first attribute of each type code it keeps, by code. */
function collection(attributes: readonly PathAttribute[]): Map<number, PathAttribute> {
  const byCode = new Map<number, PathAttribute>();
  for (const attribute of attributes) {
    if (byCode.has(attribute.code) || !inExabgpCollection(attribute)) continue;
    byCode.set(attribute.code, attribute);
  }
  return byCode;
}

/** The NLRI of each family's routes as JSON, with the next hop text of announced ones. */
function familyJson(routes: FamilyRoutes): { family: string; nextHop: string; nlri: string[] } | undefined {
  if (routes.nlri.length === 0) return undefined;
  const codec = familyRowOf(routes.afi, routes.safi)?.codec;
  // Routes of a family without a codec stay in an unknown attribute, never here.
  if (codec === undefined) return undefined;
  return {
    family: familyName(routes.afi, routes.safi),
    nextHop: routes.nextHop === undefined ? '' : codec.nextHop.text(routes.nextHop),
    nlri: routes.nlri.map((nlri) => codec.json(nlri)),
  };
}

/**
 * The value of `"message"` for an UPDATE. An End-of-RIB prints as `{ "eor": { "afi" : ..., "safi" : ... } }`,
 * the form ExaBGP's `_update` has for it and printed up to 5.x; ExaBGP 6.0.0 reaches that branch only for
 * a message that is neither, and prints an End-of-RIB as `"null": [ "eor": {...} ]`, which is not JSON.
 */
export function updateMessageJson(update: UpdateMessage, aigp = false): string {
  const eor = isEndOfRib(update);
  if (eor) return `{ "eor": { "afi" : "${afiName(eor.afi)}", "safi" : "${safiName(eor.safi)}" } }`;

  const announced = new Map<string, Map<string, string[]>>();
  for (const routes of announcedRoutes(update)) {
    const printed = familyJson(routes);
    if (printed === undefined) continue;
    let byNextHop = announced.get(printed.family);
    if (byNextHop === undefined) {
      byNextHop = new Map();
      announced.set(printed.family, byNextHop);
    }
    const list = byNextHop.get(printed.nextHop);
    if (list) list.push(...printed.nlri);
    else byNextHop.set(printed.nextHop, printed.nlri);
  }
  const withdrawn = new Map<string, string[]>();
  for (const routes of withdrawnRoutes(update)) {
    const printed = familyJson(routes);
    if (printed === undefined) continue;
    const list = withdrawn.get(printed.family);
    if (list) list.push(...printed.nlri);
    else withdrawn.set(printed.family, printed.nlri);
  }

  const collected = collection(update.attributes);
  const ctx: AttributeJsonContext = { withdraws: withdrawn.size > 0, aigp, collected };
  const attributes =
    collected.size === 0
      ? ''
      : `"attribute": { ${[...collected.values()]
          .sort((a, b) => a.code - b.code)
          .map((a) => attributeJson(a, ctx))
          .filter((s): s is string => s !== undefined)
          .join(', ')} }`;

  let routes = '';
  if (announced.size > 0) {
    const families = [...announced].map(([family, byNextHop]) => {
      const groups = [...byNextHop].map(([hop, list]) => `"${hop}": [ ${list.join(', ')} ]`);
      return `"${family}": { ${groups.join(', ')} }`;
    });
    routes += `"announce": { ${families.join(', ')} }`;
  }
  if (announced.size > 0 && withdrawn.size > 0) routes += ', ';
  if (withdrawn.size > 0) {
    const families = [...withdrawn].map(([family, list]) => `"${family}": [ ${list.join(', ')} ]`);
    routes += `"withdraw": { ${families.join(', ')} }`;
  }
  const content = attributes && routes ? `${attributes}, ${routes}` : `${attributes}${routes}`;
  return `{ "update": { ${content} } }`;
}
