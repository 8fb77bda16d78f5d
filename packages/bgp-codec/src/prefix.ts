/**
 * IP prefixes as the codec carries them: compact values, formatted only when asked
 * ({@link prefixToString}), so decoding a table never builds a string.
 *
 * Bits after the prefix length are kept exactly as received (RFC 4271 §4.3 calls them "trailing bits"
 * that make the field end on an octet boundary, and does not require them to be zero). ExaBGP does the same
 * (its CIDR keeps the transmitted octets), so `10.0.0.255/25` decodes, prints and re-encodes unchanged.
 */

/**
 * An IPv4 prefix, the NLRI of IPv4 unicast and multicast. `address` is the 32-bit address as an unsigned
 * number (10.0.0.0 = 0x0a000000).
 */
export interface Ipv4Prefix {
  /** Tells a plain prefix from the NLRI of other families that also carry a prefix (labelled, VPN). */
  readonly kind: 'prefix';
  readonly afi: 1;
  /** Prefix length in bits, 0..32. */
  readonly length: number;
  readonly address: number;
  /** RFC 7911 path identifier, when ADD-PATH is in use for the family and direction. */
  readonly pathId: number | undefined;
}

/** An IPv6 prefix, the NLRI of IPv6 unicast and multicast. `address` holds all 16 octets; octets after the prefix are zero. */
export interface Ipv6Prefix {
  readonly kind: 'prefix';
  readonly afi: 2;
  /** Prefix length in bits, 0..128. */
  readonly length: number;
  readonly address: Uint8Array;
  readonly pathId: number | undefined;
}

/** An IPv4 or an IPv6 prefix, told apart by `afi`. */
export type IpPrefix = Ipv4Prefix | Ipv6Prefix;

/** What every NLRI built on a prefix has (labelled and VPN prefixes too): its AFI, length, address, path id. */
export type PrefixFields = Omit<Ipv4Prefix, 'kind'> | Omit<Ipv6Prefix, 'kind'>;

/** An IPv4 prefix from its 32-bit address and length; throws RangeError for a length outside 0..32. */
export function ipv4Prefix(address: number, length: number, pathId?: number): Ipv4Prefix {
  if (!Number.isInteger(length) || length < 0 || length > 32) throw new RangeError(`IPv4 prefix length ${length}`);
  return { kind: 'prefix', afi: 1, length, address: address >>> 0, pathId };
}

/** An IPv6 prefix from its 16 octets and length; throws RangeError for another size or a length outside 0..128. */
export function ipv6Prefix(address: Uint8Array, length: number, pathId?: number): Ipv6Prefix {
  if (address.length !== 16) throw new RangeError(`IPv6 address of ${address.length} octets`);
  if (!Number.isInteger(length) || length < 0 || length > 128) throw new RangeError(`IPv6 prefix length ${length}`);
  return { kind: 'prefix', afi: 2, length, address, pathId };
}

/** `"10.0.0.0"` -> 0x0a000000. Throws RangeError on anything but a dotted quad. */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new RangeError(`not an IPv4 address: ${text}`);
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) throw new RangeError(`not an IPv4 address: ${text}`);
    const octet = Number(part);
    if (octet > 255) throw new RangeError(`not an IPv4 address: ${text}`);
    value = value * 256 + octet;
  }
  return value;
}

/** 0x0a000000 -> `"10.0.0.0"`. */
export function ipv4ToString(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

/** `"2001:db8::1"` (also with an embedded dotted quad) -> 16 octets. Throws RangeError when malformed. */
export function parseIpv6(text: string): Uint8Array {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.includes('.', lastColon)) {
    // An embedded dotted quad (RFC 4291 §2.2 form 3) stands for the last two groups.
    const v4 = parseIpv4(body.slice(lastColon + 1));
    body = `${body.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) throw new RangeError(`not an IPv6 address: ${text}`);
  const groups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').map((g) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new RangeError(`not an IPv6 address: ${text}`);
          return Number.parseInt(g, 16);
        });
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const present = head.length + tail.length;
  if (halves.length === 2 ? present > 7 : present !== 8) throw new RangeError(`not an IPv6 address: ${text}`);
  const words = [...head, ...new Array<number>(8 - present).fill(0), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i * 2] = words[i]! >>> 8;
    out[i * 2 + 1] = words[i]! & 0xff;
  }
  return out;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (2+) of zero groups as `::`. */
export function ipv6ToString(address: Uint8Array, offset = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((address[offset + i * 2] ?? 0) << 8) | (address[offset + i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    words
      .slice(from, to)
      .map((w) => w.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** `"10.0.0.0/24"`, `"2001:db8::/32"` (IPv6 in RFC 5952 form); the path identifier is not shown. */
export function prefixToString(prefix: PrefixFields): string {
  return prefix.afi === 1
    ? `${ipv4ToString(prefix.address)}/${prefix.length}`
    : `${ipv6ToString(prefix.address)}/${prefix.length}`;
}

/**
 * `"10.0.0.0/24"` or `"2001:db8::/32"` -> a prefix. Octets past the prefix are zeroed (they are not sent);
 * bits after the length inside the last sent octet are kept as written, as on the wire.
 */
export function parsePrefix(text: `${number}.${number}.${number}.${number}/${number}`, pathId?: number): Ipv4Prefix;
export function parsePrefix(text: `${string}:${string}`, pathId?: number): Ipv6Prefix;
export function parsePrefix(text: string, pathId?: number): IpPrefix;
export function parsePrefix(text: string, pathId?: number): IpPrefix {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const lengthText = slash < 0 ? undefined : text.slice(slash + 1);
  if (lengthText !== undefined && !/^\d{1,3}$/.test(lengthText)) throw new RangeError(`not a prefix: ${text}`);
  if (addressText.includes(':')) {
    const length = lengthText === undefined ? 128 : Number(lengthText);
    const address = parseIpv6(addressText);
    address.fill(0, prefixOctets(Math.min(length, 128)));
    return ipv6Prefix(address, length, pathId);
  }
  const length = lengthText === undefined ? 32 : Number(lengthText);
  const octets = prefixOctets(Math.min(length, 32));
  const keep = octets === 0 ? 0 : (0xffffffff << (32 - octets * 8)) >>> 0;
  return ipv4Prefix((parseIpv4(addressText) & keep) >>> 0, length, pathId);
}

/** An IPv4 prefix from text; RangeError for anything else. */
export function parseIpv4Prefix(text: string, pathId?: number): Ipv4Prefix {
  const prefix = parsePrefix(text, pathId);
  if (prefix.afi !== 1) throw new RangeError(`not an IPv4 prefix: ${text}`);
  return prefix;
}

/** An IPv6 prefix from text; RangeError for anything else. */
export function parseIpv6Prefix(text: string, pathId?: number): Ipv6Prefix {
  const prefix = parsePrefix(text, pathId);
  if (prefix.afi !== 2) throw new RangeError(`not an IPv6 prefix: ${text}`);
  return prefix;
}

/** Octets a prefix of `length` bits occupies on the wire (RFC 4271 §4.3). */
export function prefixOctets(length: number): number {
  return (length + 7) >>> 3;
}
