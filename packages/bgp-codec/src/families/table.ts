/**
 * The address-family table: one row per <AFI, SAFI> ExaBGP knows (BIRD's `bgp_af_table`), in the order
 * ExaBGP's configuration lists them per AFI (configuration/neighbor/family.py). Adding a family is adding
 * its file and its row here; the configuration parser, the wire layer and the JSON read everything else
 * from the row.
 */

import type { LabeledPrefix } from '../nlri/labeled.js';
import type { IpPrefix } from '../prefix.js';
import { IPV4_MULTICAST, IPV4_UNICAST, IPV6_MULTICAST, IPV6_UNICAST } from './ip.js';
import { afiName, type FamilyKey, familyKey } from './key.js';
import {
  BGP_LS,
  BGP_LS_VPN,
  IPV4_FLOW,
  IPV4_FLOW_VPN,
  IPV4_MCAST_VPN,
  IPV4_MUP,
  IPV4_RTC,
  IPV4_SR_POLICY,
  IPV6_FLOW,
  IPV6_FLOW_VPN,
  IPV6_MCAST_VPN,
  IPV6_MUP,
  IPV6_SR_POLICY,
  L2VPN_EVPN,
  L2VPN_VPLS,
} from './known.js';
import { IPV4_NLRI_MPLS, IPV6_NLRI_MPLS } from './labeled.js';
import { IPV4_MPLS_VPN, IPV6_MPLS_VPN, type VpnPrefix } from './mpls-vpn.js';
import type { AddressFamily } from './types.js';

/**
 * The NLRI of every family the codec reads, told apart by `kind` (and, among prefixes, by `afi`). Adding a
 * family with a new NLRI type adds it here.
 */
export type Nlri = IpPrefix | LabeledPrefix | VpnPrefix;
export type { VpnPrefix };

// biome-ignore lint/suspicious/noExplicitAny: rows of different NLRI types share one table
type Row = AddressFamily<any>;

const ROWS: readonly Row[] = [
  IPV4_UNICAST,
  IPV4_MULTICAST,
  IPV4_NLRI_MPLS,
  IPV4_MPLS_VPN,
  IPV4_MCAST_VPN,
  IPV4_FLOW,
  IPV4_FLOW_VPN,
  IPV4_MUP,
  IPV4_SR_POLICY,
  IPV4_RTC,
  IPV6_UNICAST,
  IPV6_MULTICAST,
  IPV6_NLRI_MPLS,
  IPV6_MPLS_VPN,
  IPV6_MCAST_VPN,
  IPV6_MUP,
  IPV6_SR_POLICY,
  IPV6_FLOW,
  IPV6_FLOW_VPN,
  L2VPN_VPLS,
  L2VPN_EVPN,
  BGP_LS,
  BGP_LS_VPN,
];

const BY_KEY = new Map<FamilyKey, AddressFamily<Nlri>>();
const BY_NAME = new Map<string, AddressFamily<Nlri>>();
const SAFI_NAMES = new Map<number, string>([[0, 'undefined']]);

/**
 * Add (or replace) a family's row: a family with a codec plugs in this way, and MP_REACH_NLRI /
 * MP_UNREACH_NLRI of it are decoded with its codec from then on.
 */
export function registerFamily(row: Row): void {
  const previous = BY_KEY.get(row.key);
  BY_KEY.set(row.key, row);
  if (previous !== undefined) BY_NAME.delete(previous.name);
  BY_NAME.set(row.name, row);
  for (const alias of row.safiAliases) BY_NAME.set(`${row.afiName} ${alias}`, row);
  if (!SAFI_NAMES.has(row.safi)) SAFI_NAMES.set(row.safi, row.safiName);
}

for (const row of ROWS) registerFamily(row);

/** The row of a family, or undefined for one ExaBGP does not know. */
export function familyRow(key: FamilyKey): AddressFamily<Nlri> | undefined {
  return BY_KEY.get(key);
}

/** The row of <afi, safi>, or undefined. */
export function familyRowOf(afi: number, safi: number): AddressFamily<Nlri> | undefined {
  return BY_KEY.get(familyKey(afi, safi));
}

/** The row of `ipv4 mpls-vpn` (ExaBGP's spelling; its configuration's aliases, `ipv4 labeled-unicast`, too). */
export function familyRowByName(name: string): AddressFamily<Nlri> | undefined {
  return BY_NAME.get(name);
}

/** Every row, in table order. */
export function familyRows(): AddressFamily<Nlri>[] {
  return [...BY_KEY.values()];
}

/** ExaBGP's name of a SAFI (`unicast`), and its spelling of one it does not know. */
export function safiName(safi: number): string {
  return SAFI_NAMES.get(safi) ?? `unknown safi ${safi}`;
}

/** ExaBGP's spelling of a family (`ipv4 unicast`, `ipv6 flow`), for one it does not know too. */
export function familyName(afi: number, safi: number): string {
  return BY_KEY.get(familyKey(afi, safi))?.name ?? `${afiName(afi)} ${safiName(safi)}`;
}
