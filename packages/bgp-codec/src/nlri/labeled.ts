/**
 * NLRI made of a label stack and a prefix (RFC 8277 §2), optionally with a Route Distinguisher between them
 * (the VPN families, RFC 4364 §4.3.4). On the wire, after the RFC 7911 Path Identifier when ADD-PATH is in
 * use: one Length octet counting the bits of all that follows, the labels (3 octets each), the Route
 * Distinguisher (8 octets) when the family has one, then the prefix in as many octets as its own bits need.
 */
import { BgpError, ErrorCode, UpdateSubcode } from '../errors.js';
import type { Ipv4Prefix, Ipv6Prefix, PrefixFields } from '../prefix.js';
import type { ByteWriter } from '../writer.js';
import { type LabelStack, WITHDRAWAL_LABEL } from './labels.js';
import { type RouteDistinguisher, readRouteDistinguisher, writeRouteDistinguisher } from './route-distinguisher.js';

type Fields<P> = Omit<P, 'kind'>;

/** A prefix with its label stack, the NLRI of IPv4 and IPv6 labelled unicast (`nlri-mpls`, RFC 8277). */
export type LabeledPrefix =
  | (Fields<Ipv4Prefix> & { readonly kind: 'labeled-prefix'; readonly labels: LabelStack })
  | (Fields<Ipv6Prefix> & { readonly kind: 'labeled-prefix'; readonly labels: LabelStack });

/** What every labelled NLRI has: a prefix and a label stack (and, in a VPN family, a Route Distinguisher). */
export type LabeledFields = PrefixFields & { readonly labels: LabelStack; readonly rd?: RouteDistinguisher };

function invalidField(reason: string): BgpError {
  return new BgpError(
    'invalid-network-field',
    ErrorCode.UPDATE_MESSAGE,
    UpdateSubcode.INVALID_NETWORK_FIELD,
    undefined,
    reason,
  );
}

/**
 * Read the labelled NLRI of `afi` in `b[start, end)` into `out`, as ExaBGP reads them (inet.py / ipvpn.py
 * `unpack_nlri`), `rd` the octets of the family's Route Distinguisher (0 or 8) and `make` building each
 * NLRI value. The Length covers labels, Route Distinguisher and prefix, so only the labels say where the stack
 * ends: RFC 8277 §2 sets the Bottom of Stack bit on the last one. A first label of 0x000000, or of the
 * withdrawal value 0x800000 in a withdrawal (RFC 8277 §2.4), is a whole stack without that bit. A stack
 * that never ends, or a Length the octets cannot hold, is 3/10 Invalid Network Field (RFC 7606 §5.3).
 */
export function decodeLabeledNlri<N>(
  b: Uint8Array,
  start: number,
  end: number,
  afi: 1 | 2,
  rd: 0 | 8,
  addPath: boolean,
  withdraw: boolean,
  make: (prefix: PrefixFields, labels: number[], rd: RouteDistinguisher | undefined) => N,
  out: N[],
): void {
  const maxBits = afi === 1 ? 32 : 128;
  const rdBits = rd * 8;
  const what = rd === 0 ? 'labelled prefix' : 'VPN prefix';
  let i = start;
  while (i < end) {
    let pathId: number | undefined;
    if (addPath) {
      if (i + 5 > end) throw invalidField('path identifier and prefix length overrun the field');
      pathId = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
      i += 4;
    }
    let bits = b[i++]!;
    const labels: number[] = [];
    let ended = false;
    while (bits - rdBits >= 24) {
      if (i + 3 > end) throw invalidField(`${what}: the label stack overruns the field`);
      const entry = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
      i += 3;
      bits -= 24;
      labels.push(entry);
      if (entry & 1) {
        ended = true;
        break;
      }
      // The two sentinels stand for a whole stack, so they end one only as its first label.
      if (labels.length > 1) continue;
      if (entry === 0 || (withdraw && entry === WITHDRAWAL_LABEL)) {
        ended = true;
        break;
      }
    }
    if (labels.length > 0 && !ended) {
      throw invalidField(`${what}: the label stack has no Bottom of Stack bit (RFC 8277 §2)`);
    }
    let distinguisher: RouteDistinguisher | undefined;
    if (rd > 0) {
      bits -= rdBits;
      if (i + rd > end) throw invalidField(`${what}: the Route Distinguisher overruns the field`);
      distinguisher = readRouteDistinguisher(b, i);
      i += rd;
    }
    if (bits < 0) throw invalidField(`${what}: a Length shorter than its labels and Route Distinguisher`);
    if (bits > maxBits) throw invalidField(`${what}: a prefix of ${bits} bits is longer than ${maxBits}`);
    const octets = (bits + 7) >>> 3;
    if (i + octets > end) throw invalidField(`${what}: a prefix of ${bits} bits overruns the field`);
    let prefix: PrefixFields;
    if (afi === 1) {
      let address = 0;
      for (let k = 0; k < 4; k++) address = (address << 8) | (k < octets ? b[i + k]! : 0);
      prefix = { afi: 1, length: bits, address: address >>> 0, pathId };
    } else {
      const address = new Uint8Array(16);
      for (let k = 0; k < octets; k++) address[k] = b[i + k]!;
      prefix = { afi: 2, length: bits, address, pathId };
    }
    i += octets;
    out.push(make(prefix, labels, distinguisher));
  }
}

