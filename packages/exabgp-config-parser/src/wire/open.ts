import {
  AddPathDirection,
  type AfiSafi,
  BGP_VERSION,
  type Capability,
  CapabilityCode,
  type ExtendedNextHopEntry,
  encodeCapabilityBytes,
  encodeOpen,
  familyKey,
  familyRows,
  GracefulRestartFamilyFlag,
  multisessionCapabilities,
  type OpenMessage,
} from 'bgp-codec';
import type { Neighbor } from '../model.js';
import { neighborFamilies } from './families.js';
import { SOFTWARE_VERSION } from './version.js';

/** ExaBGP's code for its own OPERATIONAL capability (draft-ietf-idr-operational-message, never assigned). */
export const OPERATIONAL_CAPABILITY = 0xb9;
/** draft-abraitis-idr-addpath-paths-limit: the Paths-Limit capability. */
export const PATHS_LIMIT_CAPABILITY = 0x4c;

/** What a neighbor's configuration leaves to the running speaker: values it only knows once connected. */
export interface SessionFacts {
  /** the local address of the TCP session; replaces `local-address auto` and resolves `next-hop self` */
  localAddress?: string;
  /** replaces `local-as auto` */
  localAs?: number;
  /** replaces `peer-as auto` */
  peerAs?: number;
  /** the router-id when the configuration has none and the local address is not IPv4 */
  routerId?: string;
}

/** How the speaker presents itself. */
export interface WireSettings {
  /**
   * The software-version capability's string (draft-abraitis-bgp-version-capability). Normal runs announce
   * this project ({@link SOFTWARE_VERSION}); conformance runs use ExaBGP's test string
   * ({@link EXABGP_TEST_SOFTWARE_VERSION}).
   */
  softwareVersion: string;
}

/** The software version ExaBGP's functional tests run with (environment `exabgp_version=5.0.0-0+test`). */
export const EXABGP_TEST_SOFTWARE_VERSION = 'ExaBGP/5.0.0-0+test';

export const DEFAULT_WIRE_SETTINGS: WireSettings = Object.freeze({ softwareVersion: SOFTWARE_VERSION });

/**
 * A neighbor whose messages cannot be built as configured: an `auto` value the session has not supplied, a
 * route without next hop, a family or attribute the wire layer does not encode yet.
 */
export class WireError extends Error {
  override readonly name = 'WireError';
}

export function localAsOf(neighbor: Neighbor, facts: SessionFacts = {}): number {
  const asn = neighbor.localAs === 'auto' ? facts.localAs : neighbor.localAs;
  if (asn === undefined) throw new WireError(`neighbor ${neighbor.peerAddress}: local-as auto needs the session's AS`);
  return asn;
}

export function peerAsOf(neighbor: Neighbor, facts: SessionFacts = {}): number | undefined {
  return neighbor.peerAs === 'auto' ? facts.peerAs : neighbor.peerAs;
}

export function localAddressOf(neighbor: Neighbor, facts: SessionFacts = {}): string | undefined {
  return neighbor.localAddress === 'auto' ? facts.localAddress : neighbor.localAddress;
}

/** ExaBGP's router-id: configured, else the local address when it is IPv4 (protocol.py, Session.infer). */
export function routerIdOf(neighbor: Neighbor, facts: SessionFacts = {}): string {
  if (neighbor.routerId !== undefined) return neighbor.routerId;
  const local = localAddressOf(neighbor, facts);
  if (local !== undefined && !local.includes(':')) return local;
  if (facts.routerId !== undefined) return facts.routerId;
  throw new WireError(`neighbor ${neighbor.peerAddress}: router-id must be set (the local address is not IPv4)`);
}

/** ExaBGP's `_ADD_PATH`: the only families it advertises ADD-PATH for, in its order (the codec's rows say). */
const ADD_PATH_FAMILIES: readonly AfiSafi[] = familyRows()
  .filter((row) => row.exabgp.addPathOrder !== undefined)
  .sort((a, b) => a.exabgp.addPathOrder! - b.exabgp.addPathOrder!)
  .map((row) => ({ afi: row.afi, safi: row.safi }));

/** ExaBGP's `_NEXTHOP`: the only RFC 8950 entries it advertises, in its order (the codec's rows say). */
const NEXT_HOP_ENTRIES: readonly ExtendedNextHopEntry[] = familyRows()
  .filter((row) => row.exabgp.extendedNextHopAfi !== undefined)
  .map((row) => ({ afi: row.afi, safi: row.safi, nextHopAfi: row.exabgp.extendedNextHopAfi! }));

/**
 * The capabilities ExaBGP 6 advertises for a neighbor, in its order (Capabilities.new): Multiprotocol (one per
 * family), 4-octet AS, extended next-hop, ADD-PATH, paths-limit, graceful restart, route refresh + enhanced
 * route refresh, operational, extended message, FQDN, software version, link-local next-hop, multisession.
 */
