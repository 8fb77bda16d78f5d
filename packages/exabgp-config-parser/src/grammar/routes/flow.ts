/**
 * Flow routes (configuration/flow, RFC 8955/8956): `flow { route NAME { match { ... } then { ... } scope
 * { ... } } }`, the one-line `route KEYWORD VALUE ...;` of the same section and `announce { ipv4 { flow ...;
 * } }`. A match keyword's rule is the component table of ../../flow.ts; each action of `then` has its rule
 * in FLOW_THEN. ExaBGP's API commands `flow route { ... }` and `flow route KEYWORD VALUE ...` are statements
 * of the flow section.
 */

import { family } from '../../families.js';
import {
  actionCommunity,
  discardCommunity,
  FLOW_MATCH_TYPES,
  flowPrefix,
  flowTerms,
  IPV4_ONLY,
  IPV6_ONLY,
  interfaceSet,
  markCommunity,
  nextHopCommunity,
  numericComponent,
  rateLimitCommunity,
  redirect,
  redirectIetf,
} from '../../flow.js';
import type { Token } from '../../lexer.js';
import type { ExtendedCommunity, FlowComponent, FlowNumericComponent, Nlri, Route, SafiName } from '../../model.js';
import { integer, ipAddress, routeDistinguisher } from '../../values.js';
import type { Words } from '../../words.js';
import type { ConfigurationParser } from '../parser.js';
import type { BlockSpec, Draft, LeafHandler } from '../types.js';
import { RouteForm } from './keywords.js';
import { finishRoute, newRoute, type RouteDraft, routeKeyword } from './route.js';

interface FlowState {
  r: RouteDraft;
  components: FlowComponent[];
  communities: ExtendedCommunity[];
  afi: 'ipv4' | 'ipv6' | undefined;
  afiToken: Token | undefined;
}

function newFlow(): FlowState {
  return { r: newRoute(), components: [], communities: [], afi: undefined, afiToken: undefined };
}

type FlowAction = (p: ConfigurationParser, w: Words, kw: Token, state: FlowState) => void;

/** The actions of `then { }` (flow/then.py): each an extended community (RFC 8955 §7), or a path attribute. */
const FLOW_THEN: Readonly<Record<string, FlowAction>> = Object.assign(Object.create(null), {
  accept: () => {},
  discard: (_p: ConfigurationParser, _w: Words, _kw: Token, s: FlowState) => {
    s.communities.push(discardCommunity());
  },
  'rate-limit': (_p: ConfigurationParser, w: Words, _kw: Token, s: FlowState) => {
    const rate = w.value('a rate', (t) => integer(t, 0, 0xffffffffffff, 'rate'));
    let unit: 'bytes' | 'packets' = 'bytes';
    if (w.accept('packets')) unit = 'packets';
    else w.accept('bytes');
    s.communities.push(rateLimitCommunity(rate, unit));
  },
  redirect: (_p: ConfigurationParser, w: Words, _kw: Token, s: FlowState) => {
    const token = w.next('ASN:N, an IP address, or [IPV6]:N');
    let text = token.text;
    // `[2001:db8::1]:100`: the lexer splits the brackets off
    if (!token.quoted && text === '[') {
      const address = w.next('an IPv6 address').text;
      w.expect(']');
      const suffix = w.peek();
      text = `[${address}]${suffix?.text.startsWith(':') ? w.next('').text : ''}`;
    }
    const result = w.convert({ ...token, text }, redirect);
    if (result.nextHop !== undefined) s.r.nextHop = result.nextHop;
    s.communities.push(result.community);
  },
  'redirect-to-nexthop': (_p: ConfigurationParser, _w: Words, _kw: Token, s: FlowState) => {
    s.communities.push(nextHopCommunity(false));
  },
  'redirect-to-nexthop-ietf': (_p: ConfigurationParser, w: Words, _kw: Token, s: FlowState) => {
    s.communities.push(w.value('an IP address', redirectIetf));
  },
  copy: (_p: ConfigurationParser, w: Words, _kw: Token, s: FlowState) => {
    s.r.nextHop = w.value('an IP address', (t) => ipAddress(t).text);
    s.communities.push(nextHopCommunity(true));
  },
  mark: (_p: ConfigurationParser, w: Words, _kw: Token, s: FlowState) => {
    s.communities.push(markCommunity(w.value('a DSCP value', (t) => integer(t, 0, 63, 'DSCP mark'))));
  },
  action: (_p: ConfigurationParser, w: Words, _kw: Token, s: FlowState) => {
    s.communities.push(w.value('sample, terminal or sample-terminal', actionCommunity));
  },
  community: flowAttribute,
  'large-community': flowAttribute,
  'extended-community': flowAttribute,
  'interface-set': (_p: ConfigurationParser, w: Words, _kw: Token, s: FlowState) => {
    for (const x of w.list('an interface set', interfaceSet)) s.communities.push(x);
  },
  attribute: flowAttribute,
});

