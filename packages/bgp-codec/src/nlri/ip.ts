import { BgpError, ErrorCode, UpdateSubcode } from '../errors.js';
import type { IpPrefix, Ipv4Prefix, Ipv6Prefix } from '../prefix.js';
import type { ByteWriter } from '../writer.js';

/**
 * IPv4 and IPv6 prefixes in the RFC 4271 §4.3 <length, prefix> form, optionally preceded by the RFC 7911
 * four-octet Path Identifier. Used for the UPDATE's Withdrawn Routes and NLRI fields and inside
 * MP_REACH_NLRI / MP_UNREACH_NLRI for the unicast and multicast families (RFC 4760 §5).
 */

/**
 * RFC 7606 §5.3: a field is syntactically incorrect when a prefix length exceeds the longest possible for
 * the family, or when the lengths do not add up to the field length. The NLRI cannot then be located, so
 * the caller cannot treat-as-withdraw: this throws 3/10 Invalid Network Field (RFC 4271 §6.3) and the
 * MP_REACH_NLRI / MP_UNREACH_NLRI decoder turns it into that attribute's error.
 */
function invalidField(reason: string): BgpError {
  return new BgpError(
    'invalid-network-field',
    ErrorCode.UPDATE_MESSAGE,
    UpdateSubcode.INVALID_NETWORK_FIELD,
    undefined,
    reason,
  );
}

export function decodeIpv4Prefixes(b: Uint8Array, start: number, end: number, addPath: boolean, out: IpPrefix[]): void {
  let i = start;
  while (i < end) {
    let pathId: number | undefined;
    if (addPath) {
      if (i + 5 > end) throw invalidField('path identifier and prefix length overrun the field');
      pathId = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
      i += 4;
    }
    const length = b[i++]!;
    if (length > 32) throw invalidField(`IPv4 prefix length ${length} exceeds 32`);
    const octets = (length + 7) >>> 3;
    if (i + octets > end) throw invalidField(`IPv4 prefix of ${length} bits overruns the field`);
    let address = 0;
    switch (octets) {
      case 4:
        address = (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
        break;
      case 3:
        address = (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8);
        break;
      case 2:
        address = (b[i]! << 24) | (b[i + 1]! << 16);
        break;
      case 1:
        address = b[i]! << 24;
        break;
    }
    i += octets;
    const prefix: Ipv4Prefix = { kind: 'prefix', afi: 1, length, address: address >>> 0, pathId };
    out.push(prefix);
  }
}

export function decodeIpv6Prefixes(b: Uint8Array, start: number, end: number, addPath: boolean, out: IpPrefix[]): void {
  let i = start;
  while (i < end) {
    let pathId: number | undefined;
    if (addPath) {
      if (i + 5 > end) throw invalidField('path identifier and prefix length overrun the field');
      pathId = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
      i += 4;
    }
    const length = b[i++]!;
    if (length > 128) throw invalidField(`IPv6 prefix length ${length} exceeds 128`);
    const octets = (length + 7) >>> 3;
    if (i + octets > end) throw invalidField(`IPv6 prefix of ${length} bits overruns the field`);
    const address = new Uint8Array(16);
    for (let k = 0; k < octets; k++) address[k] = b[i + k]!;
    i += octets;
    const prefix: Ipv6Prefix = { kind: 'prefix', afi: 2, length, address, pathId };
    out.push(prefix);
  }
}

/** Write one prefix; `addPath` adds the RFC 7911 Path Identifier (0 when the prefix carries none). */
export function writeIpPrefix(w: ByteWriter, prefix: IpPrefix, addPath: boolean): void {
  const length = prefix.length;
  const octets = (length + 7) >>> 3;
  w.ensure(5 + octets);
  const buf = w.buf;
  let at = w.pos;
  if (addPath) {
    const id = prefix.pathId ?? 0;
    buf[at] = id >>> 24;
    buf[at + 1] = id >>> 16;
    buf[at + 2] = id >>> 8;
    buf[at + 3] = id;
    at += 4;
  }
  buf[at++] = length;
  if (prefix.afi === 1) {
    const a = prefix.address;
    if (octets > 0) buf[at] = a >>> 24;
    if (octets > 1) buf[at + 1] = a >>> 16;
    if (octets > 2) buf[at + 2] = a >>> 8;
    if (octets > 3) buf[at + 3] = a;
  } else {
    const a = prefix.address;
    for (let k = 0; k < octets; k++) buf[at + k] = a[k]!;
  }
  w.pos = at + octets;
}
