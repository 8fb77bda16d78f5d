/**
 * From a parsed ExaBGP configuration to what the speaker runs for each neighbor: the session settings, the
 * facts the wire encoder needs (local address, AS numbers, router-id) and every setting refused or only
 * partly honoured, said at start rather than ignored.
 */
import { type Capability, familyName } from 'bgp-codec';
import {
  type Configuration,
  capabilitiesFor,
  type Neighbor,
  neighborFamilies,
  openFor,
  outgoingRoutes,
  routerIdOf,
  type SessionFacts,
  unsupportedRouteFamilies,
} from 'exabgp-config-parser';
import { type SessionConfig, sessionCapabilities } from 'fsm-bridge';

/** BGP's port (RFC 4271 §8.2.1.1 leaves it to the transport; IANA assigned 179). */
export const BGP_PORT = 179;

/** Ports and addresses taken from the environment, as ExaBGP reads them (`exabgp_tcp_port` or `exabgp.tcp.port`). */
export interface SpeakerEnvironment {
  /** `exabgp.tcp.port`: the port connected to and listened on when a neighbor sets none. */
  readonly port?: number;
  /** `exabgp.tcp.bind`: the first address listened on for passive neighbors without a local address. */
  readonly bind?: string;
}

/** Read ExaBGP's `exabgp.tcp.port` / `exabgp.tcp.bind` settings (either spelling) from an environment. */
export function speakerEnvironment(env: Readonly<Record<string, string | undefined>>): SpeakerEnvironment {
  const read = (name: string) => env[`exabgp_tcp_${name}`] ?? env[`exabgp.tcp.${name}`];
  const out: { port?: number; bind?: string } = {};
  const port = read('port');
  if (port !== undefined && port.trim() !== '') {
    const value = Number(port);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new RangeError(`exabgp_tcp_port=${port}: a TCP port is 1..65535`);
    }
    out.port = value;
  }
  const bind = read('bind')
    ?.split(/[\s,]+/)
    .find((a) => a !== '');
  if (bind !== undefined) out.bind = bind;
  return out;
}

export interface NeighborPlan {
  readonly neighbor: Neighbor;
  /** The session API's settings for this neighbor. */
  readonly session: SessionConfig;
  /** What the wire encoder needs to build the neighbor's OPEN and UPDATEs. */
  readonly facts: SessionFacts & { localAddress: string; localAs: number; peerAs: number; routerId: string };
  /** How many routes it announces (after ExaBGP's de-duplication). */
  readonly routes: number;
  /** Settings only partly honoured (logged at start). */
  readonly warnings: readonly string[];
}

export interface Plan {
  readonly neighbors: NeighborPlan[];
  /** Settings that cannot be honoured: the speaker refuses to start. */
  readonly refused: string[];
  readonly warnings: string[];
}

/**
 * The capabilities the session API sends for `config` are its Multiprotocol list, then the 4-octet AS (unless
 * `asn4 disable`), then `config.capabilities`; ExaBGP's order (Capabilities.new) is the same, so passing
 * ExaBGP's list minus those two reproduces its OPEN capability for capability.
 */
function sessionExtras(capabilities: readonly Capability[]): Capability[] {
  return capabilities.filter((c) => c.type !== 'multiprotocol' && c.type !== 'asn4');
}

function where(neighbor: Neighbor): string {
  const { file, line } = neighbor.location;
  return `${file}:${line}: neighbor ${neighbor.peerAddress}`;
}

/**
 * Plan every neighbor. `localAddressOf` supplies the address a connection to the peer would leave from
 * when the configuration says `local-address auto` (see routeSourceAddress).
 */
