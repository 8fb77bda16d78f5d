/**
 * Every keyword of a route, one row each (static/route.py, announce/*.py, l2vpn/vpls.py): the route forms
 * that accept it and the rule that reads its value. The same rows serve a route written in a configuration
 * block, on one line, or as an API command.
 */

import type { Token } from '../../lexer.js';
import type { Attributes, ExtendedCommunity } from '../../model.js';
import {
  community,
  digits,
  extendedCommunity,
  formatIPv4,
  hexData,
  InvalidValue,
  integer,
  integerOrHex,
  ipAddress,
  ipv4Address,
  label,
  largeCommunity,
  parseIPv4,
  routeDistinguisher,
} from '../../values.js';
import type { Words } from '../../words.js';
import type { ConfigurationParser } from '../parser.js';
import type { LeafHandler } from '../types.js';
import type { RouteDraft } from './route.js';
import { aggregator, asPath, prefixSid, prefixSidSrv6 } from './values.js';

/** The ways a route is written, one bit each: a keyword row lists the ones that accept it. */
export const RouteForm = {
  /** `static { route ... }` and `attributes ... nlri ...`: the keywords decide the family (rd, label) */
  STATIC: 1 << 0,
  /** `announce { ipv4 { unicast ... } }` */
  UNICAST: 1 << 1,
  MULTICAST: 1 << 2,
  /** `nlri-mpls` / `labeled-unicast` (RFC 8277) */
  LABELED: 1 << 3,
  /** `mpls-vpn` (RFC 4364) */
  VPN: 1 << 4,
  /** `l2vpn { vpls ... }` (RFC 4761) */
  VPLS: 1 << 5,
  /** the attributes after an `mcast-vpn` or `mup` NLRI */
  NLRI: 1 << 6,
  /** the attributes after an `sr-policy` NLRI */
  SR_POLICY: 1 << 7,
  /** the attribute statements of a flow route's `then { }` */
  FLOW_THEN: 1 << 8,
} as const;

/** How the value after one route keyword is read into the route being built. */
export type RouteRule = (p: ConfigurationParser, w: Words, kw: Token, r: RouteDraft) => void;

export interface RouteKeyword {
  /** the {@link RouteForm}s that accept the keyword */
  readonly forms: number;
  /**
   * The path attribute it sets. Its value is read once per distinct source text and shared, and routes
   * written with the same attribute text share one Attributes object.
   */
  readonly attribute?: keyof Attributes;
  /** the attribute adds to what earlier keywords of the route gave (extended communities, generic attributes) */
  readonly accumulates?: boolean;
  readonly rule: RouteRule;
}

const F = RouteForm;
/** the forms every path attribute keyword is accepted in */
const ANY = F.STATIC | F.UNICAST | F.MULTICAST | F.LABELED | F.VPN | F.VPLS | F.NLRI | F.SR_POLICY;

// value converters used once per route: module functions, so no closure is created per route
const nextHopValue = (t: string): string => (t.length === 4 && t.toLowerCase() === 'self' ? 'self' : ipAddress(t).text);
const medValue = (t: string): number => integer(t, 0, 0xffffffff, 'MED');
const localPreferenceValue = (t: string): number => integer(t, 0, 0xffffffff, 'local-preference');
const originValue = (t: string): 'igp' | 'egp' | 'incomplete' => {
  const v = t.toLowerCase();
  if (v !== 'igp' && v !== 'egp' && v !== 'incomplete') {
    throw new InvalidValue(`'${t}' is not a valid origin`, 'igp, egp or incomplete');
  }
  return v;
};
const extendedCommunityValue = (t: string): ExtendedCommunity => ({ text: t, hex: extendedCommunity(t), ipv6: false });
const clusterIdValue = (t: string): string => {
  const v4 = parseIPv4(t);
  if (v4 >= 0) return t;
  const n = digits(t);
  if (n >= 0 && n <= 0xffffffff) return formatIPv4(n);
  throw new InvalidValue(`'${t}' is not a valid cluster id`, 'an IPv4 address or a 32-bit number');
};
const aigpValue = (t: string): number => {
  const n = integerOrHex(t);
  if (n < 0 || !Number.isSafeInteger(n))
    throw new InvalidValue(`'${t}' is not a valid AIGP value`, 'a number (RFC 7311)');
  return n;
};
const splitValue = (t: string): number => {
  const n = t.startsWith('/') ? digits(t.slice(1)) : -1;
  if (n < 0 || n > 128) throw new InvalidValue(`'${t}' is not a valid split value`, '/<prefix-length> (e.g. /24)');
  return n;
};
const pathInformationValue = (t: string): number => {
  const n = digits(t);
  if (n >= 0 && n <= 0xffffffff) return n;
  const v4 = parseIPv4(t);
  if (v4 >= 0) return v4;
  throw new InvalidValue(`'${t}' is not a valid path-information`, 'a 32-bit number or an IPv4 address');
};
const octetValue = (what: string) => (t: string) => {
  const hex = hexData(t.length % 2 === 1 ? `0x0${t.slice(2)}` : t, what);
  const n = Number.parseInt(hex, 16);
  if (n > 255) throw new InvalidValue(`${what} ${t} is too large`, '0x00 to 0xFF');
  return n;
};
const attributeCodeValue = octetValue('attribute code');
const attributeFlagsValue = octetValue('attribute flags');

