/**
 * `sr-policy distinguisher N color N endpoint IP next-hop IP [policy keywords] [attributes]`
 * (static/sr_policy.py, draft-ietf-idr-sr-policy-safi): the NLRI, then the policy's keywords (one rule each
 * in SR_POLICY_KEYWORDS), then the route's attributes.
 */

import { family } from '../../families.js';
import type { Token } from '../../lexer.js';
import type { SrPolicy, SrSegmentList } from '../../model.js';
import { InvalidValue, integer, integerOrHex, ipAddress, ipv4Address, ipv6Address, label } from '../../values.js';
import type { Words } from '../../words.js';
import type { ConfigurationParser } from '../parser.js';
import type { Draft } from '../types.js';
import { RouteForm } from './keywords.js';
import { newRoute, nlriRoute, routeKeyword } from './route.js';

/** The keywords of the policy itself, after the NLRI and before the route's attributes. */
const SR_POLICY_KEYWORDS: Readonly<Record<string, (p: ConfigurationParser, w: Words, policy: SrPolicy) => void>> =
  Object.assign(Object.create(null), {
    preference: (_p: ConfigurationParser, w: Words, policy: SrPolicy) => {
      policy.preference = w.value('a preference', (t) => integer(t, 0, 0xffffffff, 'preference'));
    },
    priority: (_p: ConfigurationParser, w: Words, policy: SrPolicy) => {
      policy.priority = w.value('a priority', (t) => integer(t, 0, 255, 'priority'));
    },
    'binding-sid': (_p: ConfigurationParser, w: Words, policy: SrPolicy) => {
      const kind = w.value('mpls or null', (t) => {
        if (t !== 'mpls' && t !== 'null') throw new InvalidValue(`'${t}' is not a binding-sid type`, 'mpls or null');
        return t;
      });
      policy.bindingSid = kind === 'null' ? 'null' : w.value('an MPLS label', label);
    },
    'srv6-binding-sid': (_p: ConfigurationParser, w: Words, policy: SrPolicy) => {
      policy.srv6BindingSid = w.value('an IPv6 SID', (t) => ipv6Address(t, 'SRv6 binding SID'));
    },
    'policy-name': (_p: ConfigurationParser, w: Words, policy: SrPolicy) => {
      policy.policyName = w.next('a name').text;
    },
    'candidate-path-name': (_p: ConfigurationParser, w: Words, policy: SrPolicy) => {
      policy.candidatePathName = w.next('a name').text;
    },
    'segment-list': (p: ConfigurationParser, w: Words, policy: SrPolicy) => {
      policy.segmentLists.push(segmentList(p, w));
    },
    enlp: (_p: ConfigurationParser, w: Words, policy: SrPolicy) => {
      policy.enlp = w.value('an ENLP value', (t) => integer(t, 0, 255, 'enlp'));
    },
  });

export function srPolicy(
  p: ConfigurationParser,
  draft: Draft,
  w: Words,
  kw: Token,
  blockAfi: 'ipv4' | 'ipv6' | undefined,
  where: string,
): void {
  w.expect('distinguisher');
  const distinguisher = w.value('a distinguisher', (t) => integer(t, 0, 0xffffffff, 'distinguisher'));
  w.expect('color');
  const color = w.value('a color', (t) => integer(t, 0, 0xffffffff, 'color'));
  w.expect('endpoint');
  const endpointToken = w.next('an IP address');
  const endpoint = w.convert(endpointToken, ipAddress);
  const afi = blockAfi ?? endpoint.afi;
  const r = newRoute();
  w.expect('next-hop');
  r.nextHop = w.value('an IP address', (t) => ipAddress(t).text);
  const policy: SrPolicy = { segmentLists: [] };
  for (;;) {
    const key = w.peekWord();
    const rule = key === undefined ? undefined : SR_POLICY_KEYWORDS[key];
    if (rule === undefined) break;
    w.next(key!);
    rule(p, w, policy);
  }
  while (w.more()) routeKeyword(p, w, w.next('a route keyword'), r, RouteForm.SR_POLICY, where);
  const nlri = { kind: 'sr-policy' as const, distinguisher, color, endpoint: endpoint.text, policy };
  nlriRoute(p, draft, kw, family(afi, 'sr-policy'), nlri, r);
}

