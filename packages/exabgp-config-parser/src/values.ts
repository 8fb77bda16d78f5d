/**
 * Validators for configuration values. Each returns the typed value or throws InvalidValue with what was
 * expected; the grammar turns that into a ConfigError pointing at the token.
 *
 * Addresses are scanned by char code (a million prefixes go through here), not with regular expressions.
 */

import { parseRouteDistinguisher, type RouteDistinguisher } from 'bgp-codec';

export class InvalidValue extends Error {
  readonly expected: string | undefined;
  constructor(reason: string, expected?: string) {
    super(reason);
    this.expected = expected;
  }
}

const MAX_U32 = 0xffffffff;

/** A decimal integer made only of digits (no sign, no exponent), or -1. */
export function digits(text: string): number {
  const length = text.length;
  if (length === 0 || length > 16) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** Decimal or 0x-hexadecimal integer, or -1. */
export function integerOrHex(text: string): number {
  if (text.length > 2 && text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 0x20) === 0x78) {
    const hex = text.slice(2);
    if (!/^[0-9a-fA-F]{1,13}$/.test(hex)) return -1;
    return Number.parseInt(hex, 16);
  }
  return digits(text);
}

export function integer(text: string, min: number, max: number, what: string): number {
  const value = digits(text);
  if (value < 0) throw new InvalidValue(`'${text}' is not a valid ${what}`, `an integer from ${min} to ${max}`);
  if (value < min || value > max) {
    throw new InvalidValue(`${what} ${value} is out of range`, `an integer from ${min} to ${max}`);
  }
  return value;
}

// --- booleans ---------------------------------------------------------------------------------------------

/** ExaBGP's spellings (configuration/parser.py `boolean`). */
export function booleanValue(text: string): boolean {
  switch (text.toLowerCase()) {
    case 'true':
    case 'enable':
    case 'enabled':
      return true;
    case 'false':
    case 'disable':
    case 'disabled':
      return false;
    default:
      throw new InvalidValue(`'${text}' is not a valid boolean`, 'true, enable, enabled, false, disable or disabled');
  }
}

// --- AS numbers -------------------------------------------------------------------------------------------

/** A 4-octet AS number, plain (`65546`) or asdot (`1.10`, RFC 5396). */
export function asn(text: string): number {
  const dot = text.indexOf('.');
  if (dot > 0) {
    const high = digits(text.slice(0, dot));
    const low = digits(text.slice(dot + 1));
    if (high < 0 || low < 0 || high > 0xffff || low > 0xffff) {
      throw new InvalidValue(`'${text}' is not a valid AS number`, 'an AS number: 0 to 4294967295, or asdot X.Y');
    }
    return high * 0x10000 + low;
  }
  const value = digits(text);
  if (value < 0 || value > MAX_U32) {
    throw new InvalidValue(`'${text}' is not a valid AS number`, 'an AS number: 0 to 4294967295, or asdot X.Y');
  }
  return value;
}

// --- addresses --------------------------------------------------------------------------------------------

/** An IPv4 address as an unsigned 32-bit number, or -1 (dotted quad, each part 0..255, no leading zeros). */
export function parseIPv4(text: string): number {
  const length = text.length;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let part = 0;
  let partDigits = 0;
  let parts = 0;
  for (let i = 0; i <= length; i++) {
    const c = i < length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (partDigits === 0 || part > 255) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      partDigits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return -1;
    if (partDigits > 0 && part === 0) return -1; // leading zero
    part = part * 10 + d;
    partDigits++;
    if (partDigits > 3) return -1;
  }
  return parts === 4 ? value : -1;
}

