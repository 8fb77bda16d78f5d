import {
  type AddressFamily,
  type FamilyKey,
  familyKey,
  familyName,
  familyRow,
  familyRowOf,
  type IpPrefix,
  ipv4Prefix,
  ipv6Prefix,
  labelStack,
  type Nlri,
  type PrefixQualifiers,
  parseIpv4,
  parseIpv6,
} from 'bgp-codec';
import type { Attributes, Neighbor, Route } from '../model.js';
import { neighborFamilies } from './families.js';
import { localAddressOf, routerIdOf, type SessionFacts, WireError } from './open.js';

/** A configured route ready for the wire: its family's row, its NLRI, its resolved next hop, its grouping key. */
export interface OutgoingRoute {
  readonly route: Route;
  readonly afi: number;
  readonly safi: number;
  /** the codec's row of the route's family (it has a codec: {@link routeFamilySupported}) */
  readonly family: AddressFamily<Nlri>;
  /** the route's NLRI as the codec writes it */
  readonly nlri: Nlri;
  /** the next hop with `self` resolved to the session's local address; undefined when none */
  readonly nextHop: string | undefined;
  /**
   * ExaBGP's attribute index (AttributeCollection.index): the configured attributes and the next hop.
   * Routes of the same family with the same key can share an UPDATE.
   */
  readonly attributeKey: string;
}

/** The family of a configured prefix route when the codec writes its NLRI; other families are reported, not guessed. */
function prefixFamily(route: Route): AddressFamily<Nlri> | undefined {
  const row = familyRow(route.family.key);
  return route.nlri.kind === 'prefix' && row?.codec?.fromPrefix !== undefined ? row : undefined;
}

/** Whether the wire layer builds routes of a family: the codec writes its NLRI from a prefix. */
export function routeFamilySupported(afi: number, safi: number): boolean {
  return familyRowOf(afi, safi)?.codec?.fromPrefix !== undefined;
}

/** Routes of the neighbor that the wire layer cannot encode, by family name (for honest reporting). */
export function unsupportedRouteFamilies(neighbor: Neighbor): string[] {
  const out = new Set<string>();
  for (const route of neighbor.routes) {
    if (prefixFamily(route) === undefined) out.add(familyName(route.family.afiCode, route.family.safiCode));
  }
  return [...out];
}

/**
 * `next-hop self` (ExaBGP Neighbor.resolve_self / Session.ip_self): the local address when its family is the
 * route's; for IPv4 routes over an IPv6 session, the router-id.
 */
export function resolveNextHop(
  neighbor: Neighbor,
  afi: number,
  nextHop: string | undefined,
  facts: SessionFacts = {},
): string | undefined {
  if (nextHop !== 'self') return nextHop;
  const local = localAddressOf(neighbor, facts);
  const localAfi = local === undefined ? 0 : local.includes(':') ? 2 : 1;
  if (local !== undefined && localAfi === afi) return local;
  if (afi === 1) return routerIdOf(neighbor, facts);
  throw new WireError(
    `next-hop self: the route (${afi === 2 ? 'ipv6' : `afi ${afi}`}) does not have the family of the session (${local ?? 'auto'})`,
  );
}

/**
 * The key of a route's configured attributes: what ExaBGP's attribute index distinguishes. ExaBGP builds it
 * from its text form, attributes by type code and community lists sorted, so the order they were written in
 * does not matter; a value written out that equals the default (`origin igp`) still counts as configured.
 */
export function attributeKeyOf(route: Route, nextHop: string | undefined): string {
  const a = route.attributes;
  const parts: string[] = [];
  for (const key of Object.keys(a).sort()) {
    const value = (a as Record<string, unknown>)[key];
    if (value === undefined) continue;
    let text: string;
    if (key === 'communities') text = [...(value as number[])].sort((x, y) => x - y).join(' ');
    else if (key === 'extendedCommunities') {
      text = (value as { hex: string }[])
        .map((c) => c.hex)
        .sort()
        .join(' ');
    } else if (key === 'largeCommunities') {
      text = [...new Set((value as number[][]).map((c) => c.map((n) => n.toString(16).padStart(8, '0')).join('')))]
        .sort()
        .join(' ');
    } else text = JSON.stringify(value);
    parts.push(`${key}=${text}`);
  }
  return `${parts.join(';')} next-hop ${nextHop ?? 'missing'}`;
}

/** `a.b.c.d` as an unsigned number, or -1 (a fast path for the model's already validated addresses). */
function ipv4Number(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || octet > 255) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0 || octet > 255) return -1;
  return value * 256 + octet;
}

