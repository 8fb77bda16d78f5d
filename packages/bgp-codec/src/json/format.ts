/**
 * The scalar formatting ExaBGP's JSON is built from, reproduced character for character: Python's
 * `json.dumps` string escaping, `repr(float)`, `socket.inet_ntop` (glibc) addresses and ExaBGP's
 * `hexstring`. Rendering allocates strings freely; it is never on the decode path.
 */
import { Address6 } from 'ip-address';

const HEX = '0123456789ABCDEF';

/** ExaBGP's `hexstring`: `0x` and two upper-case digits per octet (`0x` alone for no octets). */
export function hexString(bytes: Uint8Array): string {
  let out = '0x';
  for (const byte of bytes) out += HEX[byte >> 4]! + HEX[byte & 15]!;
  return out;
}

/** Upper-case hex without a prefix (unknown capabilities print their value this way). */
export function hexUpper(bytes: Uint8Array): string {
  return hexString(bytes).slice(2);
}

/** Lower-case hex with `0x` (generic attributes, AIGP). */
export function hexLower(bytes: Uint8Array): string {
  return `0x${hexUpper(bytes).toLowerCase()}`;
}

/**
 * Python's `json.dumps(text)` with its default `ensure_ascii=True`: `"` and `\` escaped, the five short
 * escapes, and every other character outside printable ASCII as `\uXXXX` (UTF-16 code units).
 */
export function pyJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e) {
      if (code === 0x22) out += '\\"';
      else if (code === 0x5c) out += '\\\\';
      else out += text[i];
      continue;
    }
    switch (code) {
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      default:
        out += `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
  return `${out}"`;
}

/** Python's `repr(float)` for the `time` field: shortest round-trip digits, and `.0` on whole numbers. */
export function pyFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value);
}

export function ipv4Text(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

export function ipv4FromNumber(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

/**
 * IPv6 text as ExaBGP prints it (Python's `socket.inet_ntop`, i.e. glibc): compressed lower case
 * (RFC 5952 via ip-address), except that glibc writes the last 32 bits as a dotted quad when the first
 * 96 bits are zero (`::1.2.3.4`, with at least one non-zero word in the quad) or the address is
 * IPv4-mapped (`::ffff:1.2.3.4`).
 */
export function ipv6Text(bytes: Uint8Array, offset = 0): string {
  const octets = Array.from(bytes.subarray(offset, offset + 16));
  let zeros = 0;
  while (zeros < 10 && octets[zeros] === 0) zeros++;
  if (zeros === 10) {
    const w5 = ((octets[10] ?? 0) << 8) | (octets[11] ?? 0);
    const w6 = ((octets[12] ?? 0) << 8) | (octets[13] ?? 0);
    // glibc inet_ntop6: the longest zero run starts at word 0 and is 6 words long, or 5 then 0xffff.
    if ((w5 === 0 && w6 !== 0) || w5 === 0xffff) {
      return `::${w5 === 0xffff ? 'ffff:' : ''}${ipv4Text(bytes, offset + 12)}`;
    }
  }
  return Address6.fromByteArray(octets).correctForm();
}

/** An address of either family from its octets (4 or 16). */
export function ipText(bytes: Uint8Array): string {
  return bytes.length === 4 ? ipv4Text(bytes) : ipv6Text(bytes);
}

/** An unsigned big-endian integer of up to 8 octets as decimal text (extended communities exceed 2^53). */
export function unsignedText(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value.toString();
}

/** Python's `'%d' % float`: truncation toward zero of a finite float, as ExaBGP prints rates. */
export function pyIntOfFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  return BigInt(Math.trunc(value)).toString();
}