function segmentList(p: ConfigurationParser, w: Words): SrSegmentList {
  w.expect('weight');
  const list: SrSegmentList = {
    weight: w.value('a weight', (t) => integer(t, 0, 0xffffffff, 'weight')),
    segments: [],
  };
  const num = (max: number, what: string) => (t: string) => integer(t, 0, max, what);
  const ip4 = (t: string) => ipv4Address(t);
  const ip6 = (t: string) => ipv6Address(t);
  // each segment type: its fixed keywords in order, then optional ones (static/sr_policy.py)
  const layouts: Record<string, [string, (t: string) => string | number][]> = {
    'type-a': [['mpls', num(0xfffff, 'MPLS label')]],
    'type-b': [['srv6', ip6]],
    'type-c': [
      ['ipv4', ip4],
      ['algorithm', num(255, 'algorithm')],
    ],
    'type-d': [
      ['ipv6', ip6],
      ['algorithm', num(255, 'algorithm')],
    ],
    'type-e': [
      ['local-if-id', num(0xffffffff, 'interface id')],
      ['ipv4', ip4],
    ],
    'type-f': [
      ['local', ip4],
      ['remote', ip4],
    ],
    'type-g': [
      ['local-if-id', num(0xffffffff, 'interface id')],
      ['local-ipv6', ip6],
      ['remote-if-id', num(0xffffffff, 'interface id')],
      ['remote-ipv6', ip6],
    ],
    'type-h': [
      ['local', ip6],
      ['remote', ip6],
    ],
    'type-i': [
      ['ipv6', ip6],
      ['algorithm', num(255, 'algorithm')],
    ],
    'type-j': [
      ['local-if-id', num(0xffffffff, 'interface id')],
      ['local-ipv6', ip6],
      ['remote-if-id', num(0xffffffff, 'interface id')],
      ['remote-ipv6', ip6],
      ['algorithm', num(255, 'algorithm')],
    ],
    'type-k': [
      ['local', ip6],
      ['remote', ip6],
      ['algorithm', num(255, 'algorithm')],
    ],
  };
  while (w.accept('segment')) {
    const typeToken = w.next('a segment type (type-a to type-k)');
    const layout = layouts[typeToken.text];
    if (typeToken.quoted || layout === undefined) throw p.unknown(typeToken, 'segment', Object.keys(layouts), []);
    const fields: Record<string, string | number | number[]> = {};
    for (const [key, convert] of layout) {
      w.expect(key);
      fields[key] = w.value(key, convert);
    }
    const srv6 = ['type-b', 'type-i', 'type-j', 'type-k'].includes(typeToken.text);
    if (typeToken.text !== 'type-a' && typeToken.text !== 'type-b' && w.accept('sid')) {
      fields.sid = srv6 ? w.value('an IPv6 SID', ip6) : w.value('an MPLS SID', num(0xfffff, 'MPLS SID'));
    }
    if (srv6 && w.accept('endpoint-behavior')) {
      const behavior = w.value('an endpoint behavior', (t) => {
        const n = integerOrHex(t);
        if (n < 0 || n > 0xffff) throw new InvalidValue(`'${t}' is not a valid endpoint behavior`, 'a 16-bit number');
        return n;
      });
      const lengths: number[] = [];
      for (const what of ['locator block length', 'locator node length', 'function length', 'argument length']) {
        lengths.push(w.value(what, num(255, what)));
      }
      fields['endpoint-behavior'] = [behavior, ...lengths];
    }
    list.segments.push({ type: typeToken.text, fields });
  }
  return list;
}
