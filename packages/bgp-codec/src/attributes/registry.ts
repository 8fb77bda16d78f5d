import type { CodecContext } from '../context.js';
import type { ByteWriter } from '../writer.js';
import { ORIGIN, type OriginAttribute } from './attr-01-origin.js';
import { AS_PATH, type AsPathAttribute } from './attr-02-as-path.js';
import { NEXT_HOP, type NextHopAttribute } from './attr-03-next-hop.js';
import { MED, type MedAttribute } from './attr-04-med.js';
import { LOCAL_PREF, type LocalPrefAttribute } from './attr-05-local-pref.js';
import { ATOMIC_AGGREGATE, type AtomicAggregateAttribute } from './attr-06-atomic-aggregate.js';
import { AGGREGATOR, type AggregatorAttribute } from './attr-07-aggregator.js';
import { COMMUNITIES, type CommunitiesAttribute } from './attr-08-communities.js';
import { ORIGINATOR_ID, type OriginatorIdAttribute } from './attr-09-originator-id.js';
import { CLUSTER_LIST, type ClusterListAttribute } from './attr-10-cluster-list.js';
import { MP_REACH_NLRI, type MpReachNlriAttribute } from './attr-14-mp-reach-nlri.js';
import { MP_UNREACH_NLRI, type MpUnreachNlriAttribute } from './attr-15-mp-unreach-nlri.js';
import { EXTENDED_COMMUNITIES, type ExtendedCommunitiesAttribute } from './attr-16-extended-communities.js';
import { AS4_PATH, type As4PathAttribute } from './attr-17-as4-path.js';
import { AS4_AGGREGATOR, type As4AggregatorAttribute } from './attr-18-as4-aggregator.js';
import { AIGP, type AigpAttribute } from './attr-26-aigp.js';
import { LARGE_COMMUNITIES, type LargeCommunitiesAttribute } from './attr-32-large-communities.js';
import type { AttributeJsonContext, AttributeRow } from './types.js';
import { AttributeFlag } from './types.js';
import { type UnknownAttribute, unknownAttributeJson, unknownAttributeKept } from './unknown.js';

/** Every path attribute the codec reads and writes; `kind` tells them apart, `code` is the type code. */
export type PathAttribute =
  | OriginAttribute
  | AsPathAttribute
  | NextHopAttribute
  | MedAttribute
  | LocalPrefAttribute
  | AtomicAggregateAttribute
  | AggregatorAttribute
  | CommunitiesAttribute
  | OriginatorIdAttribute
  | ClusterListAttribute
  | MpReachNlriAttribute
  | MpUnreachNlriAttribute
  | ExtendedCommunitiesAttribute
  | As4PathAttribute
  | As4AggregatorAttribute
  | AigpAttribute
  | LargeCommunitiesAttribute
  | UnknownAttribute;

export type AttributeKind = PathAttribute['kind'];

/** The attribute table, indexed by type code. Adding an attribute is adding a row here. */
// biome-ignore lint/suspicious/noExplicitAny: rows of different attribute types share one table
const TABLE: (AttributeRow<any> | undefined)[] = new Array(256).fill(undefined);
for (const row of [
  ORIGIN,
  AS_PATH,
  NEXT_HOP,
  MED,
  LOCAL_PREF,
  ATOMIC_AGGREGATE,
  AGGREGATOR,
  COMMUNITIES,
  ORIGINATOR_ID,
  CLUSTER_LIST,
  MP_REACH_NLRI,
  MP_UNREACH_NLRI,
  EXTENDED_COMMUNITIES,
  AS4_PATH,
  AS4_AGGREGATOR,
  AIGP,
  LARGE_COMMUNITIES,
] as AttributeRow<PathAttribute>[]) {
  TABLE[row.code] = row;
}

/** The row for a type code, or undefined for attributes the codec keeps raw. */
export function attributeRow(code: number): AttributeRow<PathAttribute> | undefined {
  return TABLE[code];
}

/** ExaBGP's name of an attribute type code (`as-path`), or `attribute-N`. */
export function attributeName(code: number): string {
  return TABLE[code]?.name ?? `attribute-${code}`;
}

/**
 * Write one attribute: flags, type code, length, value. Flags are the attribute's own when it has them
 * (decoded attributes keep what was received, unknown ones always have them), else the row's. The Extended
 * Length bit is used when the flags ask for it or when the value exceeds 255 octets (RFC 4271 §4.3), which is
 * what ExaBGP does.
 */
export function writeAttribute(w: ByteWriter, attribute: PathAttribute, ctx: CodecContext): void {
  const code = attribute.code;
  const row = attribute.kind === 'unknown' ? undefined : TABLE[code];
  const flags = attribute.flags ?? row?.flags ?? AttributeFlag.OPTIONAL;
  w.ensure(4);
  const at = w.pos;
  w.buf[at] = flags;
  w.buf[at + 1] = code;
  if (flags & AttributeFlag.EXTENDED_LENGTH) {
    w.pos = at + 4;
    if (row) row.encode(w, attribute, ctx);
    else w.bytes((attribute as UnknownAttribute).value);
    w.fill(at + 2, 2);
    return;
  }
  w.pos = at + 3;
  if (row) row.encode(w, attribute, ctx);
  else w.bytes((attribute as UnknownAttribute).value);
  const length = w.pos - at - 3;
  if (length <= 0xff) {
    w.buf[at + 2] = length;
    return;
  }
  // The value outgrew one length octet: move it one octet on and switch to the Extended Length form.
  w.ensure(1);
  w.buf.copyWithin(at + 4, at + 3, w.pos);
  w.pos += 1;
  w.buf[at] = flags | AttributeFlag.EXTENDED_LENGTH;
  w.buf[at + 2] = length >>> 8;
  w.buf[at + 3] = length & 0xff;
}

/**
 * The attributes in the order ExaBGP sends them: ascending type code, then MP_REACH_NLRI and MP_UNREACH_NLRI
 * last. The encoder writes attributes in the order it is given (so a decoded UPDATE re-encodes byte for byte);
 * callers building messages the way ExaBGP does pass them through this first.
 */
export function orderAttributes(attributes: readonly PathAttribute[]): PathAttribute[] {
  const rank = (a: PathAttribute) => (a.code === 14 ? 0x100 : a.code === 15 ? 0x101 : a.code);
  return [...attributes].sort((a, b) => rank(a) - rank(b));
}

/**
 * Whether ExaBGP's attribute collection holds the attribute: not MP_REACH_NLRI or MP_UNREACH_NLRI, whose
 * routes are printed as routes (even of a family the codec keeps raw), and not an unknown non-transitive
 * attribute, which ExaBGP drops on receipt.
 */
export function inExabgpCollection(attribute: PathAttribute): boolean {
  if (TABLE[attribute.code]?.carriesNlri) return false;
  return attribute.kind !== 'unknown' || unknownAttributeKept(attribute);
}

/** ExaBGP's JSON of one attribute (`"key": value`), by its row; undefined when ExaBGP prints nothing for it. */
export function attributeJson(attribute: PathAttribute, ctx: AttributeJsonContext): string | undefined {
  if (attribute.kind === 'unknown') return unknownAttributeJson(attribute);
  return TABLE[attribute.code]?.json(attribute, ctx);
}
