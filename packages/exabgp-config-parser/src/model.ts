/**
 * The typed result of parsing an ExaBGP 6 configuration.
 *
 * Every field names the ExaBGP keyword it comes from. Values are plain data (strings for addresses and
 * prefixes, numbers for AS numbers, MEDs, labels, ...), already validated by the parser, so that the wire
 * encoder can turn them into bytes without parsing text again. Templates are already applied: a Neighbor
 * carries everything it inherited (`inherit NAME;`): its own settings win over a template's.
 *
 * The whole result is JSON-serialisable (no bigint, no Uint8Array, no Map), so `JSON.stringify` prints it.
 */

import type { FamilyKey, RouteDistinguisher } from 'bgp-codec';

/** Where a value was written: 1-based line and column in `file`. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** An address family: the names ExaBGP writes (`ipv4 unicast`) and the IANA numbers. */
export interface Family {
  /** `ipv4` | `ipv6` | `l2vpn` | `bgp-ls` */
  afi: AfiName;
  /** `unicast` | `multicast` | `nlri-mpls` | `labeled-unicast` is spelled `nlri-mpls` | `mpls-vpn` | `flow` | ... */
  safi: SafiName;
  /** IANA AFI number (1, 2, 25, 16388) */
  afiCode: number;
  /** IANA SAFI number (1, 2, 4, 5, 65, 70, 71, 72, 73, 85, 128, 132, 133, 134) */
  safiCode: number;
  /** the codec's key of the family (bgp-codec `familyKey(afiCode, safiCode)`), to compare families */
  key: FamilyKey;
}

export type AfiName = 'ipv4' | 'ipv6' | 'l2vpn' | 'bgp-ls';
export type SafiName =
  | 'unicast'
  | 'multicast'
  | 'nlri-mpls'
  | 'mcast-vpn'
  | 'vpls'
  | 'evpn'
  | 'bgp-ls'
  | 'bgp-ls-vpn'
  | 'sr-policy'
  | 'mup'
  | 'mpls-vpn'
  | 'rtc'
  | 'flow'
  | 'flow-vpn';

/** The whole file. */
export interface Configuration {
  /** the file parsed (as given to the parser) */
  file: string;
  /** `process NAME { ... }` blocks, in file order */
  processes: Process[];
  /** `neighbor IP { ... }` blocks, in file order, templates applied */
  neighbors: Neighbor[];
  /** `template { neighbor NAME { ... } }` names defined in the file (already merged into the neighbors) */
  templates: string[];
}

/** `process NAME { run ...; encoder ...; }` */
export interface Process {
  /** `process NAME` */
  name: string;
  /** `run PROGRAM ARG ...;` the command line, split into words (quotes removed) */
  run: string[];
  /** `encoder text|json;` (ExaBGP's default: text) */
  encoder: 'text' | 'json';
  /** `respawn true|false;` (default true) */
  respawn: boolean;
  location: SourceLocation;
}

