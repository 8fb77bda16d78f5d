import { UpdateSubcode } from '../errors.js';
import { ipv4FromNumber } from '../json/format.js';
import { AS_TRANS } from './attr-02-as-path.js';
import { type AttributeRow, malformed, readU16, readU32, writeU32 } from './types.js';

/** AGGREGATOR (7), optional transitive: the AS and BGP Identifier of the speaker that aggregated. */
export interface AggregatorAttribute {
  readonly kind: 'aggregator';
  readonly code: 7;
  readonly flags?: number;
  readonly asn: number;
  /** IPv4 address (BGP Identifier) as an unsigned 32-bit number. */
  readonly address: number;
}

/**
 * aggregator.py json(). AGGREGATOR and AS4_AGGREGATOR are both named "aggregator" by ExaBGP: when both are
 * present the key appears twice, as ExaBGP prints it.
 */
export function aggregatorJson(a: { readonly asn: number; readonly address: number }): string {
  return `"aggregator": "${a.asn}:${ipv4FromNumber(a.address)}"`;
}

export const AGGREGATOR: AttributeRow<AggregatorAttribute> = {
  code: 7,
  name: 'aggregator',
  flags: 0xc0,
  // RFC 7606 §7.7: "The error conditions specified in [RFC4271] for the attribute are revised as follows:
  // The AGGREGATOR attribute SHALL be considered malformed if any of the following applies: Its length is
  // not 6 (when the 4-octet AS number capability is not advertised to, or not received from, the peer);
  // Its length is not 8 (when the 4-octet AS number capability is both advertised to and received from the
  // peer). An UPDATE message with a malformed AGGREGATOR attribute SHALL be handled using the approach of
  // 'attribute discard'."
  onError: 'attribute-discard',
  carriesNlri: false,
  decode(b, start, end, flags, ctx) {
    const expected = ctx.asn4 ? 8 : 6;
    if (end - start !== expected) {
      throw malformed(
        UpdateSubcode.ATTRIBUTE_LENGTH_ERROR,
        `AGGREGATOR of ${end - start} octets, expected ${expected}`,
      );
    }
    return ctx.asn4
      ? { kind: 'aggregator', code: 7, flags, asn: readU32(b, start), address: readU32(b, start + 4) }
      : { kind: 'aggregator', code: 7, flags, asn: readU16(b, start), address: readU32(b, start + 2) };
  },
  encode(w, attribute, ctx) {
    // RFC 6793 §4.2.2: a 2-octet session carries AS_TRANS here and the real AS in AS4_AGGREGATOR.
    if (ctx.asn4) writeU32(w, attribute.asn);
    else w.u16(attribute.asn > 0xffff ? AS_TRANS : attribute.asn);
    writeU32(w, attribute.address);
  },
  json: aggregatorJson,
};
