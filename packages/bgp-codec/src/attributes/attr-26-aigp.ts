import { UpdateSubcode } from '../errors.js';
import { hexLower } from '../json/format.js';
import { type AttributeRow, copyBytes, malformed, readU16 } from './types.js';

/** One AIGP TLV (RFC 7311 §3). Type 1 carries the 8-octet accumulated metric. */
export interface AigpTlv {
  readonly type: number;
  readonly value: Uint8Array;
}

/** AIGP (26), optional non-transitive (RFC 7311). */
export interface AigpAttribute {
  readonly kind: 'aigp';
  readonly code: 26;
  readonly flags?: number;
  readonly tlvs: AigpTlv[];
}

/** The accumulated IGP metric (TLV type 1), or undefined. */
export function aigpMetric(attribute: AigpAttribute): bigint | undefined {
  const tlv = attribute.tlvs.find((t) => t.type === 1);
  if (tlv?.value.length !== 8) return undefined;
  let metric = 0n;
  for (const octet of tlv.value) metric = (metric << 8n) | BigInt(octet);
  return metric;
}

/** An AIGP attribute with one metric TLV, as ExaBGP's `aigp N` sends it. */
export function aigpAttribute(metric: bigint): AigpAttribute {
  const value = new Uint8Array(8);
  for (let i = 7, m = BigInt.asUintN(64, metric); i >= 0; i--, m >>= 8n) value[i] = Number(m & 0xffn);
  return { kind: 'aigp', code: 26, tlvs: [{ type: 1, value }] };
}

export const AIGP: AttributeRow<AigpAttribute> = {
  code: 26,
  name: 'aigp',
  flags: 0x80,
  // RFC 7311 predates RFC 7606 and gives no approach for a malformed AIGP; the attribute only informs route
  // selection inside an AIGP administrative domain, so the codec drops it ('attribute discard') as BIRD
  // does (bgp_decode_aigp), rather than withdrawing the routes.
  onError: 'attribute-discard',
  carriesNlri: false,
  decode(b, start, end, flags) {
    const tlvs: AigpTlv[] = [];
    let i = start;
    while (i < end) {
      if (end - i < 3) throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, 'AIGP TLV header overruns');
      const type = b[i]!;
      const length = readU16(b, i + 1);
      // RFC 7311 §3: the Length covers the Type and Length fields too, so it is at least 3.
      if (length < 3 || i + length > end) throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, 'AIGP TLV length');
      if (type === 1 && length !== 11)
        throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, 'AIGP metric TLV length');
      tlvs.push({ type, value: copyBytes(b, i + 3, i + length) });
      i += length;
    }
    return { kind: 'aigp', code: 26, flags, tlvs };
  },
  encode(w, attribute) {
    for (const tlv of attribute.tlvs) {
      w.u8(tlv.type);
      w.u16(tlv.value.length + 3);
      w.bytes(tlv.value);
    }
  },
  // ExaBGP accepts AIGP only on a session configured with `aigp enable` (RFC 7311 §3) and drops it otherwise.
  json(a, ctx) {
    if (!ctx.aigp) return undefined;
    const tlv = a.tlvs.find((t) => t.type === 1);
    return `"aigp": "${tlv && tlv.value.length === 8 ? hexLower(tlv.value) : '0x0000000000000000'}"`;
  },
};
