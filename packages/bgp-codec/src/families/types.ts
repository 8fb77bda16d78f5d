import type { RouteDistinguisher } from '../nlri/route-distinguisher.js';
import type { IpPrefix } from '../prefix.js';
import type { ByteWriter } from '../writer.js';
import type { FamilyKey } from './key.js';

/**
 * One row of the address-family table (BIRD's `bgp_af_table`): everything about one <AFI, SAFI>. Its names
 * as ExaBGP spells them, what ExaBGP does with it, and, once the codec reads its NLRI, how NLRI and next
 * hops are read, written, sized, ordered and printed. `N` is the family's NLRI type, tagged by `kind`.
 */
export interface AddressFamily<N extends { readonly kind: string } = { readonly kind: string }> {
  readonly key: FamilyKey;
  readonly afi: number;
  readonly safi: number;
  /** ExaBGP's name of the family: `ipv4 unicast`, `ipv6 mpls-vpn` (protocol/family.py). */
  readonly name: string;
  /** ExaBGP's name of the AFI: `ipv4`, `ipv6`, `l2vpn`, `bgp-ls`. */
  readonly afiName: string;
  /** ExaBGP's name of the SAFI: `unicast`, `nlri-mpls`, `mpls-vpn`, `flow`... */
  readonly safiName: string;
  /** Other spellings of the SAFI ExaBGP's configuration accepts (`labeled-unicast` for `nlri-mpls`). */
  readonly safiAliases: readonly string[];
  /** What ExaBGP 6 does with the family, which the project reproduces byte for byte. */
  readonly exabgp: ExabgpFamily;
  /**
   * How the family's NLRI and next hops are read and written; undefined while the codec keeps them raw
   * (an MP_REACH_NLRI / MP_UNREACH_NLRI of the family is then an unknown attribute).
   */
  readonly codec: FamilyCodec<N> | undefined;
}

/** ExaBGP 6's behaviour for one family, where it is not the protocol's. */
export interface ExabgpFamily {
  /** Accepted after its AFI in `family { }` and `add-path { }` (configuration/neighbor/family.py `convert`). */
  readonly configurable: boolean;
  /**
   * Position in `Capabilities._ADD_PATH`: ExaBGP advertises ADD-PATH (RFC 7911) for these families only,
   * in that order. Undefined: never.
   */
  readonly addPathOrder?: number;
  /**
   * `Capabilities._NEXTHOP`: the next-hop AFI ExaBGP advertises the RFC 8950 encoding for, in table order.
   * Undefined: none.
   */
  readonly extendedNextHopAfi?: number;
  /** OutgoingRIB.updates: with `group-updates`, routes sharing their attributes share an UPDATE. */
  readonly groupUpdates: boolean;
  /**
   * UpdateCollection.messages: a route with an IPv4 next hop goes in the UPDATE's own NLRI field, not in
   * MP_REACH_NLRI. ExaBGP does this for IPv4 multicast too (RFC 4760 §2 reserves that field to IPv4 unicast).
   */
  readonly nlriField: boolean;
}

/** Qualifiers of a prefix route (ExaBGP's `from_cidr` arguments). */
export interface PrefixQualifiers {
  /** MPLS label stack entries as sent (see `labelStack`). */
  readonly labels?: readonly number[];
  readonly rd?: RouteDistinguisher;
}

/** How one family's NLRI are read and written (and its next hops, RFC 4760 §3). */
export interface FamilyCodec<N extends { readonly kind: string }> {
  /** The `kind` of the family's NLRI values. */
  readonly kind: N['kind'];
  readonly nextHop: NextHopCodec;
  /**
   * Read the NLRI in `b[start, end)` into `out`. `addPath`: each starts with an RFC 7911 Path Identifier.
   * `withdraw`: they come from Withdrawn Routes or MP_UNREACH_NLRI (RFC 8277 §2.4 gives label stacks a
   * withdrawal value there). A syntax error throws BgpError 3/10 (RFC 7606 §5.3).
   */
  decode(b: Uint8Array, start: number, end: number, addPath: boolean, withdraw: boolean, out: N[]): void;
  /** Write one NLRI (with a Path Identifier, 0 when it has none, when `addPath`). */
  encode(w: ByteWriter, nlri: N, addPath: boolean): void;
  /** Octets {@link encode} writes for it. */
  size(nlri: N, addPath: boolean): number;
  /** The order ExaBGP sends NLRI of one UPDATE in (sorted by its NLRI `index()`). */
  compare(a: N, b: N): number;
  /**
   * What tells routes apart in ExaBGP's RIB (its NLRI `index()`): two NLRI with the same identity are the
   * same route, the later replacing the earlier (labels are not part of it).
   */
  identity(nlri: N): number | string;
  /** ExaBGP's JSON of one NLRI (`{ "nlri": "10.0.0.0/24", "path-information": "0.0.0.1" }`). */
  json(nlri: N): string;
  /** ExaBGP's text of one NLRI (its `extensive()`: `10.0.0.0/24 path-information 0.0.0.1`). */
  text(nlri: N): string;
  /** The family's NLRI for a prefix and its qualifiers; undefined when the family's NLRI is not a prefix. */
  readonly fromPrefix: ((prefix: IpPrefix, qualifiers: PrefixQualifiers) => N) | undefined;
}

/** The Network Address of Next Hop of a family in MP_REACH_NLRI (RFC 4760 §3). */
export interface NextHopCodec {
  /**
   * Length of Next Hop Network Address values the family's own next hop can have (for IPv6, 16 is a global
   * address and 32 a global then a link-local one, RFC 2545 §3).
   */
  readonly lengths: readonly number[];
  /**
   * A next hop of the other IP version (RFC 8950: IPv6 for IPv4 NLRI; ExaBGP's IPv4 for IPv6 NLRI), accepted
   * only when the context lists the family in `extendedNextHop`.
   */
  readonly extended: { readonly afi: number; readonly lengths: readonly number[] } | undefined;
  /** Why next hop octets of an acceptable length are still malformed (a VPN next hop's RD not zero), or undefined. */
  check(nextHop: Uint8Array): string | undefined;
  /** The address ExaBGP prints for the next hop, the global one when there are two (`no-nexthop` for none). */
  text(nextHop: Uint8Array): string;
  /** The octets for an address (IPv4 or IPv6 text) and an optional IPv6 link-local one. */
  encode(address: string, linkLocal?: string): Uint8Array;
}
