import { BgpError, ErrorCode, OpenSubcode } from './errors.js';
import { afiName } from './families/key.js';
import { safiName } from './families/table.js';
import { hexUpper, pyJsonString } from './json/format.js';
import { ByteWriter } from './writer.js';

/**
 * BGP capabilities (RFC 5492) as a typed union, and one registry row per capability code: its name, how its
 * value is decoded and how it is encoded. A capability the registry does not know is kept as
 * {@link UnknownCapability}, code and raw value, so it re-encodes byte for byte (RFC 5492 §4: a speaker
 * ignores capabilities it does not understand).
 *
 * A decoded list holds one entry per capability as it appeared on the wire, in wire order: an OPEN with two
 * Multiprotocol capabilities gives two {@link MultiprotocolCapability} entries (RFC 4760 §8 sends one per
 * family). Decoded values never alias the input bytes.
 */

/** IANA capability codes this codec decodes into typed values. */
export const CapabilityCode = {
  MULTIPROTOCOL: 1,
  ROUTE_REFRESH: 2,
  EXTENDED_NEXT_HOP: 5,
  EXTENDED_MESSAGE: 6,
  GRACEFUL_RESTART: 64,
  ASN4: 65,
  MULTISESSION: 68,
  ADD_PATH: 69,
  ENHANCED_ROUTE_REFRESH: 70,
  FQDN: 73,
  SOFTWARE_VERSION: 75,
  LINK_LOCAL_NEXT_HOP: 77,
  ROUTE_REFRESH_CISCO: 128,
  MULTISESSION_CISCO: 131,
} as const;

/** RFC 4760 §8: one <AFI, SAFI> the speaker supports. */
export interface MultiprotocolCapability {
  readonly type: 'multiprotocol';
  readonly afi: number;
  readonly safi: number;
}

/** RFC 2918 §2: the speaker accepts ROUTE-REFRESH messages. */
export interface RouteRefreshCapability {
  readonly type: 'route-refresh';
}

/** RFC 8950 §3: NLRI of <afi, safi> may carry a next hop of `nextHopAfi`. */
export interface ExtendedNextHopEntry {
  readonly afi: number;
  readonly safi: number;
  readonly nextHopAfi: number;
}

/** RFC 8950 §3 (code 5): the NLRI families for which the speaker takes next hops of another address family. */
export interface ExtendedNextHopCapability {
  readonly type: 'extended-next-hop';
  readonly entries: readonly ExtendedNextHopEntry[];
}

/** RFC 8654 §3: messages other than OPEN and KEEPALIVE may be up to 65535 bytes. */
export interface ExtendedMessageCapability {
  readonly type: 'extended-message';
}

/** RFC 4724 §3 restart flags (high 4 bits of the first two octets); N is RFC 8538 §2. */
export const GracefulRestartFlag = {
  RESTART: 0x8,
  NOTIFICATION: 0x4,
} as const;

/** RFC 4724 §3 per-family flags. */
export const GracefulRestartFamilyFlag = {
  FORWARDING_STATE: 0x80,
} as const;

/** One family of a Graceful Restart capability (RFC 4724 §3). */
export interface GracefulRestartFamily {
  readonly afi: number;
  readonly safi: number;
  /** RFC 4724 §3: bit 0x80 is Forwarding State preserved. */
  readonly flags: number;
}

/** RFC 4724 §3 (code 64): restart flags, restart time and the families whose forwarding state is kept. */
export interface GracefulRestartCapability {
  readonly type: 'graceful-restart';
  /** 4 bits: {@link GracefulRestartFlag}. */
  readonly restartFlags: number;
  /** 12 bits: seconds. */
  readonly restartTime: number;
  readonly families: readonly GracefulRestartFamily[];
}

/** RFC 6793 §3: the speaker's 4-octet AS number. */
export interface Asn4Capability {
  readonly type: 'asn4';
  readonly asn: number;
}