export async function planNeighbors(
  configuration: Configuration,
  environment: SpeakerEnvironment,
  localAddressOf: (peer: string) => Promise<string>,
): Promise<Plan> {
  const refused: string[] = [];
  const warnings: string[] = [];
  const neighbors: NeighborPlan[] = [];
  if (configuration.neighbors.length === 0) refused.push(`${configuration.file}: no neighbor to speak to`);
  for (const process of configuration.processes) {
    warnings.push(
      `${process.location.file}:${process.location.line}: process ${process.name} is not run (speak runs no API processes; --print-received prints what they would receive)`,
    );
  }
  for (const neighbor of configuration.neighbors) {
    const at = where(neighbor);
    const problems: string[] = [];
    const notes: string[] = [];
    if (neighbor.peerRange) problems.push(`${at}: a peer range (a prefix as neighbor) is not supported by speak`);
    if (neighbor.localAs === 'auto') problems.push(`${at}: local-as auto is not supported; give the AS number`);
    if (neighbor.peerAs === 'auto') problems.push(`${at}: peer-as auto is not supported; give the AS number`);
    if (neighbor.md5Password !== undefined) {
      problems.push(`${at}: TCP MD5 signatures (RFC 2385) cannot be applied on this platform`);
    }
    if (neighbor.tcpAo !== undefined) problems.push(`${at}: TCP-AO (RFC 5925) cannot be applied on this platform`);
    if (neighbor.outgoingTtl !== undefined || neighbor.incomingTtl !== undefined) {
      problems.push(`${at}: TTL security (GTSM, RFC 5082) cannot be applied on this platform`);
    }
    if (neighbor.sourceInterface !== undefined) {
      problems.push(
        `${at}: source-interface cannot be applied on this platform (no SO_BINDTODEVICE); use local-address`,
      );
    }
    const families = unsupportedRouteFamilies(neighbor);
    if (families.length > 0) {
      problems.push(
        `${at}: routes of ${families.join(', ')} cannot be encoded by speak (IPv4/IPv6 unicast and multicast only)`,
      );
    }
    if (!neighbor.capabilities.asn4) {
      for (const [what, asn] of [
        ['local-as', neighbor.localAs],
        ['peer-as', neighbor.peerAs],
      ] as const) {
        if (typeof asn === 'number' && asn > 0xffff) {
          problems.push(`${at}: ${what} ${asn} needs 4 octets, but asn4 is disabled (RFC 6793: 2-octet AS numbers)`);
        }
      }
    }
    if (neighbor.api.length > 0) notes.push(`${at}: api blocks are not run`);
    if (neighbor.rateLimit !== undefined) notes.push(`${at}: rate-limit ${neighbor.rateLimit} is not applied`);
    if (neighbor.operational.length > 0) notes.push(`${at}: operational messages are not sent`);
    if (problems.length > 0 || typeof neighbor.localAs !== 'number' || typeof neighbor.peerAs !== 'number') {
      refused.push(...problems);
      continue;
    }

    const configured = neighbor.localAddress === 'auto' ? undefined : neighbor.localAddress;
    let localAddress: string;
    try {
      localAddress = configured ?? (await localAddressOf(neighbor.peerAddress));
    } catch (error) {
      refused.push(`${at}: ${(error as Error).message}`);
      continue;
    }
    const facts = { localAddress, localAs: neighbor.localAs, peerAs: neighbor.peerAs, routerId: '' };
    let routes: number;
    let capabilities: Capability[];
    let extendedOptionalParameters: boolean;
    try {
      facts.routerId = routerIdOf(neighbor, facts);
      capabilities = capabilitiesFor(neighbor, facts);
      // ExaBGP moves to the RFC 9072 format when the parameters reach 255 bytes; the codec only past 255
      extendedOptionalParameters = openFor(neighbor, facts).extendedOptionalParameters === true;
      routes = outgoingRoutes(neighbor, facts).length;
    } catch (error) {
      refused.push(`${at}: ${(error as Error).message}`);
      continue;
    }
    const port = neighbor.connect ?? environment.port ?? BGP_PORT;
    const listenPort = neighbor.listen ?? environment.port ?? BGP_PORT;
    // The session binds its connections and its listener to localAddress. A passive neighbor without one
    // listens on exabgp.tcp.bind (ExaBGP's listener), else on every address.
    const bindAddress = configured ?? (neighbor.passive ? environment.bind : undefined);
    const session: SessionConfig = {
      localAs: neighbor.localAs,
      peerAs: neighbor.peerAs,
      routerId: facts.routerId,
      peerAddress: neighbor.peerAddress,
      peerPort: port,
      ...(bindAddress !== undefined ? { localAddress: bindAddress } : {}),
      holdTime: neighbor.holdTime,
      families: neighborFamilies(neighbor).map((f) => [f.afi, f.safi] as const),
      routeRefresh: false,
      extendedMessage: false,
      capabilities: sessionExtras(capabilities),
      asn4: neighbor.capabilities.asn4,
      ...(extendedOptionalParameters ? { extendedOptionalParameters } : {}),
      passive: neighbor.passive,
      listen: neighbor.passive || neighbor.listen !== undefined,
      localPort: listenPort,
    };
    const sent = sessionCapabilities(session);
    if (JSON.stringify(sent) !== JSON.stringify(capabilities)) {
      notes.push(`${at}: the OPEN's capabilities differ from ExaBGP's for this neighbor`);
    }
    const familyNames = neighborFamilies(neighbor).map((f) => familyName(f.afi, f.safi));
    if (!neighbor.familyBlock)
      notes.push(`${at}: no family block: advertising ExaBGP's ${familyNames.length} families`);
    warnings.push(...notes);
    neighbors.push({ neighbor, session, facts, routes, warnings: notes });
  }
  return { neighbors, refused, warnings };
}
