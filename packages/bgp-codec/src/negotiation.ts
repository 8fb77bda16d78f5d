import {
  AddPathDirection,
  type Capability,
  capabilityCode,
  type ExtendedNextHopEntry,
  findCapabilities,
  findCapability,
  type GracefulRestartCapability,
} from './capabilities.js';
import { Afi, Safi } from './constants.js';
import { type CodecContext, makeContext } from './context.js';
import { type FamilyKey, familyKey, keyAfi, keySafi } from './families/key.js';
import { type OpenMessage, openAsn } from './open.js';

/** An address family: AFI and SAFI numbers (IANA), as the capabilities carry them. */
export interface AfiSafi {
  readonly afi: number;
  readonly safi: number;
}

/** What two OPENs agree on: the codec context and what the session FSM needs. */
export interface Negotiated {
  /** The context every later UPDATE is decoded and encoded with. */
  readonly context: CodecContext;
  /** RFC 4271 §4.2: the smaller of the two Hold Times (0: no KEEPALIVEs, no hold timer). */
  readonly holdTime: number;
  /** RFC 4271 §10: a third of the Hold Time, whole seconds (0 when the Hold Time is 0). */
  readonly keepaliveTime: number;
  /** Our AS: the 4-octet AS capability we sent when present, else My Autonomous System. */
  readonly localAs: number;
  /** The peer's AS: its 4-octet AS capability when present (RFC 6793 §4.1), else My Autonomous System. */
  readonly peerAs: number;
  /** The peer's BGP Identifier (dotted quad). */
  readonly peerBgpIdentifier: string;
  /** The families both sides advertised, in the order we advertised them (RFC 4760 §8). */
  readonly families: readonly AfiSafi[];
  /** RFC 6793: both sides advertised the 4-octet AS capability. */
  readonly asn4: boolean;
  /** RFC 8654: both sides advertised Extended Message. */
  readonly extendedMessage: boolean;
  /** RFC 2918: both sides advertised route refresh (code 2, or Cisco's 128). */
  readonly routeRefresh: boolean;
  /** RFC 7313: both sides advertised enhanced route refresh. */
  readonly enhancedRouteRefresh: boolean;
  /** RFC 7911: families for which we send path identifiers (we said send, they said receive). */
  readonly addPathSend: readonly AfiSafi[];
  /** RFC 7911: families for which we receive path identifiers (we said receive, they said send). */
  readonly addPathReceive: readonly AfiSafi[];
  /** RFC 8950: <afi, safi, next hop afi> both sides advertised. */
  readonly extendedNextHop: readonly ExtendedNextHopEntry[];
  /** draft-ietf-idr-linklocal-capability: both sides advertised it. */
  readonly linkLocalNextHop: boolean;
  /** The peer's Graceful Restart capability, when it sent one (RFC 4724 §4). */
  readonly peerGracefulRestart: GracefulRestartCapability | undefined;
  /** Capability codes we advertised that the peer did not (ExaBGP logs these; RFC 5492 lets the session run). */
  readonly missingCapabilities: readonly number[];
  /** Families we advertised that the peer did not. */
  readonly missingFamilies: readonly AfiSafi[];
}

/**
 * Combine the OPEN we sent and the OPEN we received into what the session uses. Pure: the checks that need
 * configuration (peer AS, identifiers, acceptable hold time, required capabilities) are the FSM's.
 */
