/**
 * `l2vpn { vpls NAME { ... } }` and `vpls NAME KEYWORD VALUE ...;` (configuration/l2vpn, RFC 4761): the VPLS
 * NLRI from `rd`, `endpoint`, `base`, `offset`, `size`, and the route's attributes. ExaBGP's API command
 * `vpls ...` is a statement of this section.
 */

import { family } from '../../families.js';
import type { Token } from '../../lexer.js';
import type { Route } from '../../model.js';
import type { Words } from '../../words.js';
import type { ConfigurationParser } from '../parser.js';
import type { BlockSpec, Draft } from '../types.js';
import { ROUTE_KEYWORDS, RouteForm } from './keywords.js';
import { finishRoute, newRoute, type RouteDraft, routeBody, routeKeyword } from './route.js';

/** The statements of an l2vpn section, whose routes go to `draft`. */
export function l2vpnSection(p: ConfigurationParser, draft: Draft, where: string): BlockSpec {
  return {
    name: where,
    leaves: { vpls: (w, kw) => vplsInline(p, draft, w, kw, `${where} / vpls`) },
    blocks: {
      vpls: (w, kw) => {
        const nameToken = w.more() ? w.next('a name') : undefined;
        w.end();
        const r = newRoute();
        routeBody(p, r, kw, RouteForm.VPLS, `${where} / vpls${nameToken ? ` ${nameToken.text}` : ''}`);
        if (nameToken !== undefined && r.name === undefined) r.name = nameToken.text;
        vplsRoute(p, draft, r, kw);
      },
    },
  };
}

/** `vpls [NAME] KEYWORD VALUE ...`: a first word that is no VPLS keyword is the route's name */
export function vplsInline(p: ConfigurationParser, draft: Draft, w: Words, kw: Token, where: string): void {
  const r = newRoute();
  const first = w.peek();
  if (first !== undefined && (first.quoted || ((ROUTE_KEYWORDS[first.text]?.forms ?? 0) & RouteForm.VPLS) === 0)) {
    r.name = w.next('a name').text;
  }
  while (w.more()) routeKeyword(p, w, w.next('a vpls keyword'), r, RouteForm.VPLS, where);
  vplsRoute(p, draft, r, kw);
}

function vplsRoute(p: ConfigurationParser, draft: Draft, r: RouteDraft, at: Token): void {
  const fields = r.vpls ?? {};
  const missing = ['endpoint', 'base', 'offset', 'size'].filter((k) => fields[k] === undefined);
  if (r.rd === undefined) missing.unshift('rd');
  if (missing.length > 0)
    throw p.lexer.error(at, `incomplete vpls route, missing ${missing.join(', ')}`, missing.join(', '));
  const route: Route = {
    family: family('l2vpn', 'vpls'),
    nlri: {
      kind: 'vpls',
      rd: r.rd!,
      endpoint: fields.endpoint!,
      base: fields.base!,
      offset: fields.offset!,
      size: fields.size!,
    },
    attributes: r.attributes,
    withdraw: r.withdraw,
    location: p.location(at),
  };
  finishRoute(route, r);
  draft.routes.push(route);
}
