/** `operational { asm afi ipv4 safi unicast advisory "text"; ... }` (configuration/operational). */

import { FAMILY_SAFIS, family } from '../families.js';
import type { Token } from '../lexer.js';
import type { AfiName, OperationalMessage, SafiName } from '../model.js';
import { InvalidValue, integer, ipv4Address } from '../values.js';
import type { ConfigurationParser } from './parser.js';
import type { Draft, LeafHandler } from './types.js';

export function operationalBlock(p: ConfigurationParser, draft: Draft, opener: Token, where: string): void {
  const layouts: Record<string, string[]> = {
    asm: ['afi', 'safi', 'advisory'],
    adm: ['afi', 'safi', 'advisory'],
    rpcq: ['afi', 'safi', 'sequence'],
    rpcp: ['afi', 'safi', 'sequence', 'counter'],
    apcq: ['afi', 'safi', 'sequence'],
    apcp: ['afi', 'safi', 'sequence', 'counter'],
    lpcq: ['afi', 'safi', 'sequence'],
    lpcp: ['afi', 'safi', 'sequence', 'counter'],
  };
  const leaves: Record<string, LeafHandler> = {};
  for (const [kind, layout] of Object.entries(layouts)) {
    leaves[kind] = (w, kw) => {
      const fields: Record<string, string | number> = {};
      let afi: AfiName = 'ipv4';
      let safi = 'unicast';
      let advisory: string | undefined;
      for (const key of layout) {
        if (w.accept('router-id')) fields['router-id'] = w.value('an IPv4 address', (t) => ipv4Address(t));
        w.expect(key);
        if (key === 'afi') {
          afi = w.value('an AFI', (t) => {
            if (!Object.hasOwn(FAMILY_SAFIS, t))
              throw new InvalidValue(`'${t}' is not an AFI`, 'ipv4, ipv6, l2vpn or bgp-ls');
            return t as AfiName;
          });
        } else if (key === 'safi') {
          safi = w.value('a SAFI', (t) => {
            if (!FAMILY_SAFIS[afi].includes(t))
              throw new InvalidValue(`'${t}' is not a SAFI of ${afi}`, FAMILY_SAFIS[afi].join(', '));
            return t;
          });
        } else if (key === 'advisory') {
          advisory = w.value('an advisory text', (t) => {
            if (Buffer.byteLength(t, 'utf8') > 2048)
              throw new InvalidValue('the advisory is longer than 2048 bytes', 'a shorter text');
            return t;
          });
        } else {
          fields[key] = w.value(`a ${key}`, (t) =>
            integer(t, 0, key === 'sequence' ? 0xffffffff : Number.MAX_SAFE_INTEGER, key),
          );
        }
      }
      w.end();
      const message: OperationalMessage = {
        kind,
        family: family(afi, safi as SafiName),
        fields,
        location: p.location(kw),
      };
      if (advisory !== undefined) message.advisory = advisory;
      draft.operational.push(message);
    };
  }
  p.block({ name: where, leaves, blocks: {} }, opener);
}