export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** An IPv6 address as eight 16-bit groups, or undefined (RFC 4291 §2.2 text forms, embedded IPv4 allowed). */
export function parseIPv6(text: string): number[] | undefined {
  const length = text.length;
  if (length < 2 || length > 45) return undefined;
  const head: number[] = [];
  const tail: number[] = [];
  let current = head;
  let compressed = false;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return undefined;
    compressed = true;
    current = tail;
    i = 2;
    if (length === 2) return [0, 0, 0, 0, 0, 0, 0, 0];
  }
  while (i < length) {
    // one group, or an embedded IPv4 address at the end
    let j = i;
    let group = 0;
    let hexDigits = 0;
    let sawDot = false;
    for (; j < length; j++) {
      const c = text.charCodeAt(j);
      if (c === 58) break;
      if (c === 46) {
        sawDot = true;
        break;
      }
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else return undefined;
      group = group * 16 + d;
      hexDigits++;
      if (hexDigits > 4) return undefined;
    }
    if (sawDot) {
      const v4 = parseIPv4(text.slice(i));
      if (v4 < 0) return undefined;
      current.push(v4 >>> 16, v4 & 0xffff);
      i = length;
      break;
    }
    if (hexDigits === 0) return undefined;
    current.push(group);
    if (j === length) {
      i = j;
      break;
    }
    // j is at ':'
    if (text.charCodeAt(j + 1) === 58) {
      if (compressed) return undefined;
      compressed = true;
      current = tail;
      i = j + 2;
      if (i === length) break;
      continue;
    }
    i = j + 1;
    if (i === length) return undefined;
  }
  const total = head.length + tail.length;
  if (compressed) {
    if (total > 7) return undefined;
    const groups = head.slice();
    for (let k = total; k < 8; k++) groups.push(0);
    for (const g of tail) groups.push(g);
    return groups;
  }
  return total === 8 ? head : undefined;
}

/** RFC 5952 text of an IPv6 address (lowercase, longest zero run compressed). */
export function formatIPv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => {
    const parts: string[] = [];
    for (let k = from; k < to; k++) parts.push(groups[k]!.toString(16));
    return parts.join(':');
  };
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

export interface IpAddress {
  afi: 'ipv4' | 'ipv6';
  /** canonical text */
  text: string;
}

/** An IPv4 or IPv6 address, canonical text. */
export function ipAddress(text: string): IpAddress {
  const v4 = parseIPv4(text);
  if (v4 >= 0) return { afi: 'ipv4', text: isCanonicalIPv4(text) ? text : formatIPv4(v4) };
  const v6 = parseIPv6(text);
  if (v6 !== undefined) return { afi: 'ipv6', text: formatIPv6(v6) };
  throw new InvalidValue(`'${text}' is not a valid IP address`, 'an IPv4 or IPv6 address');
}

function isCanonicalIPv4(_text: string): boolean {
  // parseIPv4 refuses leading zeros, so any accepted text is already canonical
  return true;
}

export function ipv4Address(text: string, what = 'IPv4 address'): string {
  const v4 = parseIPv4(text);
  if (v4 < 0) throw new InvalidValue(`'${text}' is not a valid ${what}`, 'an IPv4 address (e.g. 192.0.2.1)');
  return text;
}

export function ipv6Address(text: string, what = 'IPv6 address'): string {
  const v6 = parseIPv6(text);
  if (v6 === undefined)
    throw new InvalidValue(`'${text}' is not a valid ${what}`, 'an IPv6 address (e.g. 2001:db8::1)');
  return formatIPv6(v6);
}

export interface Prefix {
  afi: 'ipv4' | 'ipv6';
  address: string;
  length: number;
  /** `address/length` */
  prefix: string;
  /** the first address is in 224.0.0.0/4 or ff00::/8 (ExaBGP then uses the multicast SAFI) */
  multicast: boolean;
}

/**
 * A prefix `ADDRESS/LENGTH` (a bare address is a host route: /32 or /128). The host bits must be zero, as
 * ExaBGP requires (static/parser.py `prefix`).
 */
