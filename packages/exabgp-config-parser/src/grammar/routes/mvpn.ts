/** `mcast-vpn shared-join|source-join|source-ad ...` (announce/mvpn.py, RFC 6514), then the route's attributes. */

import { family } from '../../families.js';
import type { Token } from '../../lexer.js';
import type { MvpnNlri } from '../../model.js';
import { asn, InvalidValue, ipAddress, routeDistinguisher } from '../../values.js';
import type { Words } from '../../words.js';
import type { ConfigurationParser } from '../parser.js';
import type { Draft } from '../types.js';
import { RouteForm } from './keywords.js';
import { newRoute, nlriRoute, routeKeyword } from './route.js';

export function mvpn(
  p: ConfigurationParser,
  draft: Draft,
  w: Words,
  kw: Token,
  afi: 'ipv4' | 'ipv6',
  where: string,
): void {
  const typeToken = w.next('shared-join, source-join or source-ad');
  const routeType = typeToken.text;
  if (routeType !== 'shared-join' && routeType !== 'source-join' && routeType !== 'source-ad') {
    throw p.unknown(typeToken, where, ['shared-join', 'source-join', 'source-ad'], []);
  }
  const address = (t: string): string => {
    const ip = ipAddress(t);
    if (ip.afi !== afi) throw new InvalidValue(`'${t}' is not an ${afi} address`, `an ${afi} address`);
    return ip.text;
  };
  w.expect(routeType === 'shared-join' ? 'rp' : 'source');
  const source = w.value(`an ${afi} address`, address);
  w.expect('group');
  const group = w.value(`an ${afi} address`, address);
  w.expect('rd');
  const rd = w.value('a route distinguisher', routeDistinguisher);
  const nlri: MvpnNlri = { kind: 'mvpn', routeType, rd, source, group };
  if (routeType !== 'source-ad') {
    w.expect('source-as');
    nlri.sourceAs = w.value('an AS number', asn);
  }
  const r = newRoute();
  while (w.more()) routeKeyword(p, w, w.next('a route keyword'), r, RouteForm.NLRI, where);
  nlriRoute(p, draft, kw, family(afi, 'mcast-vpn'), nlri, r);
}