/** RFC 8277 labelled unicast: a labelled NLRI without a Route Distinguisher. */
export function decodeLabeledPrefixes(
  b: Uint8Array,
  start: number,
  end: number,
  afi: 1 | 2,
  addPath: boolean,
  withdraw: boolean,
  out: LabeledPrefix[],
): void {
  decodeLabeledNlri(b, start, end, afi, 0, addPath, withdraw, labeledPrefix, out);
}

/** A labelled prefix of the fields of any prefix (one object shape whether decoded or built). */
export function labeledPrefix(prefix: PrefixFields, labels: readonly number[]): LabeledPrefix {
  const { afi, length, address, pathId } = prefix;
  return { kind: 'labeled-prefix', afi, length, address, pathId, labels } as LabeledPrefix;
}

/** Octets of one labelled NLRI on the wire. */
export function labeledNlriSize(nlri: LabeledFields, addPath: boolean): number {
  return (addPath ? 4 : 0) + 1 + nlri.labels.length * 3 + (nlri.rd === undefined ? 0 : 8) + ((nlri.length + 7) >>> 3);
}

/** Write one labelled NLRI (with a Path Identifier, 0 when it has none, when `addPath`), its rd when it has one. */
export function writeLabeledNlri(w: ByteWriter, nlri: LabeledFields, addPath: boolean): void {
  const labels = nlri.labels;
  const bits = labels.length * 24 + (nlri.rd === undefined ? 0 : 64) + nlri.length;
  // One Length octet: with a Route Distinguisher, an IPv6 /128 leaves room for two labels.
  if (bits > 255) throw new RangeError(`${labels.length} labels and a /${nlri.length} do not fit one Length octet`);
  const octets = (nlri.length + 7) >>> 3;
  w.ensure(5 + labels.length * 3 + 8 + octets);
  const buf = w.buf;
  let at = w.pos;
  if (addPath) {
    const id = nlri.pathId ?? 0;
    buf[at] = id >>> 24;
    buf[at + 1] = id >>> 16;
    buf[at + 2] = id >>> 8;
    buf[at + 3] = id;
    at += 4;
  }
  buf[at++] = bits;
  for (const entry of labels) {
    if (!Number.isInteger(entry) || entry < 0 || entry > 0xffffff) throw new RangeError(`label stack entry ${entry}`);
    buf[at] = entry >>> 16;
    buf[at + 1] = entry >>> 8;
    buf[at + 2] = entry;
    at += 3;
  }
  if (nlri.rd !== undefined) {
    w.pos = at;
    writeRouteDistinguisher(w, nlri.rd);
    at = w.pos;
  }
  if (nlri.afi === 1) {
    const a = nlri.address;
    if (octets > 0) buf[at] = a >>> 24;
    if (octets > 1) buf[at + 1] = a >>> 16;
    if (octets > 2) buf[at + 2] = a >>> 8;
    if (octets > 3) buf[at + 3] = a;
  } else {
    const a = nlri.address;
    for (let k = 0; k < octets; k++) buf[at + k] = a[k]!;
  }
  w.pos = at + octets;
}
