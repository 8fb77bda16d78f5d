/**
 * A route being built from its keywords, and what every route form shares: the dispatch of one keyword
 * through the route keyword table (keywords.ts), the sharing of attribute values and Attributes objects
 * between routes written alike, and the finished Route with its family and `split` expanded.
 */

import { family } from '../../families.js';
import type { Token } from '../../lexer.js';
import type { Attributes, Family, Nlri, Route, RouteDistinguisher, SafiName, SourceLocation } from '../../model.js';
import { formatIPv4, formatIPv6, type Prefix, parseIPv4, parseIPv6 } from '../../values.js';
import type { Words } from '../../words.js';
import type { ConfigurationParser } from '../parser.js';
import type { Draft } from '../types.js';
import { keywordsOf, keywordTable, ROUTE_KEYWORDS, type RouteKeyword } from './keywords.js';

/** A route being assembled from its keywords. */
export interface RouteDraft {
  /**
   * The source text of the path attributes, to share one Attributes object between routes written with the
   * same text: the current run [runStart, runEnd) of the source, and the runs before it (when other words,
   * such as next-hop, came between).
   */
  runStart: number;
  runEnd: number;
  attributeRuns?: string[];
  nextHop?: string | 'self';
  labels?: number[];
  rd?: RouteDistinguisher;
  pathInformation?: number;
  attributes: Attributes;
  split?: number;
  watchdog?: string;
  withdraw: boolean;
  name?: string;
  /** `endpoint`, `base`, `offset`, `size` of a VPLS route */
  vpls?: Record<string, number>;
}

export function newRoute(): RouteDraft {
  return { attributes: {}, withdraw: false, runStart: -1, runEnd: -1 };
}

/**
 * Index just after the value of `keyword` starting at `start`, found by matching brackets only (no value
 * is converted); `start` itself when the keyword takes no value or the brackets do not close.
 */
function valueExtent(tokens: Token[], start: number, keyword: string): number {
  if (keyword === 'atomic-aggregate') return start;
  let i = start;
  for (;;) {
    const first = tokens[i];
    if (first === undefined) return start;
    if (first.quoted || (first.text !== '[' && first.text !== '(')) return i + 1;
    let depth = 0;
    for (; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.quoted) continue;
      if (t.text === '[' || t.text === '(') depth++;
      else if (t.text === ']' || t.text === ')') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (depth !== 0) return start;
    i++;
    // an AS path may be several groups in a row: `[ 1 2 ] ( 3 4 )`
    const next = tokens[i];
    if (keyword !== 'as-path' || next === undefined || next.quoted || (next.text !== '[' && next.text !== '(')) {
      return i;
    }
  }
}

/**
 * Read the value of one route keyword into `r`; `kw` has been consumed from `w`. The keyword must be one of
 * `form`'s (keywords.ts), else the error lists the form's keywords.
 */
export function routeKeyword(
  p: ConfigurationParser,
  w: Words,
  kw: Token,
  r: RouteDraft,
  form: number,
  where: string,
): void {
  const row = kw.quoted ? undefined : ROUTE_KEYWORDS[kw.text];
  if (row === undefined || (row.forms & form) === 0) throw p.unknown(kw, where, keywordsOf(form), []);
  if (row.attribute === undefined) {
    row.rule(p, w, kw, r);
    return;
  }
  // remember the attribute's text: routes written with the same attributes share one Attributes object
  cachedAttributeValue(p, w, kw, r, row);
  // The attribute's source text (keyword to last value token) extends the current run when only blanks
  // and ';' separate them: most routes then key on one slice of the source, with no string built.
  const end = w.tokens[w.i - 1]!.end;
  if (r.runEnd >= 0 && onlyBlanks(p, r.runEnd, kw.offset)) r.runEnd = end;
  else {
    if (r.runEnd >= 0) {
      r.attributeRuns ??= [];
      r.attributeRuns.push(p.lexer.source.slice(r.runStart, r.runEnd));
    }
    r.runStart = kw.offset;
    r.runEnd = end;
  }
}

/**
 * An attribute value already parsed from the same text (keyword and value words) is reused instead of
 * parsed again: a million routes usually repeat a few attribute values.
 */
function cachedAttributeValue(p: ConfigurationParser, w: Words, kw: Token, r: RouteDraft, row: RouteKeyword): void {
  const field = row.attribute!;
  const tokens = w.tokens;
  const stop = valueExtent(tokens, w.i, kw.text);
  if (stop <= w.i) {
    row.rule(p, w, kw, r);
    return;
  }
  const key = p.lexer.source.slice(kw.offset, tokens[stop - 1]!.end);
  const a = r.attributes as Record<string, unknown>;
  const known = p.attributeValues.get(key);
  if (known !== undefined) {
    w.i = stop;
    if (row.accumulates) {
      const previous = a[field] as unknown[] | undefined;
      a[field] = previous === undefined ? known : [...previous, ...(known as unknown[])];
    } else a[field] = known;
    return;
  }
  // parse into an empty holder to learn this keyword's own value (extended communities and generic
  // attributes add to what earlier keywords of the route gave)
  const holder = newRoute();
  row.rule(p, w, kw, holder);
  const value = (holder.attributes as Record<string, unknown>)[field];
  if (w.i === stop && value !== undefined) p.attributeValues.set(key, value);
  if (row.accumulates) {
    const previous = a[field] as unknown[] | undefined;
    a[field] = previous === undefined ? value : [...previous, ...(value as unknown[])];
  } else a[field] = value;
}

