/**
 * How ExaBGP describes an 8-octet extended community (RFC 4360) in JSON: `{ "value": N, "string": S }`,
 * N the 64-bit big-endian value and S what the class ExaBGP registered for `(type & 0x0f, subtype)`
 * prints, or the octets in hex when none is registered. One row per registered class, as ExaBGP's
 * `register_subtype` table (community/extended/*.py).
 */
import { hexUpper, ipv4Text, pyIntOfFloat, pyJsonString, unsignedText } from './format.js';

type Describe = (c: Uint8Array, view: DataView) => string;

const u16 = (v: DataView, at: number) => v.getUint16(at);
const u32 = (v: DataView, at: number) => v.getUint32(at);

const ENCAPSULATION: Readonly<Record<number, string>> = {
  0: 'Default',
  1: 'L2TPv3',
  2: 'GRE',
  7: 'IP-in-IP',
  8: 'VXLAN',
  9: 'NVGRE',
  10: 'MPLS',
  12: 'VXLAN-GPE',
  13: 'MPLS-in-UDP',
};

const INTERFACE_SET_DIRECTION: Readonly<Record<number, string>> = { 1: 'input', 2: 'output', 3: 'input-output' };

/** Python's `'%0.f' % x`: round half to even. */
function roundHalfEven(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const floor = Math.floor(value);
  const diff = value - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return (Object.is(rounded, -0) || (rounded === 0 && value < 0) ? '-0' : BigInt(rounded).toString()) as string;
}

/** Keyed `(type & 0x0f) << 8 | subtype`, as ExaBGP's registry. */
const DESCRIBE = new Map<number, Describe>([
  // RFC 4360 route target: 2-octet AS, IPv4, 4-octet AS (RFC 5668)
  [0x0002, (_c, v) => `target:${u16(v, 2)}:${u32(v, 4)}`],
  [0x0102, (c, v) => `target:${ipv4Text(c, 2)}:${u16(v, 6)}`],
  [0x0202, (_c, v) => `target:${u32(v, 2)}:${u16(v, 6)}`],
  // route origin
  [0x0003, (c, v) => `origin:${u16(v, 2)}:${ipv4Text(c, 4)}`],
  [0x0103, (c, v) => `origin:${ipv4Text(c, 2)}:${u16(v, 6)}`],
  [0x0203, (_c, v) => `origin:${u32(v, 2)}:${u16(v, 6)}`],
  // draft-ietf-bess-service-chaining route-target record
  [0x0013, (_c, v) => `rtrecord:${u16(v, 2)}:${u32(v, 4)}`],
  [0x0113, (c, v) => `rtrecord:${ipv4Text(c, 2)}:${u16(v, 6)}`],
  [0x0213, (_c, v) => `rtrecord:${u32(v, 2)}:${u16(v, 6)}`],
  // RFC 8955 flow-spec actions
  [0x0006, (_c, v) => `rate-limit:${pyIntOfFloat(v.getFloat32(4))}`],
  [0x000c, (_c, v) => `rate-limit:${pyIntOfFloat(v.getFloat32(4))}:packets`],
  [
    0x0007,
    (c) => {
      const flags = c[7] ?? 0;
      const names = [flags & 2 ? 'sample' : '', flags & 1 ? 'terminal' : ''].filter(Boolean);
      return `action ${names.join('-')}`;
    },
  ],
  [0x0008, (_c, v) => `redirect:${u16(v, 2)}:${u32(v, 4)}`],
  [0x0208, (_c, v) => `redirect:${u32(v, 2)}:${u16(v, 6)}`],
  [0x0009, (c) => `mark ${c[7] ?? 0}`],
  [
    0x010c,
    (c, v) =>
      u16(v, 6) & 1
        ? `copy-to-nexthop-ietf ${ipv4Text(c, 2)} (with copy)`
        : `redirect-to-nexthop-ietf ${ipv4Text(c, 2)}`,
  ],
  [0x0800, (c) => ((c[7] ?? 0) & 1 ? 'copy-to-nexthop' : 'redirect-to-nexthop')],
  // RFC 4761 layer-2 info, draft link bandwidth, RFC 9012 encapsulation, RFC 7432 MAC mobility
  [0x000a, (c, v) => `l2info:${c[2]}:${c[3]}:${u16(v, 4)}:${u16(v, 6)}`],
  [0x0004, (_c, v) => `bandwith:${u16(v, 2)}:${roundHalfEven(v.getFloat32(4))}`],
  [
    0x030c,
    (_c, v) => {
      const tunnel = u16(v, 6);
      return `encap:${ENCAPSULATION[tunnel] ?? `encap:UNKNOWN-${tunnel}`}`;
    },
  ],
  [0x0600, (c, v) => `mac-mobility:${u32(v, 4)}${c[2] === 1 ? ':sticky' : ''}`],
  [0x0314, (_c, v) => `consistentHashSortOrder:${u32(v, 2)}`],
  [0x0c00, (_c, v) => `mup:${u16(v, 2)}:${u32(v, 4)}`],
  [
    0x0702,
    (_c, v) => {
      const raw = u16(v, 6);
      const direction = raw >> 14;
      return `interface-set:${INTERFACE_SET_DIRECTION[direction] ?? String(direction)}:${u32(v, 2)}:${raw & 0x3fff}`;
    },
  ],
]);

/** ExaBGP's description of one extended community (its `repr`). */
export function extendedCommunityString(community: Uint8Array): string {
  if (community.length === 8) {
    const describe = DESCRIBE.get((((community[0] ?? 0) & 0x0f) << 8) | (community[1] ?? 0));
    if (describe) {
      return describe(community, new DataView(community.buffer, community.byteOffset, community.byteLength));
    }
  }
  return `0x${hexUpper(community)}`;
}

/** One element of ExaBGP's `"extended-community"` list. */
export function extendedCommunityJson(community: Uint8Array): string {
  const string = extendedCommunityString(community);
  if (community.length === 8 && ((community[0] ?? 0) & 0x0f) === 0x07 && community[1] === 0x02) {
    // InterfaceSet overrides json(): no escaping, and the transitive bit (RFC 4360 §2) shown.
    const transitive = ((community[0] ?? 0) & 0x40) === 0 ? 'true' : 'false';
    return `{ "value": ${unsignedText(community)}, "string": "${string}", "transitive": ${transitive} }`;
  }
  return `{ "value": ${unsignedText(community)}, "string": ${pyJsonString(string)} }`;
}
