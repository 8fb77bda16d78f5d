/**
 * `neighbor IP|PREFIX { ... }` and `template { neighbor NAME { ... } }`: the neighbor's statement keywords
 * and its blocks, each with its rule (bgp/neighbor, configuration/neighbor in ExaBGP).
 */

import type { Token } from '../lexer.js';
import {
  asn,
  booleanValue,
  digits,
  formatIPv6,
  InvalidValue,
  integer,
  ipAddress,
  ipv4Address,
  parseIPv6,
  prefix,
} from '../values.js';
import type { Words } from '../words.js';
import { apiBlock } from './api.js';
import { capabilityBlock, tcpAoBlock } from './capability.js';
import { addPathBlock, familyBlock, nexthopBlock } from './family.js';
import { operationalBlock } from './operational.js';
import type { ConfigurationParser } from './parser.js';
import { announceSection } from './routes/announce.js';
import { flowSection } from './routes/flow.js';
import { l2vpnSection } from './routes/l2vpn.js';
import { staticSection } from './routes/static.js';
import { type BlockHandler, type BlockSpec, type Draft, type LeafHandler, newDraft } from './types.js';

const NEIGHBOR_BOOLEANS: Record<string, boolean> = {
  // the value taken when the keyword is written without one (ExaBGP's `default` table)
  passive: true,
  'group-updates': true,
  'auto-flush': true,
  'adj-rib-out': false,
  'adj-rib-in': false,
  'manual-eor': false,
  'md5-base64': false,
};

export function template(p: ConfigurationParser, w: Words, keyword: Token): void {
  w.end();
  p.block(
    {
      name: 'template',
      leaves: {},
      blocks: {
        neighbor: (v, kw) => neighborBlock(p, v, kw, true),
      },
    },
    keyword,
  );
}

export function neighborBlock(p: ConfigurationParser, w: Words, keyword: Token, isTemplate: boolean): void {
  const nameToken = w.next(isTemplate ? 'a template name' : 'the peer address');
  w.end();
  let name = nameToken.text;
  if (!isTemplate) {
    try {
      const peer = prefix(name);
      name = peer.length === (peer.afi === 'ipv4' ? 32 : 128) ? peer.address : peer.prefix;
    } catch (error) {
      if (error instanceof InvalidValue) {
        throw w.error(
          nameToken,
          `'${nameToken.text}' is not a valid peer address`,
          'an IP address or a prefix (e.g. 192.0.2.1 or 192.0.2.0/24)',
        );
      }
      throw error;
    }
  } else if (p.templates.has(name)) {
    throw w.error(nameToken, `template '${name}' is already defined`, 'a unique template name');
  }
  const draft = newDraft(name, keyword, nameToken);
  p.block(neighborSpec(p, draft, isTemplate ? `template neighbor ${name}` : `neighbor ${name}`), keyword);
  if (isTemplate) p.templates.set(name, draft);
  else p.neighbors.push(draft);
}