/** a path attribute keyword in `then { }`: the route keyword table's rule */
function flowAttribute(p: ConfigurationParser, w: Words, kw: Token, s: FlowState): void {
  routeKeyword(p, w, kw, s.r, RouteForm.FLOW_THEN, 'flow then');
}

const FLOW_THEN_KEYWORDS = Object.keys(FLOW_THEN);

/** The statements of a flow section, whose routes go to `draft`. */
export function flowSection(p: ConfigurationParser, draft: Draft, where: string): BlockSpec {
  return {
    name: where,
    leaves: {
      // the one-line form, as ExaBGP's API writes it: `route destination 10.0.0.1/32 discard`
      route: (w, kw) => flowInline(p, draft, w, kw, undefined, undefined, `${where} / route`),
    },
    blocks: {
      route: (w, kw) => {
        const nameToken = w.more() ? w.next('a name') : undefined;
        w.end();
        const state = newFlow();
        if (nameToken !== undefined) state.r.name = nameToken.text;
        p.block(flowRouteSection(p, state, `${where} / route${nameToken ? ` ${nameToken.text}` : ''}`), kw);
        flowRoute(p, draft, state, kw, undefined, undefined);
      },
    },
  };
}

/** The statements and blocks of one `route NAME { }` of the flow section. */
function flowRouteSection(p: ConfigurationParser, state: FlowState, here: string): BlockSpec {
  const rdRule: LeafHandler = (v) => {
    state.r.rd = v.value('a route distinguisher', routeDistinguisher);
    v.end();
  };
  return {
    name: here,
    leaves: {
      rd: rdRule,
      'route-distinguisher': rdRule,
      'next-hop': (v) => {
        state.r.nextHop = v.value('an IP address or self', (t) =>
          t.toLowerCase() === 'self' ? 'self' : ipAddress(t).text,
        );
        v.end();
      },
    },
    blocks: {
      match: (v, key) => {
        v.end();
        const leaves: Record<string, LeafHandler> = {};
        for (const keyword of Object.keys(FLOW_MATCH_TYPES)) {
          leaves[keyword] = (x, k) => {
            flowMatch(x, k, state);
            x.end();
          };
        }
        p.block({ name: `${here} / match`, leaves, blocks: {} }, key);
      },
      // biome-ignore lint/suspicious/noThenProperty: `then` is ExaBGP's keyword for the flow actions block
      then: (v, key) => {
        v.end();
        const leaves: Record<string, LeafHandler> = {};
        for (const keyword of FLOW_THEN_KEYWORDS) {
          leaves[keyword] = (x, k) => {
            FLOW_THEN[k.text]!(p, x, k, state);
            x.end();
          };
        }
        p.block({ name: `${here} / then`, leaves, blocks: {} }, key);
      },
      scope: (v, key) => {
        v.end();
        p.block(
          {
            name: `${here} / scope`,
            leaves: {
              'interface-set': (x) => {
                for (const c of x.list('an interface set', interfaceSet)) state.communities.push(c);
                x.end();
              },
            },
            blocks: {},
          },
          key,
        );
      },
    },
  };
}

