import { ByteWriter, beginMessage, endMessage, MAX_MESSAGE_LENGTH, MessageType } from 'bgp-codec';

/**
 * The messages the scenarios send, built once before a measured window opens so that encoding cost stays
 * out of the I/O comparison. Route i is the IPv4 host route 10.0.0.0 + i (so a receiver can check order
 * and loss from the first NLRI), with ORIGIN IGP, AS_PATH [65001] (4-octet AS) and NEXT_HOP 192.0.2.1.
 *
 * Built with the codec's ByteWriter and header writer; the route layout is fixed, so no general UPDATE
 * encoder is needed here.
 */
const ROUTE_BASE = 0x0a000000;

function writeAttributes(w: ByteWriter): void {
  const at = w.mark(2);
  // ORIGIN (RFC 4271 §5.1.1): well-known mandatory, IGP.
  w.u8(0x40).u8(1).u8(1).u8(0);
  // AS_PATH: one AS_SEQUENCE of one 4-octet AS (RFC 6793).
  w.u8(0x40).u8(2).u8(6).u8(2).u8(1).u32(65001);
  // NEXT_HOP 192.0.2.1.
  w.u8(0x40).u8(3).u8(4).u32(0xc0000201);
  w.fill(at, 2);
}

function writeHostRoute(w: ByteWriter, index: number): void {
  w.u8(32).u32((ROUTE_BASE + index) >>> 0);
}

/** An UPDATE announcing `count` consecutive host routes from `first` (count 1 is the plan's one-route UPDATE). */
export function updateMessage(first: number, count = 1): Uint8Array {
  const w = new ByteWriter(64 + count * 5);
  const start = beginMessage(w, MessageType.UPDATE);
  w.u16(0);
  writeAttributes(w);
  for (let i = 0; i < count; i++) writeHostRoute(w, first + i);
  endMessage(w, start);
  return w.buf.slice(start, w.pos);
}

/** Header (19) + withdrawn length (2) + attribute length (2) + the attributes (4 + 9 + 7). */
const UPDATE_OVERHEAD = 19 + 2 + 2 + 4 + 9 + 7;

/** How many host routes fit one UPDATE of at most `maxLength` bytes (ExaBGP groups routes the same way). */
export function routesPerUpdate(maxLength = MAX_MESSAGE_LENGTH): number {
  return Math.floor((maxLength - UPDATE_OVERHEAD) / 5);
}

/**
 * An UPDATE of exactly `length` bytes: host routes from `first`, then one shorter prefix (/0, /8, /16 or /24,
 * 1-4 bytes) to land on the length. Returns the message and how many routes it carries.
 */
export function updateOfLength(first: number, length: number): { message: Uint8Array; routes: number } {
  const room = length - UPDATE_OVERHEAD;
  if (room < 0) throw new RangeError(`an UPDATE cannot be ${length} bytes`);
  const hosts = Math.floor(room / 5);
  const rest = room - hosts * 5;
  const w = new ByteWriter(length);
  const start = beginMessage(w, MessageType.UPDATE);
  w.u16(0);
  writeAttributes(w);
  for (let i = 0; i < hosts; i++) writeHostRoute(w, first + i);
  if (rest > 0) {
    // A /((rest-1)*8) prefix takes `rest` bytes: 172.16.0.0/x, outside the host routes' 10/8.
    const bits = (rest - 1) * 8;
    w.u8(bits);
    for (let i = 0; i < rest - 1; i++) w.u8([172, 16, 0][i] as number);
  }
  endMessage(w, start, Math.max(length, MAX_MESSAGE_LENGTH));
  return { message: w.buf.slice(start, w.pos), routes: hosts + (rest > 0 ? 1 : 0) };
}

export function keepaliveMessage(): Uint8Array {
  const w = new ByteWriter(19);
  const start = beginMessage(w, MessageType.KEEPALIVE);
  endMessage(w, start);
  return w.buf.slice(0, w.pos);
}

/** ROUTE-REFRESH for IPv4 unicast (RFC 2918 §3): the harness's ping, echoed by the receiver. */
export function routeRefreshMessage(): Uint8Array {
  const w = new ByteWriter(23);
  const start = beginMessage(w, MessageType.ROUTE_REFRESH);
  w.u16(1).u8(0).u8(1);
  endMessage(w, start);
  return w.buf.slice(0, w.pos);
}

/**
 * Count the routes an UPDATE carries: IPv4 NLRI and withdrawn routes (RFC 4271 §4.3), plus the NLRI of
 * MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760) when present, without ADD-PATH. `firstIndex` is the position of
 * the first IPv4 host route in the harness's numbering (or -1). Throws RangeError on a malformed message.
 */
export function countRoutes(message: Uint8Array): { announced: number; withdrawn: number; firstIndex: number } {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  let at = 19;
  const withdrawnLength = view.getUint16(at);
  at += 2;
  const withdrawn = countPrefixes(message, at, at + withdrawnLength, 0);
  at += withdrawnLength;
  const attrLength = view.getUint16(at);
  at += 2;
  const attrEnd = at + attrLength;
  let announced = 0;
  let mpWithdrawn = 0;
  while (at < attrEnd) {
    const flags = message[at] as number;
    const type = message[at + 1] as number;
    const extended = (flags & 0x10) !== 0;
    const length = extended ? view.getUint16(at + 2) : (message[at + 2] as number);
    const value = at + (extended ? 4 : 3);
    if (type === 14) {
      // MP_REACH_NLRI: AFI(2) SAFI(1) NH length(1) next hop, reserved(1), NLRI.
      const nhLength = message[value + 3] as number;
      announced += countPrefixes(message, value + 4 + nhLength + 1, value + length, 0);
    } else if (type === 15) {
      mpWithdrawn += countPrefixes(message, value + 3, value + length, 0);
    }
    at = value + length;
  }
  if (at !== attrEnd) throw new RangeError('attribute lengths overrun the path attributes');
  const nlriStart = attrEnd;
  const firstIndex =
    message.length >= nlriStart + 5 && message[nlriStart] === 32 ? view.getUint32(nlriStart + 1) - ROUTE_BASE : -1;
  announced += countPrefixes(message, nlriStart, message.length, 0);
  return { announced, withdrawn: withdrawn + mpWithdrawn, firstIndex };
}

function countPrefixes(bytes: Uint8Array, from: number, to: number, count: number): number {
  let at = from;
  while (at < to) {
    const bits = bytes[at] as number;
    at += 1 + Math.ceil(bits / 8);
    count++;
  }
  if (at !== to) throw new RangeError('a prefix overruns its field');
  return count;
}