export function prefix(text: string, afiRequired?: 'ipv4' | 'ipv6'): Prefix {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const lengthText = slash < 0 ? '' : text.slice(slash + 1);
  const v4 = parseIPv4(addressText);
  if (v4 >= 0) {
    if (afiRequired === 'ipv6') throw new InvalidValue(`'${text}' is an IPv4 prefix`, 'an IPv6 prefix');
    const length = slash < 0 ? 32 : digits(lengthText);
    if (length < 0 || length > 32) {
      throw new InvalidValue(`'${text}' has an invalid prefix length`, 'an IPv4 prefix length from 0 to 32');
    }
    const hostMask = length === 32 ? 0 : length === 0 ? MAX_U32 : MAX_U32 >>> length;
    if ((v4 & hostMask) >>> 0 !== 0) {
      throw new InvalidValue(
        `'${text}' is not a valid network: the host bits must be zero for a /${length}`,
        `${formatIPv4((v4 & ~hostMask) >>> 0)}/${length}`,
      );
    }
    return {
      afi: 'ipv4',
      address: addressText,
      length,
      prefix: slash < 0 ? `${addressText}/32` : text,
      multicast: v4 >>> 28 === 14,
    };
  }
  const v6 = parseIPv6(addressText);
  if (v6 !== undefined) {
    if (afiRequired === 'ipv4') throw new InvalidValue(`'${text}' is an IPv6 prefix`, 'an IPv4 prefix');
    const length = slash < 0 ? 128 : digits(lengthText);
    if (length < 0 || length > 128) {
      throw new InvalidValue(`'${text}' has an invalid prefix length`, 'an IPv6 prefix length from 0 to 128');
    }
    for (let g = 0; g < 8; g++) {
      const bitsKept = Math.min(16, Math.max(0, length - g * 16));
      const hostMask = bitsKept === 16 ? 0 : 0xffff >>> bitsKept;
      if ((v6[g]! & hostMask) !== 0) {
        const network = v6.map((value, k) => {
          const kept = Math.min(16, Math.max(0, length - k * 16));
          return kept === 16 ? value : value & ~(0xffff >>> kept) & 0xffff;
        });
        throw new InvalidValue(
          `'${text}' is not a valid network: the host bits must be zero for a /${length}`,
          `${formatIPv6(network)}/${length}`,
        );
      }
    }
    const address = formatIPv6(v6);
    return { afi: 'ipv6', address, length, prefix: `${address}/${length}`, multicast: v6[0]! >>> 8 === 0xff };
  }
  throw new InvalidValue(
    `'${text}' is not a valid prefix`,
    afiRequired === undefined ? 'a prefix (e.g. 10.0.0.0/24 or 2001:db8::/32)' : `an ${afiRequired} prefix`,
  );
}

// --- communities ------------------------------------------------------------------------------------------

const WELL_KNOWN_COMMUNITIES: Record<string, number> = {
  'no-export': 0xffffff01,
  no_export: 0xffffff01,
  'no-advertise': 0xffffff02,
  no_advertise: 0xffffff02,
  'no-export-subconfed': 0xffffff03,
  nopeer: 0xffffff04,
  'no-peer': 0xffffff04,
  blackhole: 0xffff029a,
};

/** A standard community (RFC 1997): `AS:N`, a 32-bit number (decimal or 0x), or a well-known name. */
export function community(text: string): number {
  const colon = text.indexOf(':');
  if (colon > 0) {
    const high = digits(text.slice(0, colon));
    const low = digits(text.slice(colon + 1));
    if (high < 0 || low < 0) {
      throw new InvalidValue(`'${text}' is not a valid community`, 'ASN:VALUE with two 16-bit numbers');
    }
    if (high > 0xffff) throw new InvalidValue(`'${text}' is not a valid community (prefix too large)`, 'at most 65535');
    if (low > 0xffff) throw new InvalidValue(`'${text}' is not a valid community (suffix too large)`, 'at most 65535');
    return high * 0x10000 + low;
  }
  const known = WELL_KNOWN_COMMUNITIES[text.toLowerCase()];
  if (known !== undefined) return known;
  const value = integerOrHex(text);
  if (value < 0 || value > MAX_U32) {
    throw new InvalidValue(
      `'${text}' is not a valid community`,
      'ASN:VALUE, a 32-bit number, or no-export, no-advertise, no-export-subconfed, nopeer, blackhole',
    );
  }
  return value;
}