/** RFC 7911 §4 Send/Receive values. */
export const AddPathDirection = {
  RECEIVE: 1,
  SEND: 2,
  BOTH: 3,
} as const;

/** One family of an ADD-PATH capability (RFC 7911 §4) and whether paths are sent, received or both. */
export interface AddPathFamily {
  readonly afi: number;
  readonly safi: number;
  /** {@link AddPathDirection}; other values are kept as received (RFC 7911 §4: such a family is ignored). */
  readonly sendReceive: number;
}

/** RFC 7911 §4 (code 69): the families for which the speaker sends and/or receives path identifiers. */
export interface AddPathCapability {
  readonly type: 'add-path';
  readonly families: readonly AddPathFamily[];
}

/** RFC 7313 §3: the speaker supports BoRR/EoRR demarcation. */
export interface EnhancedRouteRefreshCapability {
  readonly type: 'enhanced-route-refresh';
}

/** draft-walton-bgp-hostname-capability: the speaker's host and domain names. */
export interface FqdnCapability {
  readonly type: 'fqdn';
  readonly hostname: string;
  readonly domain: string;
}

/** draft-abraitis-bgp-version-capability: the speaker's software version. */
export interface SoftwareVersionCapability {
  readonly type: 'software-version';
  readonly version: string;
}

/** draft-ietf-idr-linklocal-capability: an IPv6 link-local address alone may be a next hop. */
export interface LinkLocalNextHopCapability {
  readonly type: 'link-local-next-hop';
}

/**
 * draft-ietf-idr-bgp-multisession (expired), code 68, or Cisco's pre-standard code 131. ExaBGP does not
 * interpret the value on receipt and advertises it as separate capabilities: one with the flags octet 0,
 * then one per capability code that identifies a session (see {@link multisessionCapabilities}).
 */
export interface MultisessionCapability {
  readonly type: 'multisession';
  readonly variant: 'rfc' | 'cisco';
  readonly data: Uint8Array;
}

/** Cisco's pre-standard route refresh, code 128, sent alongside code 2 by older routers. */
export interface RouteRefreshCiscoCapability {
  readonly type: 'route-refresh-cisco';
}

/** Any capability this codec does not interpret: its code and raw value. */
export interface UnknownCapability {
  readonly type: 'unknown';
  readonly code: number;
  readonly data: Uint8Array;
}

/** Every capability of an OPEN (RFC 5492), discriminated by `type`; unknown codes are kept as received. */
export type Capability =
  | MultiprotocolCapability
  | RouteRefreshCapability
  | ExtendedNextHopCapability
  | ExtendedMessageCapability
  | GracefulRestartCapability
  | Asn4Capability
  | MultisessionCapability
  | AddPathCapability
  | EnhancedRouteRefreshCapability
  | FqdnCapability
  | SoftwareVersionCapability
  | LinkLocalNextHopCapability
  | RouteRefreshCiscoCapability
  | UnknownCapability;

/** The `type` names of {@link Capability}. */
export type CapabilityType = Capability['type'];

/** One registry row: everything about one capability code. */
export interface CapabilityRow<C extends Capability = Capability> {
  readonly code: number;
  readonly type: C['type'];
  /** The name of the specification that defines it. */
  readonly name: string;
  /** Decode the Capability Value; throws {@link BgpError} 2/0 when it is malformed. */
  readonly decode: (value: Uint8Array) => C;
  /** Write the Capability Value (not the code or length). */
  readonly encode: (capability: C, writer: ByteWriter) => void;
  /** What ExaBGP prints for the capability in an OPEN's JSON (its capability class's json()). */
  // biome-ignore lint/suspicious/noExplicitAny: each row folds into an entry of its own type
  readonly json: CapabilityJson<C, any>;
}

/**
 * ExaBGP's JSON of a capability code. ExaBGP folds the capabilities of an OPEN into one entry per code, in
 * the order each code first appears (Capabilities.unpack): some classes accumulate (multiprotocol, ADD-PATH,
 * extended next hop), the others keep the last one received.
 */