function flowMatch(w: Words, kw: Token, state: FlowState): void {
  const type = FLOW_MATCH_TYPES[kw.text]!;
  const afiOf = IPV4_ONLY.has(kw.text) ? 'ipv4' : IPV6_ONLY.has(kw.text) ? 'ipv6' : undefined;
  if (afiOf !== undefined) flowAfi(w, kw, state, afiOf);
  if (type === 1 || type === 2) {
    const token = w.next('a prefix');
    const component = w.convert(token, (t) => flowPrefix(kw.text, type, t));
    flowAfi(w, token, state, 'offset' in component ? 'ipv6' : 'ipv4');
    state.components.push(component);
    return;
  }
  const component: FlowNumericComponent = numericComponent(type, kw.text);
  const first = w.next('an operator and value (e.g. =80, >1024&<2048)');
  if (!first.quoted && first.text === '[') {
    for (;;) {
      const token = w.next("']'");
      if (!token.quoted && token.text === ']') break;
      if (!token.quoted && token.text === ',') continue;
      w.convert(token, (t) => flowTerms(type, t, component.terms, kw.text));
    }
  } else {
    w.convert(first, (t) => flowTerms(type, t, component.terms, kw.text));
    // ExaBGP reads the remaining words of the statement as further terms (`port =80 =8080;`)
    while (w.more()) {
      const token = w.next('a value');
      w.convert(token, (t) => flowTerms(type, t, component.terms, kw.text));
    }
  }
  if (component.terms.length === 0) throw w.error(first, `'${kw.text}' has no value`, 'an operator and value');
  state.components.push(component);
}

function flowAfi(w: Words, token: Token, state: FlowState, afi: 'ipv4' | 'ipv6'): void {
  if (state.afi !== undefined && state.afi !== afi) {
    const previous = state.afiToken!;
    throw w.error(
      token,
      `'${token.text}' makes this an ${afi} flow, but ${previous.line}:${previous.column} made it ${state.afi}`,
      `${state.afi} components only`,
    );
  }
  state.afi = afi;
  state.afiToken ??= token;
}

function flowRoute(
  p: ConfigurationParser,
  draft: Draft,
  state: FlowState,
  at: Token,
  afi: 'ipv4' | 'ipv6' | undefined,
  safi: SafiName | undefined,
): void {
  const r = state.r;
  if (afi !== undefined && state.afi !== undefined && state.afi !== afi) {
    throw p.lexer.error(at, `an ${state.afi} flow in the ${afi} block`, `${afi} components`);
  }
  const f = family(afi ?? state.afi ?? 'ipv4', safi ?? (r.rd !== undefined ? 'flow-vpn' : 'flow'));
  // RFC 8955 §4.2: components are ordered by type
  const components: FlowComponent[] = state.components.slice().sort((x, y) => x.type - y.type);
  const nlri: Nlri = { kind: 'flow', components };
  if (r.rd !== undefined) nlri.rd = r.rd;
  const attributes = r.attributes;
  if (state.communities.length > 0) {
    attributes.extendedCommunities = [...state.communities, ...(attributes.extendedCommunities ?? [])];
  }
  const route: Route = { family: f, nlri, attributes, withdraw: r.withdraw, location: p.location(at) };
  finishRoute(route, r);
  draft.routes.push(route);
}

/** `flow KEYWORD VALUE ...`: match components and actions on one line (`announce { ipv4 { flow ...; } }`) */
export function flowInline(
  p: ConfigurationParser,
  draft: Draft,
  w: Words,
  kw: Token,
  afi: 'ipv4' | 'ipv6' | undefined,
  safi: SafiName | undefined,
  where: string,
): void {
  const state = newFlow();
  while (w.more()) {
    const key = w.next('a flow keyword');
    const action = key.quoted ? undefined : FLOW_THEN[key.text];
    if (!key.quoted && (key.text === 'rd' || key.text === 'route-distinguisher')) {
      state.r.rd = w.value('a route distinguisher', routeDistinguisher);
    } else if (!key.quoted && key.text === 'next-hop') {
      state.r.nextHop = w.value('an IP address', (t) => ipAddress(t).text);
    } else if (!key.quoted && Object.hasOwn(FLOW_MATCH_TYPES, key.text)) {
      flowMatchInline(w, key, state);
    } else if (action !== undefined) {
      action(p, w, key, state);
    } else {
      throw p.unknown(key, where, ['rd', 'next-hop', ...Object.keys(FLOW_MATCH_TYPES), ...FLOW_THEN_KEYWORDS], []);
    }
  }
  flowRoute(p, draft, state, kw, afi, safi);
}

/** in the one-line form a component takes one value or a `[ ]` list */
function flowMatchInline(w: Words, kw: Token, state: FlowState): void {
  const type = FLOW_MATCH_TYPES[kw.text]!;
  if (type === 1 || type === 2) {
    flowMatch(w, kw, state);
    return;
  }
  const component: FlowNumericComponent = numericComponent(type, kw.text);
  for (const _ of w.list('an operator and value', (t) => flowTerms(type, t, component.terms, kw.text))) void _;
  state.components.push(component);
}
