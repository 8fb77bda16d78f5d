/**
 * Routes written as ExaBGP's API commands write them, one line each, parsed by the rules of the
 * configuration's route sections: ExaBGP itself parses `announce route ...` as a statement of its `static`
 * section, `announce flow route ...` of `flow`, `announce vpls ...` of `l2vpn`, `announce attributes ...
 * nlri ...` of `static` and `announce ipv4 unicast ...` of `announce { ipv4 { } }`
 * (reactor/api/__init__.py `api_route`, `api_flow`, `api_vpls`, `api_attributes`, `api_announce_v4`).
 * One grammar serves both: a command is one statement dispatched through the same section table.
 */

import type { Route } from '../../model.js';
import { ConfigurationParser } from '../parser.js';
import { type BlockSpec, type Draft, newDraft } from '../types.js';
import { announceAfiSection, announceL2vpnSection } from './announce.js';
import { flowSection } from './flow.js';
import { l2vpnSection } from './l2vpn.js';
import { staticSection } from './static.js';

interface CommandSection {
  /** the section whose table holds the statement */
  readonly section: (p: ConfigurationParser, draft: Draft) => BlockSpec;
  /** where the statement's keyword is: 0 for `route ...`, 1 for `flow route ...` and `ipv4 unicast ...` */
  readonly keywordAt: number;
}

const staticCommand: CommandSection = { section: (p, d) => staticSection(p, d, 'static'), keywordAt: 0 };

/** The first word of a route command and the section it is a statement of. */
const COMMANDS: Readonly<Record<string, CommandSection>> = Object.assign(Object.create(null), {
  route: staticCommand,
  attribute: staticCommand,
  attributes: staticCommand,
  'sr-policy': staticCommand,
  ipv4: { section: (p, d) => announceAfiSection(p, d, 'ipv4', 'announce / ipv4'), keywordAt: 1 },
  ipv6: { section: (p, d) => announceAfiSection(p, d, 'ipv6', 'announce / ipv6'), keywordAt: 1 },
  l2vpn: { section: (p, d) => announceL2vpnSection(p, d, 'announce / l2vpn'), keywordAt: 1 },
  flow: { section: (p, d) => flowSection(p, d, 'flow'), keywordAt: 1 },
  vpls: { section: (p, d) => l2vpnSection(p, d, 'l2vpn'), keywordAt: 0 },
} satisfies Record<string, CommandSection>);

/**
 * The routes of one API command, without its `announce` / `withdraw` word: `route 10.0.0.0/24 next-hop self
 * med 10 community [65000:1]`, `attributes next-hop 1.2.3.4 nlri 10.0.0.0/24 10.0.1.0/24`, `ipv6 mpls-vpn
 * ...`, `flow route { match { source 10.0.0.1/32; } then { discard; } }`, `flow route destination
 * 10.0.0.1/32 discard`, `vpls endpoint 5 base 10702 offset 1 size 8 rd 192.0.2.1:10 next-hop 192.0.2.1`.
 * A trailing `;` is optional, as in ExaBGP. A mistake throws ConfigError: the command, the column, what was
 * expected. `name` is what errors call the command (`<command>`).
 */
export function parseRouteCommand(command: string, name = '<command>'): Route[] {
  const text = command.trim();
  const source = text.endsWith(';') || text.endsWith('}') ? text : `${text};`;
  const p = new ConfigurationParser(source, name);
  const statement = p.lexer.next();
  const first = statement?.tokens[0];
  if (statement === undefined || first === undefined) {
    throw p.lexer.error(
      statement?.endToken ?? { line: 1, column: 1, length: 1 },
      'no route in the command',
      `one of: ${Object.keys(COMMANDS).join(', ')}`,
    );
  }
  const command_ = first.quoted ? undefined : COMMANDS[first.text];
  if (command_ === undefined) throw p.unknown(first, 'a route command', Object.keys(COMMANDS), []);
  const draft = newDraft(name, first, first);
  const section = command_.section(p, draft);
  if (statement.tokens.length <= command_.keywordAt) {
    throw p.lexer.error(statement.endToken, `'${first.text}' needs what follows it`, p.keywordList(section));
  }
  p.dispatch(section, statement, command_.keywordAt);
  const rest = p.lexer.next();
  if (rest !== undefined) {
    throw p.lexer.error(
      rest.tokens[0] ?? rest.endToken,
      'a command holds one route statement',
      'the end of the command',
    );
  }
  return draft.routes;
}
