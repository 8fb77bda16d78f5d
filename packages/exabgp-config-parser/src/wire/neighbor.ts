import { family } from '../families.js';
import type { Attributes, Capabilities, Family, Neighbor, Route, SourceLocation } from '../model.js';

const IPV4_UNICAST: Family = family('ipv4', 'unicast');
const IPV6_UNICAST: Family = family('ipv6', 'unicast');

const NOWHERE: SourceLocation = Object.freeze({ file: '<program>', line: 0, column: 0 });

/** ExaBGP 6's capability defaults (what a `neighbor { }` without a `capability { }` block gets). */
export const DEFAULT_CAPABILITIES: Capabilities = Object.freeze({
  asn4: true,
  routeRefresh: false,
  gracefulRestart: false,
  addPath: 0,
  multiSession: false,
  operational: false,
  extendedMessage: true,
  softwareVersion: false,
  linkLocalPrefer: false,
});

/**
 * A neighbor built by a program rather than read from a file, with ExaBGP's defaults (hold time 180,
 * group-updates on, IPv4 unicast) for every field not given.
 */
export function makeNeighbor(fields: Partial<Neighbor> & Pick<Neighbor, 'peerAddress'>): Neighbor {
  const { capabilities, ...rest } = fields;
  return {
    peerRange: false,
    localAddress: 'auto',
    localAs: 'auto',
    peerAs: 'auto',
    holdTime: 180,
    passive: false,
    md5Base64: false,
    groupUpdates: true,
    autoFlush: true,
    adjRibOut: false,
    adjRibIn: false,
    manualEor: false,
    inherit: [],
    families: [IPV4_UNICAST],
    familyBlock: true,
    addPath: [],
    nexthop: [],
    api: [],
    routes: [],
    operational: [],
    location: NOWHERE,
    ...rest,
    capabilities: { ...DEFAULT_CAPABILITIES, ...capabilities },
  };
}

/** A unicast route to `prefix` (`10.0.0.0/24`, `2001:db8::/32`; a bare address is a host route). */
export function makeRoute(prefix: string, nextHop: string | 'self' | undefined, attributes: Attributes = {}): Route {
  const slash = prefix.indexOf('/');
  const address = slash < 0 ? prefix : prefix.slice(0, slash);
  const v6 = address.includes(':');
  const length = slash < 0 ? (v6 ? 128 : 32) : Number(prefix.slice(slash + 1));
  const route: Route = {
    family: v6 ? IPV6_UNICAST : IPV4_UNICAST,
    nlri: { kind: 'prefix', prefix: `${address}/${length}`, address, length },
    attributes,
    withdraw: false,
    location: NOWHERE,
  };
  if (nextHop !== undefined) route.nextHop = nextHop;
  return route;
}