/** `neighbor PEER { ... }` with its templates applied. */
export interface Neighbor {
  /** `neighbor IP|PREFIX` the peer: an address, or a prefix (`10.0.0.0/24`) for a passive range */
  peerAddress: string;
  /** true when `peerAddress` is a prefix covering more than one address */
  peerRange: boolean;
  /** `local-address IP|auto;` ('auto' when absent or `auto`) */
  localAddress: string | 'auto';
  /** `local-link-local IPV6;` (fe80::/10) for the link-local next-hop capability */
  localLinkLocal?: string;
  /** `source-interface NAME;` */
  sourceInterface?: string;
  /**
   * `router-id IPV4;` - when absent, local-address if it is IPv4. The parser always sets it (ExaBGP refuses a
   * neighbor with neither); it stays optional for neighbors built by code.
   */
  routerId?: string;
  /** `local-as ASN|auto;` (asdot `1.10` is converted to 65546) */
  localAs: number | 'auto';
  /** `peer-as ASN|auto;` */
  peerAs: number | 'auto';
  /** `hold-time SECONDS;` default 180 (0 or 3..65535) */
  holdTime: number;
  /** `rate-limit N;` messages per second (undefined: no limit) */
  rateLimit?: number;
  /** `passive true|false;` ExaBGP 6 default: false unless configured */
  passive: boolean;
  /** `listen PORT;` the local port to listen on when configured */
  listen?: number;
  /** `connect PORT;` the remote port to connect to when configured */
  connect?: number;
  /** `description "TEXT";` */
  description?: string;
  /** `host-name NAME;` the FQDN capability host name (ExaBGP defaults to the machine's name at run time) */
  hostName?: string;
  /** `domain-name NAME;` the FQDN capability domain name */
  domainName?: string;
  /** `md5-password SECRET;` */
  md5Password?: string;
  /** `md5-base64 true|false;` the password is base64 (default false) */
  md5Base64: boolean;
  /** `md5-ip IP;` (defaults to local-address when an md5-password is set) */
  md5Ip?: string;
  /** `tcp-ao { keyid N; algorithm NAME; password SECRET; base64 BOOL; }` (RFC 5925) */
  tcpAo?: TcpAo;
  /** `ttl-security N;` or `outgoing-ttl N;` (1..255) */
  outgoingTtl?: number;
  /** `incoming-ttl N;` minimum accepted TTL (GTSM, 1..255) */
  incomingTtl?: number;
  /** `group-updates true|false;` default true: routes with identical attributes share an UPDATE */
  groupUpdates: boolean;
  /** `auto-flush true|false;` default true */
  autoFlush: boolean;
  /** `adj-rib-out true|false;` default false (ExaBGP turns it on when route-refresh is enabled) */
  adjRibOut: boolean;
  /** `adj-rib-in true|false;` default false */
  adjRibIn: boolean;
  /** `manual-eor true|false;` default false: when true End-of-RIB is only sent on an API command */
  manualEor: boolean;
  /** `inherit NAME;` the templates applied, in order */
  inherit: string[];
  /**
   * `family { ipv4 unicast; ... }` in the order written (the neighbor's, then its templates'; ExaBGP itself
   * keeps them sorted by AFI then SAFI). Empty when there is no family block: ExaBGP then negotiates every
   * family it knows (see `familyBlock`).
   */
  families: Family[];
  /** false when no `family { }` block was given (ExaBGP announces all its known families) */
  familyBlock: boolean;
  /**
   * `add-path { ipv4 unicast [limit N]; }` - families for which the add-path capability is advertised
   * (in the mode of `capability { add-path MODE; }`). When `capability add-path` is on and no add-path block
   * exists, ExaBGP uses every configured family: this list is already filled in that case. With neither an
   * add-path block nor a family block, ExaBGP uses every family it knows: the list is then empty and
   * `familyBlock` false, the encoder applies the mode to its list of known families.
   */
  addPath: AddPathFamily[];
  /** `nexthop { ipv4 unicast ipv6; }` RFC 8950 extended next-hop entries (only kept when capability nexthop is on) */
  nexthop: NextHopFamily[];
  /** `capability { ... }` */
  capabilities: Capabilities;
  /** `api [NAME] { processes [...]; neighbor-changes; send {...} receive {...} }` blocks */
  api: Api[];
  /**
   * Every route: `static { route ... }`, `announce { ipv4 { unicast ... } }`, `flow { route ... }`,
   * `l2vpn { vpls ... }`; the neighbor's own routes first, then each inherited template's (ExaBGP's order),
   * each in file order.
   */
  routes: Route[];
  /** `operational { asm ...; adm ...; ... }` advisory / state messages */
  operational: OperationalMessage[];
  location: SourceLocation;
}

/** `tcp-ao { ... }` */
export interface TcpAo {
  /** `keyid N;` 0..255 */
  keyid: number;
  /** `algorithm hmac-sha-1-96|aes-128-cmac-96|hmac-sha-256;` */
  algorithm: string;
  /** `password SECRET;` */
  password: string;
  /** `base64 true|false;` */
  base64: boolean;
}

/** One line of `add-path { AFI SAFI [limit N]; }` */
export interface AddPathFamily {
  family: Family;
  /** `limit N` (draft-ietf-idr-add-paths-guidelines paths-limit capability); 0 when absent */
  limit: number;
}

/** One `nexthop { AFI SAFI NHAFI; }` entry: routes of `family` may carry a next-hop of `nextHopAfi` (RFC 8950) */
export interface NextHopFamily {
  family: Family;
  nextHopAfi: AfiName;
  nextHopAfiCode: number;
}

/**
 * `capability { ... }` with ExaBGP's defaults applied. `undefined` means "not configured" where ExaBGP keeps
 * a third state (it then decides from other settings).
 */
