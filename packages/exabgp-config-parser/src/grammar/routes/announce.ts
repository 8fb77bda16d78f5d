/**
 * `announce { ipv4 { SAFI ...; } ipv6 { ... } l2vpn { vpls ...; } }` (configuration/announce): one
 * statement per route, the SAFI first. ExaBGP's API commands `ipv4 unicast ...`, `ipv6 mpls-vpn ...` are
 * the same statements with their AFI before them.
 */

import type { SafiName } from '../../model.js';
import { prefix } from '../../values.js';
import type { ConfigurationParser } from '../parser.js';
import type { BlockSpec, Draft, LeafHandler } from '../types.js';
import { flowInline } from './flow.js';
import { RouteForm } from './keywords.js';
import { vplsInline } from './l2vpn.js';
import { mup } from './mup.js';
import { mvpn } from './mvpn.js';
import { newRoute, prefixRoutes, routeKeyword } from './route.js';
import { srPolicy } from './sr-policy.js';

/** The statements of `announce { AFI { ... } }` for an IP AFI: one rule per SAFI. */
export function announceAfiSection(
  p: ConfigurationParser,
  draft: Draft,
  afi: 'ipv4' | 'ipv6',
  where: string,
): BlockSpec {
  const prefixRoute =
    (safi: SafiName, form: number): LeafHandler =>
    (w, key) => {
      const token = w.next(`an ${afi} prefix`);
      const pfx = w.convert(token, (t) => prefix(t, afi));
      const r = newRoute();
      while (w.more()) routeKeyword(p, w, w.next('a route keyword'), r, form, `${where} / ${safi}`);
      if (safi === 'mpls-vpn' && r.rd === undefined)
        throw w.error(key, 'an mpls-vpn route needs an rd', "'rd ADMIN:N'");
      prefixRoutes(p, draft, pfx, r, key, safi);
    };
  return {
    name: where,
    leaves: {
      unicast: prefixRoute('unicast', RouteForm.UNICAST),
      'nlri-mpls': prefixRoute('nlri-mpls', RouteForm.LABELED),
      'labeled-unicast': prefixRoute('nlri-mpls', RouteForm.LABELED),
      'mpls-vpn': prefixRoute('mpls-vpn', RouteForm.VPN),
      flow: (w, key) => flowInline(p, draft, w, key, afi, 'flow', `${where} / flow`),
      'flow-vpn': (w, key) => flowInline(p, draft, w, key, afi, 'flow-vpn', `${where} / flow-vpn`),
      'mcast-vpn': (w, key) => mvpn(p, draft, w, key, afi, `${where} / mcast-vpn`),
      mup: (w, key) => mup(p, draft, w, key, afi, `${where} / mup`),
      'sr-policy': (w, key) => srPolicy(p, draft, w, key, afi, `${where} / sr-policy`),
      multicast: prefixRoute('multicast', RouteForm.MULTICAST),
    },
    blocks: {},
  };
}

/** The statements of `announce { l2vpn { ... } }`. */
export function announceL2vpnSection(p: ConfigurationParser, draft: Draft, where: string): BlockSpec {
  return {
    name: where,
    leaves: { vpls: (w, key) => vplsInline(p, draft, w, key, `${where} / vpls`) },
    blocks: {},
  };
}

/** The blocks of `announce { }`, one per AFI. */
export function announceSection(p: ConfigurationParser, draft: Draft, where: string): BlockSpec {
  return {
    name: where,
    leaves: {},
    blocks: {
      ipv4: (w, kw) => {
        w.end();
        p.block(announceAfiSection(p, draft, 'ipv4', `${where} / ipv4`), kw);
      },
      ipv6: (w, kw) => {
        w.end();
        p.block(announceAfiSection(p, draft, 'ipv6', `${where} / ipv6`), kw);
      },
      l2vpn: (w, kw) => {
        w.end();
        p.block(announceL2vpnSection(p, draft, `${where} / l2vpn`), kw);
      },
    },
  };
}