export interface CapabilityJson<C extends Capability, E> {
  /** The entry after `capability`, from the entry of its code so far (undefined for the first). */
  fold(entry: E | undefined, capability: C): E;
  /** The entry's JSON; `open` is every capability of the OPEN (some print the variant of the last one read). */
  print(entry: E, open: readonly Capability[]): string;
}

/** A capability whose entry is the last one of its code, printed on its own. */
function last<C extends Capability>(print: (capability: C) => string): CapabilityJson<C, C> {
  return { fold: (_entry, capability) => capability, print: (entry) => print(entry) };
}

const capabilityFamily = (afi: number, safi: number) => `${afiName(afi)}/${safiName(safi)}`;

/**
 * ExaBGP registers one class for route refresh codes 2 and 128, and one for multisession codes 68 and 131,
 * and looking a class up by code sets the class's ID: every entry of the class prints the variant of the
 * code read last.
 */
function lastIsCisco(open: readonly Capability[], rfc: CapabilityType, cisco: CapabilityType): boolean {
  let isCisco = false;
  for (const c of open) {
    if (c.type === rfc || c.type === cisco) {
      isCisco = c.type === 'multisession' ? c.variant === 'cisco' : c.type === cisco;
    }
  }
  return isCisco;
}

const ROUTE_REFRESH_JSON: CapabilityJson<Capability, Capability> = {
  fold: (_entry, capability) => capability,
  print: (_entry, open) =>
    `{ "name": "route-refresh", "variant": "${lastIsCisco(open, 'route-refresh', 'route-refresh-cisco') ? 'Cisco' : 'RFC'}" }`,
};

const ADD_PATH_NAMES: Readonly<Record<number, string>> = { 0: 'disabled', 1: 'receive', 2: 'send', 3: 'send/receive' };

/** unknown.py: IANA's range for the code, and the value in upper-case hex. */
function unknownJson(capability: UnknownCapability): string {
  const code = capability.code;
  const iana = code >= 70 && code < 128 ? 'unassigned' : code >= 128 && code < 256 ? 'reserved' : 'unknown';
  return `{ "name": "unknown", "iana": "${iana}", "value": ${code}, "raw": "${hexUpper(capability.data)}" }`;
}

/**
 * Capabilities ExaBGP interprets that the codec keeps raw, as {@link UnknownCapability}: what ExaBGP prints
 * for them. Any other raw code prints as ExaBGP's unknown capability.
 */
const RAW_CAPABILITY_JSON: ReadonlyMap<number, CapabilityJson<UnknownCapability, unknown>> = new Map<
  number,
  CapabilityJson<UnknownCapability, unknown>
>([
  [
    // draft-abraitis-idr-addpath-paths-limit: AFI (2), SAFI (1), limit (2), repeated.
    76,
    {
      fold(entry, capability) {
        const families = (entry as Map<string, number> | undefined) ?? new Map<string, number>();
        const d = capability.data;
        for (let at = 0; at + 5 <= d.length; at += 5) {
          families.set(capabilityFamily((d[at]! << 8) | d[at + 1]!, d[at + 2]!), (d[at + 3]! << 8) | d[at + 4]!);
        }
        return families;
      },
      print(entry) {
        const families = [...(entry as Map<string, number>)].map(([name, limit]) => `"${name}": ${limit}`).join(', ');
        return `{ "name": "paths-limit"${families ? ', ' : ''}${families} }`;
      },
    },
  ],
  // draft-ietf-idr-operational-message, ExaBGP's own code.
  [185, last(() => '{ "name": "operational" }')],
]);

const UNKNOWN_CAPABILITY_JSON: CapabilityJson<UnknownCapability, UnknownCapability> = last(unknownJson);

/** The JSON of a capability's code: its row's, or for a code the codec keeps raw, ExaBGP's. */
export function capabilityJson(capability: Capability): CapabilityJson<Capability, unknown> {
  if (capability.type !== 'unknown') return BY_CODE[capabilityCode(capability)]!.json;
  return (RAW_CAPABILITY_JSON.get(capability.code) ?? UNKNOWN_CAPABILITY_JSON) as CapabilityJson<Capability, unknown>;
}