export interface Capabilities {
  /** `asn4 BOOL;` default true (RFC 6793 capability 65) */
  asn4: boolean;
  /** `route-refresh BOOL;` default false (capabilities 2 and 70) */
  routeRefresh: boolean;
  /**
   * `graceful-restart [SECONDS|BOOL];` false = not advertised; a number = the restart time (a configured 0,
   * or the keyword alone, means the hold time, already substituted here as ExaBGP does)
   */
  gracefulRestart: false | number;
  /** `add-path disable|receive|send|send/receive;` 0 disabled, 1 receive, 2 send, 3 both (RFC 7911) */
  addPath: 0 | 1 | 2 | 3;
  /** `multi-session BOOL;` default false */
  multiSession: boolean;
  /** `operational BOOL;` default false */
  operational: boolean;
  /** `aigp BOOL;` undefined when not configured */
  aigp?: boolean;
  /** `extended-message BOOL;` default true (RFC 8654 capability 6) */
  extendedMessage: boolean;
  /** `software-version BOOL;` default false (capability 75) */
  softwareVersion: boolean;
  /** `nexthop BOOL;` RFC 8950 (capability 5); undefined = on when a `nexthop { }` block exists */
  nexthop?: boolean;
  /** `link-local-nexthop BOOL;` (capability 77); undefined when not configured */
  linkLocalNexthop?: boolean;
  /** `link-local-prefer BOOL;` default false */
  linkLocalPrefer: boolean;
}

/** `api [NAME] { ... }` */
export interface Api {
  /** the block's name (generated when anonymous) */
  name: string;
  /** `processes [ NAME ... ];` */
  processes: string[];
  /** `processes-match [ REGEX ... ];` */
  processesMatch: string[];
  /** `neighbor-changes;` */
  neighborChanges: boolean;
  /** `negotiated;` */
  negotiated: boolean;
  /** `fsm;` */
  fsm: boolean;
  /** `signal;` */
  signal: boolean;
  /** `send { parsed; packets; consolidate; open; update; ... }` */
  send: ApiMessages;
  /** `receive { ... }` */
  receive: ApiMessages;
}

/** The message kinds an api `send`/`receive` block forwards, and how. */
export interface ApiMessages {
  /** `parsed;` */
  parsed: boolean;
  /** `packets;` */
  packets: boolean;
  /** `consolidate;` */
  consolidate: boolean;
  /** `open;` */
  open: boolean;
  /** `update;` */
  update: boolean;
  /** `notification;` */
  notification: boolean;
  /** `keepalive;` */
  keepalive: boolean;
  /** `refresh;` */
  refresh: boolean;
  /** `operational;` */
  operational: boolean;
}

/** `operational { asm afi ipv4 safi unicast advisory "text"; ... }` */
export interface OperationalMessage {
  /** `asm` (advisory state), `adm` (advisory demand), `rpcq`, `rpcp`, `apcq`, `apcp`, `lpcq`, `lpcp` */
  kind: string;
  family: Family;
  /** `advisory "TEXT"` for asm/adm */
  advisory?: string;
  /** the remaining key/value pairs as written (sequence, counter, ...) */
  fields: Record<string, string | number>;
  location: SourceLocation;
}

/** One route to announce (or withdraw). */
export interface Route {
  /** the family the NLRI belongs to */
  family: Family;
  /** the NLRI */
  nlri: Nlri;
  /** `next-hop IP|self;` ('self' is resolved by the speaker to its local address); absent for flow routes */
  nextHop?: string | 'self';
  /**
   * path attributes. Routes written with the same attribute text share one Attributes object (compare by
   * identity to group them); treat it as read-only.
   */
  attributes: Attributes;
  /**
   * `split /LEN;` as configured. The parser has already expanded the route into its more specifics of that
   * length (as ExaBGP does while parsing): each resulting route carries this value for reference only.
   */
  split?: number;
  /** `watchdog NAME;` the route is held back until the API announces the watchdog */
  watchdog?: string;
  /** `withdraw;` the route starts withdrawn (with a watchdog) */
  withdraw: boolean;
  /** `name NAME;` */
  name?: string;
  location: SourceLocation;
}

/**
 * `rd ADMIN:ASSIGNED` (RFC 4364 §4.2): the codec's Route Distinguisher, type 0 = 2-byte ASN:4-byte,
 * 1 = IPv4:2-byte (the address as an unsigned number), 2 = 4-byte ASN:2-byte.
 */
export type { RouteDistinguisher };

/** The NLRI of a route, by kind. */
export type Nlri = PrefixNlri | FlowNlri | VplsNlri | MupNlri | MvpnNlri | SrPolicyNlri;