/** A large community (RFC 8092) `GLOBAL:LOCAL1:LOCAL2`, or a 96-bit number. */
export function largeCommunity(text: string): [number, number, number] {
  const parts = text.split(':');
  if (parts.length === 3) {
    const values = parts.map(digits);
    if (values.some((v) => v < 0 || v > MAX_U32)) {
      throw new InvalidValue(`'${text}' is not a valid large community`, 'three 32-bit numbers A:B:C');
    }
    return values as [number, number, number];
  }
  let big: bigint;
  try {
    if (!/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(text)) throw new Error();
    big = BigInt(text);
  } catch {
    throw new InvalidValue(`'${text}' is not a valid large community`, 'three 32-bit numbers A:B:C');
  }
  if (big >= 1n << 96n) throw new InvalidValue(`large community ${text} is too large`, 'at most 96 bits');
  return [Number(big >> 64n), Number((big >> 32n) & 0xffffffffn), Number(big & 0xffffffffn)];
}

function hex(value: number, bytes: number): string {
  return value.toString(16).padStart(bytes * 2, '0');
}

/** IEEE 754 single precision, big-endian, as hex (RFC 8955 traffic-rate, RFC 7153 link bandwidth). */
export function float32Hex(value: number): string {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return hex(view.getUint32(0), 4);
}

/** `N` or `N` with ExaBGP's `L` suffix (forces the 4-octet form) */
function extendedNumber(part: string): number {
  const text = part.endsWith('L') ? part.slice(0, -1) : part;
  const value = integerOrHex(text);
  return value;
}

/**
 * An extended community as ExaBGP writes it (static/parser.py `_extended_community`): `target:A:B`,
 * `origin:A:B` (A an ASN or an IPv4 address; `A:B` alone means target), `redirect:ASN:N`, `l2info:E:C:MTU:R`,
 * `bandwidth:ASN:RATE`, `mup:A:B`, `redirect-to-nexthop`, or 0x + 16 hex digits.
 * Returns the 8 bytes as lowercase hex.
 */
