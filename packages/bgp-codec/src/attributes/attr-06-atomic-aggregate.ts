import { UpdateSubcode } from '../errors.js';
import { type AttributeRow, malformed } from './types.js';

/** ATOMIC_AGGREGATE (6), well-known discretionary, no value. */
export interface AtomicAggregateAttribute {
  readonly kind: 'atomic-aggregate';
  readonly code: 6;
  readonly flags?: number;
}

export const ATOMIC_AGGREGATE: AttributeRow<AtomicAggregateAttribute> = {
  code: 6,
  name: 'atomic-aggregate',
  flags: 0x40,
  // RFC 7606 §7.6: "The attribute SHALL be considered malformed if its length is not 0. An UPDATE message
  // with a malformed ATOMIC_AGGREGATE attribute SHALL be handled using the approach of 'attribute discard'."
  onError: 'attribute-discard',
  carriesNlri: false,
  decode(_b, start, end, flags) {
    if (end !== start)
      throw malformed(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, `ATOMIC_AGGREGATE of ${end - start} octets`);
    return { kind: 'atomic-aggregate', code: 6, flags };
  },
  encode() {},
  json: () => '"atomic-aggregate": true',
};
