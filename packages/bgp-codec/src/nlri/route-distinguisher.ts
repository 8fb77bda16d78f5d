/**
 * RFC 4364 §4.2 Route Distinguisher: 8 octets, a 2-octet Type and a 6-octet Value whose layout the type
 * gives. Type 0: 2-octet Administrator (an AS), 4-octet Assigned Number; type 1: 4-octet Administrator (an
 * IPv4 address), 2-octet Assigned Number; type 2: 4-octet Administrator (a 4-octet AS), 2-octet Assigned
 * Number. Any other type is kept split as type 0 is, so it re-encodes exactly.
 */
import { hexString } from '../json/format.js';
import { ipv4ToString, parseIpv4 } from '../prefix.js';
import type { ByteWriter } from '../writer.js';

export interface RouteDistinguisher {
  readonly type: number;
  /** The AS (types 0 and 2) or the IPv4 address as an unsigned number (type 1). */
  readonly administrator: number;
  readonly assigned: number;
}

/** RFC 4364 §4.2: a Route Distinguisher is 8 octets. */
export const ROUTE_DISTINGUISHER_LENGTH = 8;

/** Types 1 and 2 have a 4-octet Administrator and a 2-octet Assigned Number; the others the reverse. */
const wideAdministrator = (type: number) => type === 1 || type === 2;

/** The Route Distinguisher in `b[at, at + 8)`. */
export function readRouteDistinguisher(b: Uint8Array, at: number): RouteDistinguisher {
  const type = (b[at]! << 8) | b[at + 1]!;
  if (wideAdministrator(type)) {
    return {
      type,
      administrator: ((b[at + 2]! << 24) | (b[at + 3]! << 16) | (b[at + 4]! << 8) | b[at + 5]!) >>> 0,
      assigned: (b[at + 6]! << 8) | b[at + 7]!,
    };
  }
  return {
    type,
    administrator: (b[at + 2]! << 8) | b[at + 3]!,
    assigned: ((b[at + 4]! << 24) | (b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!) >>> 0,
  };
}

/** Write the 8 octets; a field out of its range is a caller error (RangeError). */
export function writeRouteDistinguisher(w: ByteWriter, rd: RouteDistinguisher): void {
  const wide = wideAdministrator(rd.type);
  checkField(rd.type, 0xffff, 'Route Distinguisher type');
  checkField(rd.administrator, wide ? 0xffffffff : 0xffff, 'Route Distinguisher administrator');
  checkField(rd.assigned, wide ? 0xffff : 0xffffffff, 'Route Distinguisher assigned number');
  w.ensure(8);
  const b = w.buf;
  const at = w.pos;
  b[at] = rd.type >>> 8;
  b[at + 1] = rd.type;
  if (wide) {
    b[at + 2] = rd.administrator >>> 24;
    b[at + 3] = rd.administrator >>> 16;
    b[at + 4] = rd.administrator >>> 8;
    b[at + 5] = rd.administrator;
    b[at + 6] = rd.assigned >>> 8;
    b[at + 7] = rd.assigned;
  } else {
    b[at + 2] = rd.administrator >>> 8;
    b[at + 3] = rd.administrator;
    b[at + 4] = rd.assigned >>> 24;
    b[at + 5] = rd.assigned >>> 16;
    b[at + 6] = rd.assigned >>> 8;
    b[at + 7] = rd.assigned;
  }
  w.pos = at + 8;
}

function checkField(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${what} ${value} is not in 0..${max}`);
}

/** The 8 octets of a Route Distinguisher. */
export function routeDistinguisherOctets(rd: RouteDistinguisher): Uint8Array {
  const out = new Uint8Array(8);
  const wide = wideAdministrator(rd.type);
  out[0] = rd.type >>> 8;
  out[1] = rd.type;
  const view = new DataView(out.buffer);
  if (wide) {
    view.setUint32(2, rd.administrator);
    view.setUint16(6, rd.assigned);
  } else {
    view.setUint16(2, rd.administrator);
    view.setUint32(4, rd.assigned);
  }
  return out;
}

/** Route Distinguishers in the order of their octets (ExaBGP's NLRI index). */
export function compareRouteDistinguishers(a: RouteDistinguisher, b: RouteDistinguisher): number {
  if (a.type !== b.type) return a.type - b.type;
  // Within a type the octets are the administrator then the assigned number, each big-endian.
  return a.administrator - b.administrator || a.assigned - b.assigned;
}

/**
 * rd.py `_str`, the text ExaBGP prints and reads: `65000:1` (type 0), `192.0.2.1:1` (type 1), `4200000000:1`
 * (type 2), and ExaBGP's `0x` hex of the 8 octets for any other type.
 */
export function routeDistinguisherToString(rd: RouteDistinguisher): string {
  switch (rd.type) {
    case 0:
    case 2:
      return `${rd.administrator}:${rd.assigned}`;
    case 1:
      return `${ipv4ToString(rd.administrator)}:${rd.assigned}`;
    default:
      return hexString(routeDistinguisherOctets(rd));
  }
}

/**
 * A Route Distinguisher from its text, as ExaBGP's configuration reads it (rd.py `make_from_elements`):
 * `IPV4:N` is type 1; `ASN:N` is type 0 when the AS fits 2 octets and N 4, else type 2 when the AS fits 4
 * octets and N 2. RangeError for anything else.
 */
export function parseRouteDistinguisher(text: string): RouteDistinguisher {
  const colon = text.lastIndexOf(':');
  const administrator = text.slice(0, colon);
  const assignedText = text.slice(colon + 1);
  if (colon <= 0 || !/^\d+$/.test(assignedText)) throw new RangeError(`not a route distinguisher: ${text}`);
  const assigned = Number(assignedText);
  if (administrator.includes('.')) {
    if (assigned > 0xffff) throw new RangeError(`not a route distinguisher: ${text}`);
    return { type: 1, administrator: parseIpv4(administrator), assigned };
  }
  if (!/^\d+$/.test(administrator)) throw new RangeError(`not a route distinguisher: ${text}`);
  const asn = Number(administrator);
  if (asn <= 0xffff && assigned <= 0xffffffff) return { type: 0, administrator: asn, assigned };
  if (asn <= 0xffffffff && assigned <= 0xffff) return { type: 2, administrator: asn, assigned };
  throw new RangeError(`not a route distinguisher: ${text}`);
}

/** rd.py json(): `"rd": "65000:1"`. */
export function routeDistinguisherJson(rd: RouteDistinguisher): string {
  return `, "rd": "${routeDistinguisherToString(rd)}"`;
}
