import { UpdateSubcode } from '../errors.js';
import { aggregatorJson } from './attr-07-aggregator.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/** AS4_AGGREGATOR (18), optional transitive (RFC 6793 §3): the 4-octet AGGREGATOR of a 2-octet session. */
export interface As4AggregatorAttribute {
  readonly kind: 'as4-aggregator';
  readonly code: 18;
  readonly flags?: number;
  readonly asn: number;
  readonly address: number;
}

export const AS4_AGGREGATOR: AttributeRow<As4AggregatorAttribute> = {
  code: 18,
  name: 'as4-aggregator',
  flags: 0xc0,
  // RFC 6793 §6 (as revised by RFC 7606 §7.7's companion text): an AS4_AGGREGATOR whose length is not 8 is
  // malformed and "SHALL be handled using the approach of 'attribute discard'".
  onError: 'attribute-discard',
  carriesNlri: false,
  decode(b, start, end, flags) {
    if (end - start !== 8)
      throw malformed(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, `AS4_AGGREGATOR of ${end - start} octets`);
    return { kind: 'as4-aggregator', code: 18, flags, asn: readU32(b, start), address: readU32(b, start + 4) };
  },
  encode(w, attribute) {
    writeU32(w, attribute.asn);
    writeU32(w, attribute.address);
  },
  json: aggregatorJson,
};