function prefixOf(route: Route): IpPrefix {
  const nlri = route.nlri;
  if (nlri.kind !== 'prefix') throw new WireError(`route of kind ${nlri.kind} is not a prefix`);
  if (route.family.afiCode === 1) {
    const fast = ipv4Number(nlri.address);
    return ipv4Prefix(fast >= 0 ? fast : parseIpv4(nlri.address), nlri.length, nlri.pathInformation);
  }
  return ipv6Prefix(parseIpv6(nlri.address), nlri.length, nlri.pathInformation);
}

const NO_QUALIFIERS: PrefixQualifiers = Object.freeze({});

/** The label stack (RFC 8277, the Bottom of Stack bit on the last label) and Route Distinguisher configured. */
function qualifiersOf(route: Route): PrefixQualifiers {
  const nlri = route.nlri;
  if (nlri.kind !== 'prefix' || (nlri.labels === undefined && nlri.rd === undefined)) return NO_QUALIFIERS;
  const stack = nlri.labels === undefined ? undefined : labelStack(nlri.labels);
  if (nlri.rd === undefined) return { labels: stack! };
  return stack === undefined ? { rd: nlri.rd } : { labels: stack, rd: nlri.rd };
}

/**
 * The routes a neighbor announces when its session comes up, as ExaBGP's outgoing RIB receives them
 * (Configuration `_init_neighbor`): `next-hop self` resolved, routes of families the neighbor does not
 * advertise left out, an exact repeat of a route (same prefix, same attributes) kept once. `split` is
 * already expanded by the parser (the model carries one route per more specific).
 * Routes held back by a `watchdog` with `withdraw` are not announced.
 */
export function outgoingRoutes(neighbor: Neighbor, facts: SessionFacts = {}): OutgoingRoute[] {
  const families = new Set(neighborFamilies(neighbor).map((f) => familyKey(f.afi, f.safi)));
  const out: OutgoingRoute[] = [];
  // the canonical key is computed once per distinct attribute text (routes mostly share a few)
  const keys = new Map<string, string>();
  const byObject = new Map<Attributes, Map<string | undefined, string>>();
  // ExaBGP's RIB: per attribute set and family, one route per NLRI index (a later one takes its place)
  const seen = new Map<string, Map<FamilyKey, Map<number | string, number>>>();
  const nextHops = new Map<string, string | undefined>();
  let lastFamily: Route['family'] | undefined;
  let lastRow: AddressFamily<Nlri> | undefined;
  for (const route of neighbor.routes) {
    const afi = route.family.afiCode;
    const safi = route.family.safiCode;
    if (!families.has(route.family.key)) continue;
    if (route.withdraw) continue;
    // routes of one family share one Family object (families.ts): look its row up once per run of them
    if (route.family !== lastFamily) {
      lastFamily = route.family;
      lastRow = prefixFamily(route);
    }
    const family = route.nlri.kind === 'prefix' ? lastRow : undefined;
    if (family === undefined) {
      throw new WireError(`family ${familyName(afi, safi)} not supported (route at line ${route.location.line})`);
    }
    const codec = family.codec!;
    const configured = route.nextHop;
    let nextHop: string | undefined;
    if (configured === 'self') {
      const cacheKey = `self/${afi}`;
      if (!nextHops.has(cacheKey)) nextHops.set(cacheKey, resolveNextHop(neighbor, afi, configured, facts));
      nextHop = nextHops.get(cacheKey);
    } else nextHop = configured;
    // the parser shares one Attributes object between routes written alike: look it up by identity first
    let perNextHop = byObject.get(route.attributes);
    if (perNextHop === undefined) {
      perNextHop = new Map();
      byObject.set(route.attributes, perNextHop);
    }
    let attributeKey = perNextHop.get(nextHop);
    if (attributeKey === undefined) {
      const raw = `${JSON.stringify(route.attributes)} ${nextHop ?? ''}`;
      attributeKey = keys.get(raw);
      if (attributeKey === undefined) {
        attributeKey = attributeKeyOf(route, nextHop);
        keys.set(raw, attributeKey);
      }
      perNextHop.set(nextHop, attributeKey);
    }
    const nlri = codec.fromPrefix!(prefixOf(route), qualifiersOf(route));
    let byFamily = seen.get(attributeKey);
    if (byFamily === undefined) {
      byFamily = new Map();
      seen.set(attributeKey, byFamily);
    }
    let indexes = byFamily.get(family.key);
    if (indexes === undefined) {
      indexes = new Map();
      byFamily.set(family.key, indexes);
    }
    const outgoing: OutgoingRoute = { route, afi, safi, family, nlri, nextHop, attributeKey };
    const identity = codec.identity(nlri);
    const at = indexes.get(identity);
    if (at !== undefined) out[at] = outgoing;
    else {
      indexes.set(identity, out.length);
      out.push(outgoing);
    }
  }
  return out;
}