/** true when source[from, to) holds only blanks, newlines and ';' (no token, comment or continuation) */
function onlyBlanks(p: ConfigurationParser, from: number, to: number): boolean {
  const src = p.lexer.source;
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x3b) return false;
  }
  return true;
}

/** `route X { keyword value; ... }`: each statement is one route keyword of `form` */
export function routeBody(p: ConfigurationParser, r: RouteDraft, opener: Token, form: number, where: string): void {
  p.block(
    {
      name: where,
      leaves: keywordTable(form),
      blocks: {},
      statement: (w, kw) => {
        routeKeyword(p, w, kw, r, form, where);
        w.end();
      },
    },
    opener,
  );
}

/** shared by every prefix route written without path attributes */
const EMPTY_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

/**
 * A prefix route: the family follows ExaBGP's static rules (an RD makes it mpls-vpn, a label nlri-mpls,
 * otherwise unicast, or multicast for a multicast address) unless `fixed` names it. `split` is expanded.
 */
export function prefixRoutes(
  p: ConfigurationParser,
  draft: Draft,
  pfx: Prefix,
  r: RouteDraft,
  at: Token,
  fixed: SafiName | undefined,
): void {
  let safi: SafiName;
  if (fixed !== undefined) safi = fixed;
  else if (r.rd !== undefined) safi = 'mpls-vpn';
  else if (r.labels !== undefined) safi = 'nlri-mpls';
  else safi = pfx.multicast ? 'multicast' : 'unicast';
  const f = family(pfx.afi, safi);
  if (r.runEnd >= 0) {
    const last = p.lexer.source.slice(r.runStart, r.runEnd);
    // runs are separated by NUL, which the key texts cannot hold (a raw NUL is no configuration text)
    const key = r.attributeRuns === undefined ? last : `${r.attributeRuns.join('\u0000')}\u0000${last}`;
    const shared = p.attributeSets.get(key);
    if (shared !== undefined) r.attributes = shared;
    else p.attributeSets.set(key, r.attributes);
  } else r.attributes = EMPTY_ATTRIBUTES;
  const location = p.location(at);
  if (r.split === undefined || r.split <= pfx.length) {
    draft.routes.push(prefixRoute(f, r, location, pfx.prefix, pfx.address, pfx.length));
    return;
  }
  const bits = pfx.afi === 'ipv4' ? 32 : 128;
  if (r.split > bits)
    throw p.lexer.error(at, `split /${r.split} is longer than an ${pfx.afi} address`, `at most /${bits}`);
  if (r.split - pfx.length > 24) {
    throw p.lexer.error(at, `split /${r.split} of a /${pfx.length} makes more than 2^24 routes`, 'a smaller split');
  }
  const count = 2 ** (r.split - pfx.length);
  if (pfx.afi === 'ipv4') {
    const start = parseIPv4(pfx.address);
    const step = 2 ** (32 - r.split);
    for (let i = 0; i < count; i++) {
      const address = formatIPv4(start + i * step);
      draft.routes.push(prefixRoute(f, r, location, `${address}/${r.split}`, address, r.split));
    }
    return;
  }
  const groups = parseIPv6(pfx.address)!;
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  const step = 1n << BigInt(128 - r.split);
  for (let i = 0; i < count; i++) {
    const v = value + BigInt(i) * step;
    const out: number[] = [];
    for (let k = 7; k >= 0; k--) out.push(Number((v >> BigInt(k * 16)) & 0xffffn));
    const address = formatIPv6(out);
    draft.routes.push(prefixRoute(f, r, location, `${address}/${r.split}`, address, r.split));
  }
}

function prefixRoute(
  f: Family,
  r: RouteDraft,
  location: SourceLocation,
  text: string,
  address: string,
  length: number,
): Route {
  const nlri: Nlri = { kind: 'prefix', prefix: text, address, length };
  if (r.pathInformation !== undefined) nlri.pathInformation = r.pathInformation;
  if (r.labels !== undefined) nlri.labels = r.labels;
  if (r.rd !== undefined) nlri.rd = r.rd;
  const route: Route = { family: f, nlri, attributes: r.attributes, withdraw: r.withdraw, location };
  finishRoute(route, r);
  return route;
}

/** The settings of the route (not of its NLRI or attributes) that were written. */
export function finishRoute(route: Route, r: RouteDraft): void {
  if (r.nextHop !== undefined) route.nextHop = r.nextHop;
  if (r.split !== undefined) route.split = r.split;
  if (r.watchdog !== undefined) route.watchdog = r.watchdog;
  if (r.name !== undefined) route.name = r.name;
}

/** A route whose NLRI is built (mvpn, mup, sr-policy, vpls, flow): the draft's attributes and settings go with it. */
export function nlriRoute(p: ConfigurationParser, draft: Draft, at: Token, f: Family, nlri: Nlri, r: RouteDraft): void {
  const route: Route = { family: f, nlri, attributes: r.attributes, withdraw: r.withdraw, location: p.location(at) };
  finishRoute(route, r);
  draft.routes.push(route);
}
