import { UpdateSubcode } from '../errors.js';
import { type AttributeRow, malformed, readU32, writeU32 } from './types.js';

/**
 * COMMUNITIES (8), optional transitive (RFC 1997): 32-bit values, high half the AS. Values are written in
 * the order given; ExaBGP sends them sorted and keeps duplicates, and that ordering is the caller's business
 * (the configuration side sorts).
 */
export interface CommunitiesAttribute {
  readonly kind: 'communities';
  readonly code: 8;
  readonly flags?: number;
  readonly communities: number[];
}

/** Well-known communities (RFC 1997, RFC 3765, RFC 7999, RFC 8326, RFC 9494, RFC 7611, RFC 8642...). */
export const WellKnownCommunity = {
  GRACEFUL_SHUTDOWN: 0xffff0000,
  ACCEPT_OWN: 0xffff0001,
  ROUTE_FILTER_TRANSLATED_V4: 0xffff0002,
  ROUTE_FILTER_V4: 0xffff0003,
  ROUTE_FILTER_TRANSLATED_V6: 0xffff0004,
  ROUTE_FILTER_V6: 0xffff0005,
  LLGR_STALE: 0xffff0006,
  NO_LLGR: 0xffff0007,
  ACCEPT_OWN_NEXTHOP: 0xffff0008,
  STANDBY_PE: 0xffff0009,
  BLACKHOLE: 0xffff029a,
  NO_EXPORT: 0xffffff01,
  NO_ADVERTISE: 0xffffff02,
  NO_EXPORT_SUBCONFED: 0xffffff03,
  NO_PEER: 0xffffff04,
} as const;

/** The names ExaBGP prints and parses for the well-known communities. */
const NAMES: ReadonlyMap<number, string> = new Map([
  [WellKnownCommunity.GRACEFUL_SHUTDOWN, 'graceful-shutdown'],
  [WellKnownCommunity.ACCEPT_OWN, 'accept-own'],
  [WellKnownCommunity.ROUTE_FILTER_TRANSLATED_V4, 'route-filter-translated-v4'],
  [WellKnownCommunity.ROUTE_FILTER_V4, 'route-filter-v4'],
  [WellKnownCommunity.ROUTE_FILTER_TRANSLATED_V6, 'route-filter-translated-v6'],
  [WellKnownCommunity.ROUTE_FILTER_V6, 'route-filter-v6'],
  [WellKnownCommunity.LLGR_STALE, 'llgr-stale'],
  [WellKnownCommunity.NO_LLGR, 'no-llgr'],
  [WellKnownCommunity.ACCEPT_OWN_NEXTHOP, 'accept-own-nexthop'],
  [WellKnownCommunity.STANDBY_PE, 'standby-pe'],
  [WellKnownCommunity.BLACKHOLE, 'blackhole'],
  [WellKnownCommunity.NO_EXPORT, 'no-export'],
  [WellKnownCommunity.NO_ADVERTISE, 'no-advertise'],
  [WellKnownCommunity.NO_EXPORT_SUBCONFED, 'no-export-subconfed'],
  [WellKnownCommunity.NO_PEER, 'no-peer'],
]);
const BY_NAME: ReadonlyMap<string, number> = new Map([...NAMES].map(([value, name]) => [name, value]));

/** The well-known name of a community, or undefined. */
export function communityName(value: number): string | undefined {
  return NAMES.get(value >>> 0);
}

/** `65000:100` for any community (the form ExaBGP's JSON uses), see {@link communityName} for names. */
export function communityToString(value: number): string {
  return `${value >>> 16}:${value & 0xffff}`;
}

/** `"65000:100"`, `"no-export"` or a decimal 32-bit value -> the community. Throws RangeError otherwise. */
export function parseCommunity(text: string): number {
  const named = BY_NAME.get(text.toLowerCase());
  if (named !== undefined) return named;
  const pair = /^(\d{1,5}):(\d{1,5})$/.exec(text);
  if (pair) {
    const high = Number(pair[1]);
    const low = Number(pair[2]);
    if (high <= 0xffff && low <= 0xffff) return (high * 0x10000 + low) >>> 0;
  } else if (/^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff) {
    return Number(text);
  } else if (/^0x[0-9a-f]{1,8}$/i.test(text)) {
    return Number.parseInt(text.slice(2), 16) >>> 0;
  }
  throw new RangeError(`not a community: ${text}`);
}

export const COMMUNITIES: AttributeRow<CommunitiesAttribute> = {
  code: 8,
  name: 'community',
  flags: 0xc0,
  // RFC 7606 §7.8: "The error handling of [RFC1997] is revised as follows: The Community attribute SHALL be
  // considered malformed if its length is not a non-zero multiple of 4. An UPDATE message with a malformed
  // Community attribute SHALL be handled using the approach of 'treat-as-withdraw'."
  onError: 'treat-as-withdraw',
  carriesNlri: false,
  decode(b, start, end, flags) {
    const length = end - start;
    if (length === 0 || length % 4 !== 0) {
      throw malformed(UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, `COMMUNITIES of ${length} octets`);
    }
    const communities = new Array<number>(length >>> 2);
    for (let k = 0, i = start; i < end; k++, i += 4) communities[k] = readU32(b, i);
    return { kind: 'communities', code: 8, flags, communities };
  },
  encode(w, attribute) {
    for (const value of attribute.communities) writeU32(w, value);
  },
  json: (a) => `"community": [ ${a.communities.map((c) => `[ ${c >>> 16}, ${c & 0xffff} ]`).join(', ')} ]`,
};