export function negotiate(sent: OpenMessage, received: OpenMessage): Negotiated {
  const ours = sent.capabilities;
  const theirs = received.capabilities;
  const both = (type: Capability['type']) =>
    findCapability(ours, type) !== undefined && findCapability(theirs, type) !== undefined;

  const asn4 = both('asn4');
  const extendedMessage = both('extended-message');
  const hasRouteRefresh = (list: readonly Capability[]) =>
    findCapability(list, 'route-refresh') !== undefined || findCapability(list, 'route-refresh-cisco') !== undefined;
  const routeRefresh = hasRouteRefresh(ours) && hasRouteRefresh(theirs);

  // RFC 4760 §8 with RFC 4271: a speaker that advertises no Multiprotocol capability speaks IPv4 unicast only.
  const ourFamilies = advertisedFamilies(ours);
  const theirKeys = new Set(advertisedFamilies(theirs).map((f) => familyKey(f.afi, f.safi)));
  const families = ourFamilies.filter((f) => theirKeys.has(familyKey(f.afi, f.safi)));
  const missingFamilies = ourFamilies.filter((f) => !theirKeys.has(familyKey(f.afi, f.safi)));

  // RFC 7911 §5: path identifiers flow from a side that said send to a side that said receive.
  const ourAddPath = addPathModes(ours);
  const theirAddPath = addPathModes(theirs);
  const addPathSend: AfiSafi[] = [];
  const addPathReceive: AfiSafi[] = [];
  for (const [key, mode] of ourAddPath) {
    const peer = theirAddPath.get(key) ?? 0;
    const family = familyOfKey(key);
    if (mode & AddPathDirection.SEND && peer & AddPathDirection.RECEIVE) addPathSend.push(family);
    if (mode & AddPathDirection.RECEIVE && peer & AddPathDirection.SEND) addPathReceive.push(family);
  }

  const theirNextHops = new Set(
    findCapabilities(theirs, 'extended-next-hop').flatMap((c) => c.entries.map(nextHopKey)),
  );
  const extendedNextHop = findCapabilities(ours, 'extended-next-hop')
    .flatMap((c) => c.entries)
    .filter(
      (entry, index, all) =>
        theirNextHops.has(nextHopKey(entry)) && all.findIndex((e) => nextHopKey(e) === nextHopKey(entry)) === index,
    );

  const theirCodes = new Set(theirs.map(capabilityCode));
  const missingCapabilities = [...new Set(ours.map(capabilityCode))].filter((code) => !theirCodes.has(code));

  const holdTime = Math.min(sent.holdTime, received.holdTime);
  const context = makeContext({
    asn4,
    extendedMessage,
    addPathSend: new Set(addPathSend.map((f) => familyKey(f.afi, f.safi))),
    addPathReceive: new Set(addPathReceive.map((f) => familyKey(f.afi, f.safi))),
    // RFC 8950: a next hop of another AFI than the family's; its row says which lengths that allows.
    extendedNextHop: new Set(
      extendedNextHop.filter((e) => e.nextHopAfi !== e.afi).map((e) => familyKey(e.afi, e.safi & 0xff)),
    ),
  });
  return {
    context,
    holdTime,
    keepaliveTime: Math.floor(holdTime / 3),
    localAs: openAsn(sent),
    peerAs: openAsn(received),
    peerBgpIdentifier: received.bgpIdentifier,
    families,
    asn4,
    extendedMessage,
    routeRefresh,
    enhancedRouteRefresh: both('enhanced-route-refresh'),
    addPathSend,
    addPathReceive,
    extendedNextHop,
    linkLocalNextHop: both('link-local-next-hop'),
    peerGracefulRestart: findCapability(theirs, 'graceful-restart'),
    missingCapabilities,
    missingFamilies,
  };
}

/** The families a speaker advertised; IPv4 unicast when it advertised none (RFC 4760 §8). */
export function advertisedFamilies(capabilities: readonly Capability[]): AfiSafi[] {
  const seen = new Set<FamilyKey>();
  const out: AfiSafi[] = [];
  for (const capability of capabilities) {
    if (capability.type !== 'multiprotocol') continue;
    const key = familyKey(capability.afi, capability.safi);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ afi: capability.afi, safi: capability.safi });
  }
  return out.length > 0 ? out : [{ afi: Afi.IPV4, safi: Safi.UNICAST }];
}

/** Per family, the Send/Receive value advertised; values outside 1..3 are ignored (RFC 7911 §4). */
function addPathModes(capabilities: readonly Capability[]): Map<FamilyKey, number> {
  const modes = new Map<FamilyKey, number>();
  for (const capability of findCapabilities(capabilities, 'add-path')) {
    for (const family of capability.families) {
      if (family.sendReceive < AddPathDirection.RECEIVE || family.sendReceive > AddPathDirection.BOTH) continue;
      modes.set(familyKey(family.afi, family.safi), family.sendReceive);
    }
  }
  return modes;
}

function familyOfKey(key: FamilyKey): AfiSafi {
  return { afi: keyAfi(key), safi: keySafi(key) };
}

/** One RFC 8950 entry as a string, to compare entries. */
function nextHopKey(entry: ExtendedNextHopEntry): string {
  return `${entry.afi}/${entry.safi}/${entry.nextHopAfi}`;
}