export function neighborSpec(p: ConfigurationParser, draft: Draft, where: string): BlockSpec {
  const set =
    <T>(what: string, convert: (text: string) => T) =>
    (w: Words, kw: Token): void => {
      const value = w.value(what, convert);
      w.end();
      draft.settings.set(kw.text, value);
    };
  const bool = (w: Words, kw: Token): void => {
    const value = w.more() ? w.value('a boolean', booleanValue) : NEIGHBOR_BOOLEANS[kw.text]!;
    w.end();
    draft.settings.set(kw.text, value);
  };
  const text = (w: Words, kw: Token): void => {
    const token = w.next(`the ${kw.text}`);
    w.end();
    draft.settings.set(kw.text, token.text);
  };
  const ttl = (w: Words, kw: Token): void => {
    const value = w.value('a TTL', (t) => {
      if (t === 'false' || t === 'disable' || t === 'disabled') return undefined;
      return integer(t, 0, 255, 'TTL');
    });
    w.end();
    draft.settings.set(kw.text, value);
  };
  const asnOrAuto = (t: string): number | 'auto' => (t === 'auto' ? 'auto' : asn(t));
  const leaves: Record<string, LeafHandler> = {
    description: text,
    'router-id': set('a router-id (an IPv4 address)', (t) => ipv4Address(t, 'router-id')),
    'local-address': set('an IP address or auto', (t) => (t === 'auto' ? 'auto' : ipAddress(t).text)),
    'local-link-local': set('an IPv6 link-local address', (t) => {
      const v6 = parseIPv6(t);
      if (v6 === undefined || (v6[0]! & 0xffc0) !== 0xfe80) {
        throw new InvalidValue(`'${t}' is not an IPv6 link-local address`, 'an address in fe80::/10');
      }
      return formatIPv6(v6);
    }),
    'local-as': set('an AS number or auto', asnOrAuto),
    'peer-as': set('an AS number or auto', asnOrAuto),
    'hold-time': set('a hold time', (t) => {
      const value = digits(t);
      if (value < 0 || (value > 0 && value < 3) || value > 65535) {
        throw new InvalidValue(`'${t}' is not a valid hold-time`, '0 (disabled) or 3 to 65535 seconds (RFC 4271 §4.2)');
      }
      return value;
    }),
    'rate-limit': set('a number of messages per second', (t) =>
      t === 'disable' || t === 'disabled' ? 0 : integer(t, 0, 0xffffffff, 'rate-limit'),
    ),
    passive: bool,
    listen: set('a port', (t) => integer(t, 1, 65535, 'port')),
    connect: set('a port', (t) => integer(t, 1, 65535, 'port')),
    'source-interface': text,
    'outgoing-ttl': ttl,
    'incoming-ttl': ttl,
    'md5-password': text,
    'md5-base64': bool,
    'md5-ip': set('an IP address', (t) => ipAddress(t).text),
    'host-name': text,
    'domain-name': text,
    'group-updates': bool,
    'auto-flush': bool,
    'adj-rib-out': bool,
    'adj-rib-in': bool,
    'manual-eor': bool,
    inherit: (w) => {
      const first = w.next('a template name');
      if (!first.quoted && first.text === '[') {
        for (;;) {
          const token = w.next("']'");
          if (!token.quoted && token.text === ']') break;
          if (!token.quoted && token.text === ',') continue;
          draft.inherit.push(token);
        }
      } else draft.inherit.push(first);
      w.end();
    },
  };
  const blocks: Record<string, BlockHandler> = {
    family: (w, kw) => {
      w.end();
      familyBlock(p, draft, kw, `${where} / family`);
    },
    'add-path': (w, kw) => {
      w.end();
      addPathBlock(p, draft, kw, `${where} / add-path`);
    },
    nexthop: (w, kw) => {
      w.end();
      nexthopBlock(p, draft, kw, `${where} / nexthop`);
    },
    capability: (w, kw) => {
      w.end();
      capabilityBlock(p, draft, kw, `${where} / capability`);
    },
    'tcp-ao': (w, kw) => {
      w.end();
      tcpAoBlock(p, draft, kw, `${where} / tcp-ao`);
    },
    api: (w, kw) => {
      const nameToken = w.more() ? w.next('an api name') : undefined;
      w.end();
      apiBlock(p, draft, kw, nameToken, `${where} / api`);
    },
    static: (w, kw) => {
      w.end();
      p.block(staticSection(p, draft, `${where} / static`), kw);
    },
    announce: (w, kw) => {
      w.end();
      p.block(announceSection(p, draft, `${where} / announce`), kw);
    },
    flow: (w, kw) => {
      w.end();
      p.block(flowSection(p, draft, `${where} / flow`), kw);
    },
    l2vpn: (w, kw) => {
      w.end();
      p.block(l2vpnSection(p, draft, `${where} / l2vpn`), kw);
    },
    operational: (w, kw) => {
      w.end();
      operationalBlock(p, draft, kw, `${where} / operational`);
    },
  };
  return { name: where, leaves, blocks };
}
