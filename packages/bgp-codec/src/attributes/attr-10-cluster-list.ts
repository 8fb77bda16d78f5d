import { UpdateSubcode } from '../errors.js';
import { ipv4FromNumber } from '../json/format.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/** CLUSTER_LIST (10), optional non-transitive (RFC 4456 §8): cluster IDs as unsigned 32-bit numbers. */
export interface ClusterListAttribute {
  readonly kind: 'cluster-list';
  readonly code: 10;
  readonly flags?: number;
  readonly clusterList: number[];
}

export const CLUSTER_LIST: AttributeRow<ClusterListAttribute> = {
  code: 10,
  name: 'cluster-list',
  flags: 0x80,
  // RFC 7606 §7.10: "If the CLUSTER_LIST attribute is received from an external neighbor, it SHALL be
  // discarded using the approach of 'attribute discard' [the speaker's concern], or if received with a length
  // that is not a non-zero multiple of 4, an UPDATE message with a malformed attribute SHALL be handled
  // using the approach of 'treat-as-withdraw'."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    const length = end - start;
    if (length === 0 || length % 4 !== 0) {
      throw malformed(UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, `CLUSTER_LIST of ${length} octets`);
    }
    const clusterList = new Array<number>(length >>> 2);
    for (let k = 0, i = start; i < end; k++, i += 4) clusterList[k] = readU32(b, i);
    return { kind: 'cluster-list', code: 10, flags, clusterList };
  },
  encode(w, attribute) {
    for (const id of attribute.clusterList) writeU32(w, id);
  },
  json: (a) => `"cluster-list": [ ${a.clusterList.map((c) => `"${ipv4FromNumber(c)}"`).join(', ')} ]`,
};
