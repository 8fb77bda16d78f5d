/**
 * What two OPENs agree on (RFC 4271 §4.2 hold time, RFC 5492 capabilities). A stand-in for bgp-codec's
 * `negotiate(sent, received)` until the codec exports it; the FSM only reads the fields below.
 */
import { type CodecContext, familyKey, makeContext } from 'bgp-codec';
import { type Capability, CapabilityCode, type OpenMessage } from './messages.js';

export interface Negotiated {
  /** RFC 4271 §4.2: the smaller of the two hold times; 0 means no hold and no keepalive timer. */
  readonly holdTime: number;
  /** The peer's AS: its 4-octet AS capability when present, else the OPEN's 2-octet field (RFC 6793 §4). */
  readonly peerAs: number;
  readonly peerBgpId: number;
  /** Families both sides advertised ("afi/safi"); IPv4 unicast when neither sent Multiprotocol (RFC 4760 §8). */
  readonly families: readonly string[];
  readonly routeRefresh: boolean;
  readonly context: CodecContext;
}

export function findCapability(caps: readonly Capability[], code: number): Capability | undefined {
  return caps.find((c) => c.code === code);
}

/** RFC 6793 §4.1: the AS a speaker announces, from its 4-octet AS capability when it sent one. */
export function announcedAs(open: OpenMessage): number {
  const as4 = findCapability(open.capabilities, CapabilityCode.FOUR_OCTET_AS);
  if (as4 && as4.value.length === 4) {
    return new DataView(as4.value.buffer, as4.value.byteOffset, 4).getUint32(0);
  }
  return open.myAs;
}

function families(open: OpenMessage): Set<string> {
  const out = new Set<string>();
  for (const c of open.capabilities) {
    if (c.code === CapabilityCode.MULTIPROTOCOL && c.value.length === 4) {
      out.add(familyKey(((c.value[0] as number) << 8) | (c.value[1] as number), c.value[3] as number));
    }
  }
  if (out.size === 0) out.add(familyKey(1, 1));
  return out;
}

export function negotiate(sent: OpenMessage, received: OpenMessage): Negotiated {
  const both = (code: number) =>
    findCapability(sent.capabilities, code) !== undefined && findCapability(received.capabilities, code) !== undefined;
  const ours = families(sent);
  const theirs = families(received);
  return {
    holdTime: Math.min(sent.holdTime, received.holdTime),
    peerAs: announcedAs(received),
    peerBgpId: received.bgpId,
    families: [...ours].filter((f) => theirs.has(f)),
    routeRefresh: both(CapabilityCode.ROUTE_REFRESH) || both(CapabilityCode.ENHANCED_ROUTE_REFRESH),
    context: makeContext({
      asn4: both(CapabilityCode.FOUR_OCTET_AS),
      extendedMessage: both(CapabilityCode.EXTENDED_MESSAGE),
    }),
  };
}
