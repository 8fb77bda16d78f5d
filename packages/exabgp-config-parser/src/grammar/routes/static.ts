/**
 * `static { ... }` (configuration/static): `route PREFIX KEYWORD VALUE ...;`, the same as a block
 * `route PREFIX { KEYWORD VALUE; ... }`, `attributes KEYWORD VALUE ... nlri PREFIX ...;` and `sr-policy ...;`.
 * ExaBGP's API commands `route ...` and `attributes ... nlri ...` are statements of this section.
 */

import type { Token } from '../../lexer.js';
import { type Prefix, prefix } from '../../values.js';
import type { Words } from '../../words.js';
import type { ConfigurationParser } from '../parser.js';
import type { BlockSpec, Draft, LeafHandler } from '../types.js';
import { RouteForm } from './keywords.js';
import { newRoute, prefixRoutes, routeBody, routeKeyword } from './route.js';
import { srPolicy } from './sr-policy.js';

const anyPrefix = (t: string): Prefix => prefix(t);

/** The statements of a static section, whose routes go to `draft`. */
export function staticSection(p: ConfigurationParser, draft: Draft, where: string): BlockSpec {
  const routeWhere = `${where} / route`;
  const attributes: LeafHandler = (w, kw) => attributesNlri(p, draft, w, kw, `${where} / attributes`);
  return {
    name: where,
    leaves: {
      route: (w, kw) => {
        const prefixToken = w.next('a prefix');
        const pfx = w.convert(prefixToken, anyPrefix);
        const r = newRoute();
        while (w.more()) routeKeyword(p, w, w.next('a route keyword'), r, RouteForm.STATIC, routeWhere);
        prefixRoutes(p, draft, pfx, r, kw, undefined);
      },
      attributes,
      attribute: attributes,
      'sr-policy': (w, kw) => srPolicy(p, draft, w, kw, undefined, `${where} / sr-policy`),
    },
    blocks: {
      route: (w, kw) => {
        const prefixToken = w.next('a prefix');
        const pfx = w.convert(prefixToken, anyPrefix);
        w.end();
        const r = newRoute();
        routeBody(p, r, kw, RouteForm.STATIC, `${where} / route ${pfx.prefix}`);
        prefixRoutes(p, draft, pfx, r, kw, undefined);
      },
    },
  };
}

/** `attributes KEYWORD VALUE ... nlri PREFIX PREFIX ...;` shared attributes for several prefixes */
function attributesNlri(p: ConfigurationParser, draft: Draft, w: Words, kw: Token, where: string): void {
  const r = newRoute();
  let sawNlri = false;
  while (w.more()) {
    const key = w.next('an attribute keyword or nlri');
    if (!key.quoted && key.text === 'nlri') {
      sawNlri = true;
      break;
    }
    routeKeyword(p, w, key, r, RouteForm.STATIC, where);
  }
  if (!sawNlri) throw w.error(kw, "'attributes' without 'nlri'", "'nlri PREFIX ...' after the attributes");
  if (!w.more()) w.next('a prefix after nlri');
  while (w.more()) {
    const token = w.next('a prefix');
    const pfx = w.convert(token, anyPrefix);
    prefixRoutes(p, draft, pfx, r, token, undefined);
  }
}