/** unicast, multicast, nlri-mpls (labelled, RFC 8277) and mpls-vpn (RFC 4364) prefixes */
export interface PrefixNlri {
  kind: 'prefix';
  /** `route 10.0.0.0/8` the prefix, normalised `address/length` (a host route without length gets /32 or /128) */
  prefix: string;
  /** the prefix's network address */
  address: string;
  /** the prefix length */
  length: number;
  /** `path-information ID;` (RFC 7911 path identifier; configured as an IPv4 address or a number) */
  pathInformation?: number;
  /** `label N;` or `label [ N N ];` MPLS label values (20 bits each), in stack order */
  labels?: number[];
  /** `rd X:Y;` or `route-distinguisher X:Y;` */
  rd?: RouteDistinguisher;
}

/** `flow { route NAME { match { ... } then { ... } } }` (RFC 8955/8956) */
export interface FlowNlri {
  kind: 'flow';
  /** `rd X:Y;` for flow-vpn */
  rd?: RouteDistinguisher;
  /** the match components, sorted by type as RFC 8955 §4 requires */
  components: FlowComponent[];
}

/** One flow specification component (RFC 8955 §4.2.2) */
export type FlowComponent = FlowPrefixComponent | FlowNumericComponent;

/** `destination PREFIX;` (type 1) / `source PREFIX;` (type 2); IPv6 may carry an offset: `::1/128/120` */
export interface FlowPrefixComponent {
  type: 1 | 2;
  /** `destination` | `source` */
  keyword: 'destination' | 'source';
  prefix: string;
  address: string;
  length: number;
  /** IPv6 only: the prefix offset (RFC 8956 §3.1) */
  offset?: number;
}

/** A component made of operator/value pairs (types 3..13) */
export interface FlowNumericComponent {
  /** 3 protocol/next-header, 4 port, 5 destination-port, 6 source-port, 7 icmp-type, 8 icmp-code,
   * 9 tcp-flags, 10 packet-length, 11 dscp/traffic-class, 12 fragment, 13 flow-label */
  type: number;
  /** the keyword as written (`destination-port`, `protocol`, `next-header`, ...) */
  keyword: string;
  /** the operator/value pairs in the order written; `and` joins a pair to the previous one (`>8080&<8088`) */
  terms: FlowTerm[];
}

/** One operator/value pair of a flow component */
export interface FlowTerm {
  /** true when joined to the previous term with `&` (logical AND, RFC 8955 §4.2.1.1 `a` bit) */
  and: boolean;
  /**
   * numeric operators (`=`, `>`, `<`, `>=`, `<=`, `!=`, `true`, `false`; no operator written means `=`) or,
   * for tcp-flags and fragment, bitmask operators: `match` (written `=`), `not` (`!`), `not-match` (`!=`),
   * `include` (no operator written)
   */
  op: string;
  /** the value as a number (protocol names, tcp flag names and fragment names already converted) */
  value: number;
}

/** `l2vpn { vpls NAME { endpoint; base; offset; size; rd; ... } }` (RFC 4761) */
export interface VplsNlri {
  kind: 'vpls';
  rd: RouteDistinguisher;
  /** `endpoint N;` the VE ID */
  endpoint: number;
  /** `base N;` label base */
  base: number;
  /** `offset N;` label block offset */
  offset: number;
  /** `size N;` label block size */
  size: number;
}

/** `mup mup-isd|mup-dsd|mup-t1st|mup-t2st ...` (draft-mpmz-bess-mup-safi) */
export interface MupNlri {
  kind: 'mup';
  /** `mup-isd` | `mup-dsd` | `mup-t1st` | `mup-t2st` */
  routeType: 'mup-isd' | 'mup-dsd' | 'mup-t1st' | 'mup-t2st';
  rd: RouteDistinguisher;
  /** isd / t1st: the prefix; dsd / t2st: the address */
  prefix?: string;
  address?: string;
  /** t1st / t2st: `teid N` (t2st: `teid N/LEN`) */
  teid?: number;
  teidLength?: number;
  /** t1st: `qfi N` */
  qfi?: number;
  /** t1st: `endpoint IP` */
  endpoint?: string;
  /** t1st: `source IP` */
  source?: string;
}

/** `mcast-vpn shared-join|source-join|source-ad ...` (RFC 6514) */
export interface MvpnNlri {
  kind: 'mvpn';
  routeType: 'shared-join' | 'source-join' | 'source-ad';
  rd: RouteDistinguisher;
  /** `rp IP` (shared-join) or `source IP` (source-join, source-ad) */
  source: string;
  /** `group IP` */
  group: string;
  /** `source-as ASN` (joins) */
  sourceAs?: number;
}

/** `sr-policy distinguisher N color N endpoint IP ...` (draft-ietf-idr-sr-policy-safi / RFC 9830) */
export interface SrPolicyNlri {
  kind: 'sr-policy';
  distinguisher: number;
  color: number;
  endpoint: string;
  /** the tunnel encapsulation content (preference, binding-sid, segment lists, ...), as parsed */
  policy: SrPolicy;
}

