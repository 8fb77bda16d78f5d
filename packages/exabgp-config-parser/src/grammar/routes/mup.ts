/** `mup mup-isd|mup-dsd|mup-t1st|mup-t2st ...` (announce/mup.py, draft-mpmz-bess-mup-safi), then the route's attributes. */

import { family } from '../../families.js';
import type { Token } from '../../lexer.js';
import type { MupNlri } from '../../model.js';
import { digits, InvalidValue, integer, ipAddress, prefix, routeDistinguisher } from '../../values.js';
import type { Words } from '../../words.js';
import type { ConfigurationParser } from '../parser.js';
import type { Draft } from '../types.js';
import { RouteForm } from './keywords.js';
import { newRoute, nlriRoute, routeKeyword } from './route.js';

export function mup(
  p: ConfigurationParser,
  draft: Draft,
  w: Words,
  kw: Token,
  afi: 'ipv4' | 'ipv6',
  where: string,
): void {
  const typeToken = w.next('mup-isd, mup-dsd, mup-t1st or mup-t2st');
  const routeType = typeToken.text;
  if (routeType !== 'mup-isd' && routeType !== 'mup-dsd' && routeType !== 'mup-t1st' && routeType !== 'mup-t2st') {
    throw p.unknown(typeToken, where, ['mup-isd', 'mup-dsd', 'mup-t1st', 'mup-t2st'], []);
  }
  const addr = (t: string): string => {
    const ip = ipAddress(t);
    if (ip.afi !== afi) throw new InvalidValue(`'${t}' is not an ${afi} address`, `an ${afi} address`);
    return ip.text;
  };
  const nlri: Partial<MupNlri> & { kind: 'mup' } = { kind: 'mup', routeType };
  if (routeType === 'mup-isd' || routeType === 'mup-t1st')
    nlri.prefix = w.value(`an ${afi} prefix`, (t) => prefix(t, afi).prefix);
  else nlri.address = w.value(`an ${afi} address`, addr);
  w.expect('rd');
  nlri.rd = w.value('a route distinguisher', routeDistinguisher);
  if (routeType === 'mup-t1st') {
    w.expect('teid');
    nlri.teid = w.value('a TEID', (t) => integer(t, 0, 0xffffffff, 'TEID'));
    w.expect('qfi');
    nlri.qfi = w.value('a QFI', (t) => integer(t, 0, 63, 'QFI'));
    w.expect('endpoint');
    nlri.endpoint = w.value('an IP address', (t) => ipAddress(t).text);
    if (w.accept('source')) nlri.source = w.value('an IP address', (t) => ipAddress(t).text);
  } else if (routeType === 'mup-t2st') {
    w.expect('teid');
    const [teid, length] = w.value('TEID/LENGTH', (t) => {
      const [a, b] = t.split('/');
      const teidValue = digits(a ?? '');
      const bits = b === undefined ? 32 : digits(b);
      if (teidValue < 0 || teidValue > 0xffffffff || bits < 0 || bits > 32) {
        throw new InvalidValue(`'${t}' is not a valid TEID`, 'TEID/LENGTH with LENGTH 0 to 32');
      }
      return [teidValue, bits] as const;
    });
    nlri.teid = teid;
    nlri.teidLength = length;
  }
  const r = newRoute();
  while (w.more()) routeKeyword(p, w, w.next('a route keyword'), r, RouteForm.NLRI, where);
  nlriRoute(p, draft, kw, family(afi, 'mup'), nlri as MupNlri, r);
}