export function capabilitiesFor(
  neighbor: Neighbor,
  facts: SessionFacts = {},
  settings: WireSettings = DEFAULT_WIRE_SETTINGS,
): Capability[] {
  const caps = neighbor.capabilities;
  const families = neighborFamilies(neighbor);
  const familySet = new Set(families.map((f) => familyKey(f.afi, f.safi)));
  const out: Capability[] = families.map((f) => ({ type: 'multiprotocol', afi: f.afi, safi: f.safi }));

  if (caps.asn4) out.push({ type: 'asn4', asn: localAsOf(neighbor, facts) });

  // RFC 8950: on when configured, or when a nexthop block exists and it is not configured
  const nexthopOn = caps.nexthop ?? neighbor.nexthop.length > 0;
  if (nexthopOn) {
    const configured = (e: ExtendedNextHopEntry) =>
      neighbor.nexthop.some((n) => n.family.key === familyKey(e.afi, e.safi) && n.nextHopAfiCode === e.nextHopAfi);
    const entries = NEXT_HOP_ENTRIES.filter(
      (e) => configured(e) && familySet.has(familyKey(e.afi, e.safi)) && familySet.has(familyKey(e.nextHopAfi, e.safi)),
    );
    out.push({ type: 'extended-next-hop', entries });
  }

  if (caps.addPath !== 0) {
    const configured = new Set(neighbor.addPath.map((a) => a.family.key));
    const addPathFamilies = ADD_PATH_FAMILIES.filter((f) => configured.has(familyKey(f.afi, f.safi)));
    out.push({
      type: 'add-path',
      families: addPathFamilies.map((f) => ({ afi: f.afi, safi: f.safi, sendReceive: caps.addPath })),
    });
    // draft-abraitis-idr-addpath-paths-limit: only for families we receive paths for, limit > 0
    if (caps.addPath & AddPathDirection.RECEIVE) {
      const limited = neighbor.addPath.filter(
        (a) => a.limit > 0 && addPathFamilies.some((f) => f.afi === a.family.afiCode && f.safi === a.family.safiCode),
      );
      if (limited.length > 0) {
        const data = new Uint8Array(limited.length * 5);
        limited.forEach((a, i) => {
          const at = i * 5;
          data[at] = a.family.afiCode >> 8;
          data[at + 1] = a.family.afiCode & 0xff;
          data[at + 2] = a.family.safiCode;
          data[at + 3] = a.limit >> 8;
          data[at + 4] = a.limit & 0xff;
        });
        out.push({ type: 'unknown', code: PATHS_LIMIT_CAPABILITY, data });
      }
    }
  }

  if (caps.gracefulRestart !== false) {
    // ExaBGP: a restart time of 0 means "use the hold time" (Neighbor.infer); the R bit is clear on a first start
    const time = caps.gracefulRestart === 0 ? neighbor.holdTime : caps.gracefulRestart;
    out.push({
      type: 'graceful-restart',
      restartFlags: 0,
      restartTime: time & 0x0fff,
      families: families.map((f) => ({ afi: f.afi, safi: f.safi, flags: GracefulRestartFamilyFlag.FORWARDING_STATE })),
    });
  }

  if (caps.routeRefresh) {
    out.push({ type: 'route-refresh' }, { type: 'enhanced-route-refresh' });
  }

  if (caps.operational) out.push({ type: 'unknown', code: OPERATIONAL_CAPABILITY, data: new Uint8Array(0) });

  if (caps.extendedMessage) out.push({ type: 'extended-message' });

  // ExaBGP 6 sends FQDN only when a host name is configured (its default host name is empty)
  if (neighbor.hostName) {
    out.push({ type: 'fqdn', hostname: clip(neighbor.hostName), domain: clip(neighbor.domainName ?? '') });
  }

  if (caps.softwareVersion)
    out.push({ type: 'software-version', version: softwareVersionText(settings.softwareVersion) });

  if (caps.linkLocalNexthop === true) out.push({ type: 'link-local-next-hop' });

  if (caps.multiSession) out.push(...multisessionCapabilities([CapabilityCode.MULTIPROTOCOL]));

  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** ExaBGP truncates host and domain names to 64 octets (HostName.HOSTNAME_MAX_LEN). */
function clip(name: string): string {
  const bytes = encoder.encode(name);
  return bytes.length <= 64 ? name : decoder.decode(bytes.subarray(0, 64));
}

/** ExaBGP truncates the version string to 64 characters, ending it with `...` (Software.__init__). */
export function softwareVersionText(version: string): string {
  return version.length > 64 ? `${version.slice(0, 61)}...` : version;
}

/**
 * The OPEN a neighbor sends (ExaBGP Protocol.new_open): version 4, the local AS (AS_TRANS in the 2-octet field
 * when it needs 4 octets, RFC 6793 §4.1), the configured hold time, the router-id, and one Capabilities
 * parameter per capability. ExaBGP switches to the RFC 9072 extended parameters format as soon as the
 * parameters reach 255 bytes (capabilities.py `pack_capabilities`: `< 255` keeps the RFC 4271 format).
 */
export function openFor(
  neighbor: Neighbor,
  facts: SessionFacts = {},
  settings: WireSettings = DEFAULT_WIRE_SETTINGS,
): OpenMessage {
  const capabilities = capabilitiesFor(neighbor, facts, settings);
  let parametersLength = 0;
  for (const capability of capabilities) parametersLength += 2 + encodeCapabilityBytes(capability).length;
  const open: OpenMessage = {
    type: 'open',
    version: BGP_VERSION,
    asn: localAsOf(neighbor, facts),
    holdTime: neighbor.holdTime,
    bgpIdentifier: routerIdOf(neighbor, facts),
    capabilities,
  };
  return parametersLength >= 255 ? { ...open, extendedOptionalParameters: true } : open;
}

/** The OPEN's bytes, header included. */
export function encodeOpenFor(
  neighbor: Neighbor,
  facts: SessionFacts = {},
  settings: WireSettings = DEFAULT_WIRE_SETTINGS,
): Uint8Array {
  return encodeOpen(openFor(neighbor, facts, settings));
}