export interface SrPolicy {
  /** `preference N` */
  preference?: number;
  /** `priority N` */
  priority?: number;
  /** `policy-name "TEXT"` */
  policyName?: string;
  /** `candidate-path-name "TEXT"` */
  candidatePathName?: string;
  /** `binding-sid mpls LABEL` or `binding-sid null` */
  bindingSid?: number | 'null';
  /** `srv6-binding-sid IPV6` */
  srv6BindingSid?: string;
  /** `enlp N` */
  enlp?: number;
  /** `segment-list weight N segment ...` each list in order */
  segmentLists: SrSegmentList[];
}

export interface SrSegmentList {
  weight?: number;
  /** each `segment type-X ...`: the type letter and the words that follow it, as key/value pairs */
  segments: { type: string; fields: Record<string, string | number | number[]> }[];
}

/** Path attributes of a route. Absent means "not configured" (defaults are the encoder's business). */
export interface Attributes {
  /** `origin igp|egp|incomplete;` */
  origin?: 'igp' | 'egp' | 'incomplete';
  /** `as-path [ 1 2 ( 3 4 ) ];` segments in order: `( ... )` is an AS_SET; `{ }`-less list an AS_SEQUENCE */
  asPath?: AsPathSegment[];
  /** `med N;` MULTI_EXIT_DISC */
  med?: number;
  /** `local-preference N;` */
  localPreference?: number;
  /** `atomic-aggregate;` */
  atomicAggregate?: boolean;
  /** `aggregator ( ASN:IP );` */
  aggregator?: { asn: number; address: string };
  /** `community [ 65000:1 no-export 0x12345678 ];` each as a 32-bit number, in the configured order */
  communities?: number[];
  /** `extended-community [ target:65000:1 origin:1.2.3.4:5 redirect:... rate-limit:... ];` in the configured order */
  extendedCommunities?: ExtendedCommunity[];
  /** `large-community [ 1:2:3 ];` each as [global administrator, local data 1, local data 2], configured order */
  largeCommunities?: [number, number, number][];
  /** `originator-id IPV4;` */
  originatorId?: string;
  /** `cluster-list [ IPV4 ... ];` */
  clusterList?: string[];
  /** `aigp N;` accumulated IGP metric (a safe integer) */
  aigp?: number;
  /** `bgp-prefix-sid [ N ] | [ N, [ (base,range) ... ] ];` (RFC 8669) */
  bgpPrefixSid?: BgpPrefixSid;
  /** `bgp-prefix-sid-srv6 ( l3-service|l2-service IPV6 [BEHAVIOR] [[structure]] );` (RFC 9252) */
  bgpPrefixSidSrv6?: BgpPrefixSidSrv6;
  /** `attribute [ CODE FLAGS VALUE ];` generic attributes, in the configured order */
  generic?: GenericAttribute[];
}

/** One AS_PATH segment (RFC 4271 §4.3, RFC 5065 for confederations) */
export interface AsPathSegment {
  type: 'sequence' | 'set' | 'confed-sequence' | 'confed-set';
  asns: number[];
}

/** One extended community (RFC 4360), 8 bytes, or an IPv6 address specific one (RFC 5701), 20 bytes. */
export interface ExtendedCommunity {
  /** as configured (`target:65000:1`, `rate-limit:9600`, `0x0002fde800000001`, ...) */
  text: string;
  /** the bytes in wire order, lowercase hex (16 digits, or 40 for an IPv6 address specific one) */
  hex: string;
  /** true for an IPv6 address specific extended community (attribute 25) */
  ipv6: boolean;
}

/** `attribute [ 0xCODE 0xFLAGS 0xVALUE ];` */
export interface GenericAttribute {
  code: number;
  flags: number;
  /** the value, lowercase hex */
  hex: string;
}

/** RFC 8669 BGP Prefix-SID for labelled unicast */
export interface BgpPrefixSid {
  /** Label-Index TLV */
  labelIndex: number;
  /** Originator SRGB TLV: (base, range) pairs */
  srgbs: [number, number][];
}

/** RFC 9252 SRv6 Services TLV */
export interface BgpPrefixSidSrv6 {
  service: 'l3-service' | 'l2-service';
  sid: string;
  /** endpoint behaviour (SRv6 Endpoint Behavior code point) when given */
  behavior?: number;
  /** SID structure [locator-block, locator-node, function, argument, transposition-length, transposition-offset] */
  structure?: [number, number, number, number, number, number];
}