/**
 * RFC 5492 defines no subcode for a malformed capability value, so the Unspecific subcode 0 is used (RFC 4271
 * Errata 4493 registered subcode 0 "Unspecific" for every error code). 2/7 Unsupported Capability is for
 * capabilities the peer requires and we lack (RFC 5492 §5), which needs configuration and is the FSM's call.
 */
function malformed(name: string, detail: string): BgpError {
  return new BgpError('malformed-capability', ErrorCode.OPEN_MESSAGE, 0, undefined, `${name} capability: ${detail}`);
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] as number) << 8) | (b[at + 1] as number);
}

function u32(b: Uint8Array, at: number): number {
  return (
    (((b[at] as number) << 24) |
      ((b[at + 1] as number) << 16) |
      ((b[at + 2] as number) << 8) |
      (b[at + 3] as number)) >>>
    0
  );
}

function checkRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${what} ${value} is not in 0..${max}`);
}

/** Rows are written with their own capability type and stored as rows of the union. */
function row<C extends Capability>(definition: CapabilityRow<C>): CapabilityRow {
  return definition as unknown as CapabilityRow;
}

function emptyValue<C extends Capability>(
  code: number,
  type: C['type'],
  name: string,
  value: C,
  json: CapabilityJson<C, unknown>,
): CapabilityRow {
  return row<C>({
    code,
    type,
    name,
    json,
    decode(bytes) {
      // The specifications give these capabilities a length of 0 (RFC 2918 §2, RFC 8654 §3, RFC 7313 §3).
      if (bytes.length !== 0) throw malformed(name, `length ${bytes.length}, expected 0`);
      return value;
    },
    encode() {},
  });
}

/** Entries of a fixed size, `count * size` bytes (RFC 7911 §4, RFC 8950 §3, RFC 4724 §3 after its header). */
function entries<T>(name: string, bytes: Uint8Array, from: number, size: number, read: (at: number) => T): T[] {
  if ((bytes.length - from) % size !== 0) {
    throw malformed(name, `length ${bytes.length} is not ${from ? `${from} + ` : ''}a multiple of ${size}`);
  }
  const out: T[] = [];
  for (let at = from; at < bytes.length; at += size) out.push(read(at));
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

function text(name: string, bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw malformed(name, `the ${what} is not valid UTF-8`);
  }
}

/** A 1-byte length and that many bytes of UTF-8. */
function writeShortString(writer: ByteWriter, value: string): void {
  const at = writer.mark(1);
  writer.bytes(utf8Encoder.encode(value));
  writer.fill(at, 1);
}

const ROUTE_REFRESH: RouteRefreshCapability = Object.freeze({ type: 'route-refresh' });
const EXTENDED_MESSAGE: ExtendedMessageCapability = Object.freeze({ type: 'extended-message' });
const ENHANCED_ROUTE_REFRESH: EnhancedRouteRefreshCapability = Object.freeze({ type: 'enhanced-route-refresh' });
const LINK_LOCAL_NEXT_HOP: LinkLocalNextHopCapability = Object.freeze({ type: 'link-local-next-hop' });
const ROUTE_REFRESH_CISCO: RouteRefreshCiscoCapability = Object.freeze({ type: 'route-refresh-cisco' });

const MULTISESSION_JSON: CapabilityJson<MultisessionCapability, MultisessionCapability> = {
  fold: (_entry, capability) => capability,
  // ms.py does not read the value on receipt: the list of session capabilities stays empty.
  print: (_entry, open) =>
    `{ "name": "multisession", "variant": "${lastIsCisco(open, 'multisession', 'multisession') ? 'Cisco' : 'RFC'}", "capabilities": [ ] }`,
};

function multisessionRow(code: number, variant: 'rfc' | 'cisco', name: string): CapabilityRow {
  return row<MultisessionCapability>({
    code,
    type: 'multisession',
    name,
    json: MULTISESSION_JSON,
    decode: (data) => ({ type: 'multisession', variant, data: new Uint8Array(data) }),
    encode: (capability, writer) => {
      writer.bytes(capability.data);
    },
  });
}

const ROWS: readonly CapabilityRow[] = [
  row<MultiprotocolCapability>({
    code: CapabilityCode.MULTIPROTOCOL,
    type: 'multiprotocol',
    name: 'Multiprotocol Extensions (RFC 4760)',
    json: {
      fold(entry: string[] | undefined, capability) {
        const families = entry ?? [];
        const name = capabilityFamily(capability.afi, capability.safi);
        if (!families.includes(name)) families.push(name);
        return families;
      },
      print: (families: string[]) =>
        `{ "name": "multiprotocol", "families": [${families.map((f) => ` "${f}"`).join(',')} ] }`,
    },
    decode(value): MultiprotocolCapability {
      // RFC 4760 §8: AFI (2), Reserved (1, ignored by the receiver), SAFI (1).
      if (value.length !== 4) throw malformed('Multiprotocol', `length ${value.length}, expected 4`);
      return { type: 'multiprotocol', afi: u16(value, 0), safi: value[3] as number };
    },
    encode(capability: MultiprotocolCapability, writer) {
      checkRange(capability.afi, 0xffff, 'AFI');
      checkRange(capability.safi, 0xff, 'SAFI');
      writer.u16(capability.afi).u8(0).u8(capability.safi);
    },
  }),
  emptyValue(
    CapabilityCode.ROUTE_REFRESH,
    'route-refresh',
    'Route Refresh (RFC 2918)',
    ROUTE_REFRESH,
    ROUTE_REFRESH_JSON,
  ),
  row<ExtendedNextHopCapability>({
    code: CapabilityCode.EXTENDED_NEXT_HOP,
    type: 'extended-next-hop',
    name: 'Extended Next Hop Encoding (RFC 8950)',
    json: {
      fold(entry: string[] | undefined, capability) {
        const conversions = entry ?? [];
        for (const e of capability.entries) {
          // nexthop.py reads the SAFI from the low octet of the 2-octet field.
          const name = `${capabilityFamily(e.afi, e.safi & 0xff)}/${afiName(e.nextHopAfi)}`;
          if (!conversions.includes(name)) conversions.push(name);
        }
        return conversions;
      },
      print: (conversions: string[]) =>
        `{ "name": "nexthop", "conversion": [${conversions.map((c) => ` "${c}"`).join(',')} ] }`,
    },
    decode(value): ExtendedNextHopCapability {
      // RFC 8950 §3: tuples of NLRI AFI (2), NLRI SAFI (2), Nexthop AFI (2).
      const list = entries('Extended Next Hop', value, 0, 6, (at) => ({
        afi: u16(value, at),
        safi: u16(value, at + 2),
        nextHopAfi: u16(value, at + 4),
      }));
      return { type: 'extended-next-hop', entries: list };
    },
    encode(capability: ExtendedNextHopCapability, writer) {
      for (const entry of capability.entries) {
        checkRange(entry.afi, 0xffff, 'AFI');
        checkRange(entry.safi, 0xffff, 'SAFI');
        checkRange(entry.nextHopAfi, 0xffff, 'next hop AFI');
        writer.u16(entry.afi).u16(entry.safi).u16(entry.nextHopAfi);
      }
    },
  }),
  emptyValue(
    CapabilityCode.EXTENDED_MESSAGE,
    'extended-message',
    'Extended Message (RFC 8654)',
    EXTENDED_MESSAGE,
    last(() => '{ "name": "extended-message", "size": 65535 }'),
  ),
  row<GracefulRestartCapability>({
    code: CapabilityCode.GRACEFUL_RESTART,
    type: 'graceful-restart',
    name: 'Graceful Restart (RFC 4724)',
    json: last((capability: GracefulRestartCapability) => {
      // graceful.py: the per-family Forwarding State bit is printed as "restart", the Restart State flag as
      // "forwarding"; the odd spacing is ExaBGP's.
      const families = new Map<string, number>();
      for (const f of capability.families) families.set(capabilityFamily(f.afi, f.safi), f.flags & 0x80);
      const flags = [...families]
        .map(([name, flags]) => `"${name}": [${flags & 0x80 ? ' "restart"' : ''} ] `)
        .join(', ');
      const restart = `[${capability.restartFlags & 0x8 ? ' "forwarding" ' : ' '}] `;
      return `{ "name": "graceful restart", "time": ${capability.restartTime}, "address-family-flags": { ${flags}}, "restart-flags": ${restart} }`;
    }),
    decode(value): GracefulRestartCapability {
      // RFC 4724 §3: Restart Flags (4 bits) and Restart Time (12 bits), then AFI (2), SAFI (1), Flags (1).
      if (value.length < 2) throw malformed('Graceful Restart', `length ${value.length}, expected at least 2`);
      const head = u16(value, 0);
      const families = entries('Graceful Restart', value, 2, 4, (at) => ({
        afi: u16(value, at),
        safi: value[at + 2] as number,
        flags: value[at + 3] as number,
      }));
      return { type: 'graceful-restart', restartFlags: head >>> 12, restartTime: head & 0x0fff, families };
    },
    encode(capability: GracefulRestartCapability, writer) {
      checkRange(capability.restartFlags, 0xf, 'restart flags');
      checkRange(capability.restartTime, 0xfff, 'restart time');
      writer.u16((capability.restartFlags << 12) | capability.restartTime);
      for (const family of capability.families) {
        checkRange(family.afi, 0xffff, 'AFI');
        checkRange(family.safi, 0xff, 'SAFI');
        checkRange(family.flags, 0xff, 'family flags');
        writer.u16(family.afi).u8(family.safi).u8(family.flags);
      }
    },
  }),
  row<Asn4Capability>({
    code: CapabilityCode.ASN4,
    type: 'asn4',
    name: 'Support for 4-octet AS number (RFC 6793)',
    json: last((capability: Asn4Capability) => `{ "name": "asn4", "asn4": ${capability.asn} }`),
    decode(value): Asn4Capability {
      // RFC 6793 §3: the value is the 4-octet AS number.
      if (value.length !== 4) throw malformed('4-octet AS', `length ${value.length}, expected 4`);
      return { type: 'asn4', asn: u32(value, 0) };
    },
    encode(capability: Asn4Capability, writer) {
      checkRange(capability.asn, 0xffffffff, 'AS number');
      writer.u32(capability.asn);
    },
  }),
  multisessionRow(CapabilityCode.MULTISESSION, 'rfc', 'Multisession BGP (draft-ietf-idr-bgp-multisession)'),
  row<AddPathCapability>({
    code: CapabilityCode.ADD_PATH,
    type: 'add-path',
    name: 'ADD-PATH (RFC 7911)',
    json: {
      fold(entry: Map<string, number> | undefined, capability) {
        const families = entry ?? new Map<string, number>();
        for (const f of capability.families) families.set(capabilityFamily(f.afi, f.safi), f.sendReceive);
        return families;
      },
      print(families: Map<string, number>) {
        const text = [...families]
          .map(([name, value]) => `"${name}": ${pyJsonString(ADD_PATH_NAMES[value] ?? `invalid (${value})`)}`)
          .join(',');
        return `{ "name": "addpath"${text ? ', ' : ''}${text} }`;
      },
    },
    decode(value): AddPathCapability {
      // RFC 7911 §4: AFI (2), SAFI (1), Send/Receive (1), repeated.
      const families = entries('ADD-PATH', value, 0, 4, (at) => ({
        afi: u16(value, at),
        safi: value[at + 2] as number,
        sendReceive: value[at + 3] as number,
      }));
      return { type: 'add-path', families };
    },
    encode(capability: AddPathCapability, writer) {
      for (const family of capability.families) {
        checkRange(family.afi, 0xffff, 'AFI');
        checkRange(family.safi, 0xff, 'SAFI');
        checkRange(family.sendReceive, 0xff, 'Send/Receive');
        writer.u16(family.afi).u8(family.safi).u8(family.sendReceive);
      }
    },
  }),
  emptyValue(
    CapabilityCode.ENHANCED_ROUTE_REFRESH,
    'enhanced-route-refresh',
    'Enhanced Route Refresh (RFC 7313)',
    ENHANCED_ROUTE_REFRESH,
    last(() => '{ "name": "enhanced-route-refresh" }'),
  ),
  row<FqdnCapability>({
    code: CapabilityCode.FQDN,
    type: 'fqdn',
    name: 'FQDN (draft-walton-bgp-hostname-capability)',
    json: last(
      (c: FqdnCapability) => `{ "host-name": ${pyJsonString(c.hostname)}, "domain-name": ${pyJsonString(c.domain)} }`,
    ),
    decode(value): FqdnCapability {
      // Hostname Length (1), Hostname, Domain Name Length (1), Domain Name.
      const hostLength = value[0];
      if (hostLength === undefined || value.length < 2 + hostLength) {
        throw malformed('FQDN', `length ${value.length} leaves no room for the host name and domain length`);
      }
      const domainLength = value[1 + hostLength] as number;
      if (value.length !== 2 + hostLength + domainLength) {
        throw malformed('FQDN', `length ${value.length}, expected ${2 + hostLength + domainLength}`);
      }
      return {
        type: 'fqdn',
        hostname: text('FQDN', value.subarray(1, 1 + hostLength), 'host name'),
        domain: text('FQDN', value.subarray(2 + hostLength), 'domain name'),
      };
    },
    encode(capability: FqdnCapability, writer) {
      writeShortString(writer, capability.hostname);
      writeShortString(writer, capability.domain);
    },
  }),
  row<SoftwareVersionCapability>({
    code: CapabilityCode.SOFTWARE_VERSION,
    type: 'software-version',
    name: 'Software Version (draft-abraitis-bgp-version-capability)',
    json: last((c: SoftwareVersionCapability) => `{ "software": ${pyJsonString(c.version)} }`),
    decode(value): SoftwareVersionCapability {
      // Software Version Length (1), Software Version (UTF-8).
      const length = value[0];
      if (length === undefined || value.length !== 1 + length) {
        throw malformed('Software Version', `length ${value.length}, expected 1 + ${length ?? 'a length octet'}`);
      }
      return { type: 'software-version', version: text('Software Version', value.subarray(1), 'version') };
    },
    encode(capability: SoftwareVersionCapability, writer) {
      writeShortString(writer, capability.version);
    },
  }),
  emptyValue(
    CapabilityCode.LINK_LOCAL_NEXT_HOP,
    'link-local-next-hop',
    'Link-Local Next Hop (draft-ietf-idr-linklocal-capability)',
    LINK_LOCAL_NEXT_HOP,
    last(() => '{ "name": "link-local-nexthop" }'),
  ),
  emptyValue(
    CapabilityCode.ROUTE_REFRESH_CISCO,
    'route-refresh-cisco',
    'Route Refresh (Cisco pre-standard)',
    ROUTE_REFRESH_CISCO,
    ROUTE_REFRESH_JSON,
  ),
  multisessionRow(CapabilityCode.MULTISESSION_CISCO, 'cisco', 'Multisession BGP (Cisco pre-standard)'),
];

/** The registry: one row per capability code, indexed by code. */
export const CAPABILITY_REGISTRY: readonly CapabilityRow[] = ROWS;

const BY_CODE: Array<CapabilityRow | undefined> = new Array(256).fill(undefined);
const CODE_BY_TYPE = new Map<string, number>();
for (const row of ROWS) {
  BY_CODE[row.code] = row;
  if (!CODE_BY_TYPE.has(row.type)) CODE_BY_TYPE.set(row.type, row.code);
}

/** The registry row of a capability code, or `undefined` when the codec keeps that code raw. */
export function capabilityRow(code: number): CapabilityRow | undefined {
  return BY_CODE[code];
}

/** The capability code a value is encoded with. */
export function capabilityCode(capability: Capability): number {
  switch (capability.type) {
    case 'unknown':
      return capability.code;
    case 'multisession':
      return capability.variant === 'cisco' ? CapabilityCode.MULTISESSION_CISCO : CapabilityCode.MULTISESSION;
    default:
      return CODE_BY_TYPE.get(capability.type) as number;
  }
}

/** The specification's name of a capability code ("Route Refresh (RFC 2918)"), or "Unknown capability N". */
export function capabilityName(code: number): string {
  return BY_CODE[code]?.name ?? `Unknown capability ${code}`;
}

/** Decode one Capability Value; codes the registry does not know become {@link UnknownCapability}. */
export function decodeCapability(code: number, value: Uint8Array): Capability {
  const row = BY_CODE[code];
  if (row === undefined) return { type: 'unknown', code, data: new Uint8Array(value) };
  return row.decode(value);
}

/**
 * Write one capability as Code (1), Length (1), Value (RFC 5492 §4). A value longer than 255 bytes cannot be
 * encoded and throws a RangeError (a programming error of the caller, as is any field out of its range).
 */
export function encodeCapability(capability: Capability, writer: ByteWriter): void {
  const code = capabilityCode(capability);
  checkRange(code, 0xff, 'capability code');
  writer.u8(code);
  const at = writer.mark(1);
  if (capability.type === 'unknown') writer.bytes(capability.data);
  else (BY_CODE[code] as CapabilityRow).encode(capability, writer);
  writer.fill(at, 1);
}

/** The encoded Code, Length and Value of one capability. */
export function encodeCapabilityBytes(capability: Capability): Uint8Array {
  const writer = new ByteWriter(64);
  encodeCapability(capability, writer);
  return writer.finish();
}

/**
 * The capabilities ExaBGP advertises for multisession: one with the flags octet 0, then one per capability
 * code that identifies a session (ExaBGP sends Multiprotocol, code 1).
 */
export function multisessionCapabilities(
  sessionCodes: readonly number[] = [CapabilityCode.MULTIPROTOCOL],
  variant: 'rfc' | 'cisco' = 'rfc',
): MultisessionCapability[] {
  return [0, ...sessionCodes].map((byte) => ({ type: 'multisession', variant, data: Uint8Array.of(byte) }));
}

/** The first capability of a type in a list, typed. */
export function findCapability<T extends CapabilityType>(
  capabilities: readonly Capability[],
  type: T,
): Extract<Capability, { type: T }> | undefined {
  for (const capability of capabilities) {
    if (capability.type === type) return capability as Extract<Capability, { type: T }>;
  }
  return undefined;
}

/** Every capability of a type in a list, typed. */
export function findCapabilities<T extends CapabilityType>(
  capabilities: readonly Capability[],
  type: T,
): Extract<Capability, { type: T }>[] {
  return capabilities.filter((c): c is Extract<Capability, { type: T }> => c.type === type);
}

/**
 * RFC 5492 §5: the NOTIFICATION 2/7 Unsupported Capability a speaker sends when the peer lacks capabilities
 * it requires (a configuration decision, taken by the FSM). The data lists those capabilities, each encoded
 * as in an OPEN: Code, Length, Value.
 */
export function unsupportedCapabilityError(required: readonly Capability[]): BgpError {
  const writer = new ByteWriter(64);
  for (const capability of required) encodeCapability(capability, writer);
  const codes = required.map(capabilityCode).join(', ');
  return new BgpError(
    'unsupported-capability',
    ErrorCode.OPEN_MESSAGE,
    OpenSubcode.UNSUPPORTED_CAPABILITY,
    writer.finish(),
    `the peer lacks required capabilities ${codes}`,
  );
}