/** `endpoint`, `base`, `offset`, `size` of a VPLS route (RFC 4761 §3.2.2) */
const vplsField: RouteRule = (_p, w, kw, r) => {
  r.vpls ??= {};
  r.vpls[kw.text] = w.value(`the ${kw.text}`, (t) => integer(t, 0, 0xffff, kw.text));
};

const rd: RouteRule = (_p, w, _kw, r) => {
  r.rd = w.value('a route distinguisher', routeDistinguisher);
};

/** The route keyword table, in the order error messages list the keywords. */
export const ROUTE_KEYWORDS: Readonly<Record<string, RouteKeyword>> = Object.assign(Object.create(null), {
  'next-hop': {
    forms: ANY,
    rule(p, w, _kw, r) {
      // next-hops repeat across routes: keep one string per distinct next-hop
      const hop = w.value('an IP address or self', nextHopValue);
      const known = p.nextHops.get(hop);
      if (known !== undefined) r.nextHop = known;
      else {
        p.nextHops.set(hop, hop);
        r.nextHop = hop;
      }
    },
  },
  origin: {
    forms: ANY,
    attribute: 'origin',
    rule(_p, w, _kw, r) {
      r.attributes.origin = w.value('igp, egp or incomplete', originValue);
    },
  },
  med: {
    forms: ANY,
    attribute: 'med',
    rule(_p, w, _kw, r) {
      r.attributes.med = w.value('a MED', medValue);
    },
  },
  'as-path': {
    forms: ANY,
    attribute: 'asPath',
    rule(_p, w, _kw, r) {
      r.attributes.asPath = asPath(w);
    },
  },
  'local-preference': {
    forms: ANY,
    attribute: 'localPreference',
    rule(_p, w, _kw, r) {
      r.attributes.localPreference = w.value('a local preference', localPreferenceValue);
    },
  },
  'atomic-aggregate': {
    forms: ANY,
    attribute: 'atomicAggregate',
    rule(_p, _w, _kw, r) {
      r.attributes.atomicAggregate = true;
    },
  },
  aggregator: {
    forms: ANY,
    attribute: 'aggregator',
    rule(_p, w, _kw, r) {
      r.attributes.aggregator = aggregator(w);
    },
  },
  'originator-id': {
    forms: ANY,
    attribute: 'originatorId',
    rule(_p, w, _kw, r) {
      r.attributes.originatorId = w.value('an IPv4 address', (t) => ipv4Address(t, 'originator-id'));
    },
  },
  'cluster-list': {
    forms: ANY,
    attribute: 'clusterList',
    rule(_p, w, kw, r) {
      const list = w.list('a cluster id (IPv4 address)', clusterIdValue);
      if (list.length === 0) throw w.error(kw, 'cluster-list is empty', 'at least one cluster id');
      r.attributes.clusterList = list;
    },
  },
  community: {
    forms: ANY | F.FLOW_THEN,
    attribute: 'communities',
    rule(_p, w, _kw, r) {
      r.attributes.communities = w.list('a community', community);
    },
  },
  'large-community': {
    forms: ANY | F.FLOW_THEN,
    attribute: 'largeCommunities',
    rule(_p, w, _kw, r) {
      const values = w.list('a large community', largeCommunity);
      // ExaBGP drops a large community listed twice (static/parser.py large_community)
      const seen = new Set<string>();
      r.attributes.largeCommunities = values.filter((v) => {
        const key = v.join(':');
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  },
  'extended-community': {
    forms: ANY | F.FLOW_THEN,
    attribute: 'extendedCommunities',
    accumulates: true,
    rule(_p, w, _kw, r) {
      const a = r.attributes;
      const list = w.list('an extended community', extendedCommunityValue);
      a.extendedCommunities = a.extendedCommunities === undefined ? list : [...a.extendedCommunities, ...list];
    },
  },
  aigp: {
    forms: ANY,
    attribute: 'aigp',
    rule(_p, w, _kw, r) {
      r.attributes.aigp = w.value('an AIGP metric', aigpValue);
    },
  },
  attribute: {
    forms: ANY | F.FLOW_THEN,
    attribute: 'generic',
    accumulates: true,
    rule(_p, w, _kw, r) {
      // `attribute [ 0xCODE 0xFLAGS 0xVALUE ]`
      const open = w.expect('[');
      const code = w.value('the attribute code (0xNN)', attributeCodeValue);
      const flags = w.value('the attribute flags (0xNN)', attributeFlagsValue);
      const hex = w.value('the attribute value (0x...)', (t) => hexData(t, 'attribute data'));
      const close = w.next(`']' closing the attribute opened at ${open.line}:${open.column}`);
      if (close.quoted || close.text !== ']') throw w.error(close, `unexpected '${close.text}'`, "']'");
      r.attributes.generic ??= [];
      r.attributes.generic.push({ code, flags, hex });
    },
  },
  name: {
    forms: ANY,
    rule(_p, w, _kw, r) {
      r.name = w.next('a name').text;
    },
  },
  split: {
    forms: ANY,
    rule(_p, w, _kw, r) {
      r.split = w.value('/LENGTH', splitValue);
    },
  },
  watchdog: {
    forms: ANY,
    rule(_p, w, _kw, r) {
      const token = w.next('a watchdog name');
      const lower = token.text.toLowerCase();
      if (lower === 'announce' || lower === 'withdraw') {
        throw w.error(token, `'${token.text}' is a reserved word and cannot be a watchdog name`, 'another name');
      }
      r.watchdog = token.text;
    },
  },
  withdraw: {
    forms: ANY,
    rule(_p, _w, _kw, r) {
      r.withdraw = true;
    },
  },
  'path-information': {
    forms: F.STATIC | F.UNICAST | F.LABELED | F.VPN,
    rule(_p, w, _kw, r) {
      r.pathInformation = w.value('a path identifier (number or IPv4 address)', pathInformationValue);
    },
  },
  rd: { forms: F.STATIC | F.VPN | F.VPLS, rule: rd },
  'route-distinguisher': { forms: F.STATIC | F.VPN, rule: rd },
  label: {
    forms: F.STATIC | F.LABELED | F.VPN,
    rule(_p, w, _kw, r) {
      r.labels = w.list('an MPLS label', label);
    },
  },
  'bgp-prefix-sid': {
    forms: F.STATIC | F.LABELED | F.VPN,
    attribute: 'bgpPrefixSid',
    rule(_p, w, _kw, r) {
      r.attributes.bgpPrefixSid = prefixSid(w);
    },
  },
  'bgp-prefix-sid-srv6': {
    forms: F.STATIC | F.VPN | F.NLRI,
    attribute: 'bgpPrefixSidSrv6',
    rule(_p, w, _kw, r) {
      r.attributes.bgpPrefixSidSrv6 = prefixSidSrv6(w);
    },
  },
  endpoint: { forms: F.VPLS, rule: vplsField },
  base: { forms: F.VPLS, rule: vplsField },
  offset: { forms: F.VPLS, rule: vplsField },
  size: { forms: F.VPLS, rule: vplsField },
} satisfies Record<string, RouteKeyword>);

const byForm = new Map<number, string[]>();

/** The keywords a route form accepts, in table order. */
export function keywordsOf(form: number): string[] {
  let list = byForm.get(form);
  if (list === undefined) {
    list = Object.keys(ROUTE_KEYWORDS).filter((k) => (ROUTE_KEYWORDS[k]!.forms & form) !== 0);
    byForm.set(form, list);
  }
  return list;
}

const tables = new Map<number, Record<string, LeafHandler>>();

/** A leaves table for a route body block: the form's keywords (BlockSpec.statement handles them all). */
export function keywordTable(form: number): Record<string, LeafHandler> {
  let table = tables.get(form);
  if (table === undefined) {
    table = {};
    for (const keyword of keywordsOf(form)) table[keyword] = unreachableLeaf;
    tables.set(form, table);
  }
  return table;
}

function unreachableLeaf(): void {
  throw new Error('route body statements go through BlockSpec.statement');
}