export function extendedCommunity(text: string): string {
  if (text.indexOf(':') < 0) {
    if (text.length > 2 && text[0] === '0' && (text[1] === 'x' || text[1] === 'X')) {
      const body = text.slice(2).toLowerCase();
      if (body.length !== 16 || !/^[0-9a-f]+$/.test(body)) {
        throw new InvalidValue(`'${text}' is not a valid extended community`, '0x followed by 16 hexadecimal digits');
      }
      return body;
    }
    if (text === 'redirect-to-nexthop') return '0800000000000000';
    throw new InvalidValue(
      `'${text}' is not a valid extended community`,
      'target:ASN:N, origin:ASN:N, redirect:ASN:N, l2info:..., bandwidth:ASN:RATE, mup:A:B, redirect-to-nexthop or 0x<16 hex digits>',
    );
  }
  const parts = text.split(':');
  let command = parts.length === 2 ? 'target' : parts.shift()!;
  // `target4:` / `origin4:` force the 4-octet form that a large ASN or the L suffix selects
  let force4 = false;
  if (command === 'target4' || command === 'origin4') {
    command = command.slice(0, -1);
    force4 = true;
  }
  const bad = (why: string): InvalidValue =>
    new InvalidValue(`'${text}' is not a valid extended community: ${why}`, extendedCommunityExpected(command));
  const numbers: number[] = [];
  const isIp: boolean[] = [];
  for (const part of parts) {
    if (part.includes('.') && !part.endsWith('L')) {
      const v4 = parseIPv4(part);
      if (v4 < 0) throw bad(`'${part}' is not an IPv4 address`);
      numbers.push(v4);
      isIp.push(true);
    } else {
      const value = extendedNumber(part);
      if (value < 0) throw bad(`'${part}' is not a number`);
      numbers.push(value);
      isIp.push(false);
    }
  }
  const need = (count: number): void => {
    if (numbers.length !== count) throw bad(`expecting ${count} fields after '${command}'`);
  };
  const limit = (value: number, max: number): number => {
    if (value > max) throw bad(`value ${value} is too large`);
    return value;
  };
  switch (command) {
    case 'target':
    case 'origin': {
      need(2);
      const subtype = command === 'target' ? '02' : '03';
      const [a, b] = numbers as [number, number];
      if (isIp[0]) return `01${subtype}${hex(a, 4)}${hex(limit(b, 0xffff), 2)}`;
      // ExaBGP (static/parser.py `_encode`): an ASN above 65535, or written with the L suffix, is packed as
      // 4 bytes + 2 bytes under the type 0x01 header, the same header as an IPv4 administrator
      if (force4 || a > 0xffff || parts[0]!.endsWith('L')) {
        return `01${subtype}${hex(limit(a, MAX_U32), 4)}${hex(limit(b, 0xffff), 2)}`;
      }
      return `00${subtype}${hex(a, 2)}${hex(limit(b, MAX_U32), 4)}`;
    }
    case 'redirect': {
      need(2);
      const [a, b] = numbers as [number, number];
      return `8008${hex(limit(a, 0xffff), 2)}${hex(limit(b, MAX_U32), 4)}`;
    }
    case 'l2info': {
      need(4);
      const [encaps, control, mtu, reserved] = numbers as [number, number, number, number];
      return `800a${hex(limit(encaps, 0xff), 1)}${hex(limit(control, 0xff), 1)}${hex(limit(mtu, 0xffff), 2)}${hex(limit(reserved, 0xffff), 2)}`;
    }
    case 'bandwidth': {
      need(2);
      const [a, b] = numbers as [number, number];
      return `4004${hex(limit(a, 0xffff), 2)}${float32Hex(limit(b, MAX_U32))}`;
    }
    case 'mup': {
      need(2);
      const [a, b] = numbers as [number, number];
      return `0c00${hex(limit(a, 0xffff), 2)}${hex(limit(b, MAX_U32), 4)}`;
    }
    default:
      throw new InvalidValue(
        `'${command}' is not a known extended community type in '${text}'`,
        'target, target4, origin, origin4, redirect, l2info, bandwidth, mup, redirect-to-nexthop or 0x<16 hex digits>',
      );
  }
}

function extendedCommunityExpected(command: string): string {
  switch (command) {
    case 'target':
    case 'origin':
      return `${command}:ASN:N (N 32-bit for a 2-octet ASN, 16-bit otherwise) or ${command}:IPV4:N (N 16-bit)`;
    case 'redirect':
      return 'redirect:ASN:N (16-bit ASN, 32-bit N)';
    case 'l2info':
      return 'l2info:ENCAPSULATION:CONTROL:MTU:RESERVED';
    case 'bandwidth':
      return 'bandwidth:ASN:BYTES-PER-SECOND';
    default:
      return `${command}:A:B`;
  }
}

// --- MPLS -------------------------------------------------------------------------------------------------

export function label(text: string): number {
  const value = digits(text);
  if (value < 0 || value > 0xfffff)
    throw new InvalidValue(`'${text}' is not a valid MPLS label`, 'an integer from 0 to 1048575 (20 bits)');
  return value;
}

/** `rd ADMIN:ASSIGNED` (RFC 4364 §4.2), with ExaBGP's choice of type (static/mpls.py `route_distinguisher`). */
export function routeDistinguisher(text: string): RouteDistinguisher {
  try {
    return parseRouteDistinguisher(text);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InvalidValue(
      `'${text}' is not a valid route distinguisher`,
      'ASN:N (2-byte ASN:32-bit or 4-byte ASN:16-bit) or IPV4:N (16-bit)',
    );
  }
}

/** `0x..` hexadecimal data (even number of digits) as lowercase hex without prefix. */
export function hexData(text: string, what: string): string {
  if (!/^0[xX]([0-9a-fA-F]{2})*$/.test(text)) {
    throw new InvalidValue(`'${text}' is not valid ${what}`, '0x followed by an even number of hexadecimal digits');
  }
  return text.slice(2).toLowerCase();
}
