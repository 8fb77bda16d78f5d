/**
 * API commands through the configuration's route sections: a route written as a command parses to the route
 * written the same way in a configuration block, and every route command of ExaBGP's own corpus parses.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDirectory } from '../../../test/corpus.js';
import { ConfigError } from '../../errors.js';
import type { Route } from '../../model.js';
import { parseConfiguration } from '../parser.js';
import { parseRouteCommand } from './command.js';

const neighbor = (body: string) =>
  parseConfiguration(
    `neighbor 127.0.0.1 { router-id 1.2.3.4; local-as 1; peer-as 1; ${body} }`
      .replace(/; /g, ';\n')
      .replace(/\{ /g, '{\n'),
  ).neighbors[0]!.routes;

/** What a command and a configuration agree on: everything but where each was written. */
const meaning = (routes: Route[]) => routes.map(({ location: _l, ...rest }) => rest);

describe('one grammar for configuration and API commands', () => {
  const same: [string, string][] = [
    [
      'route 10.0.0.0/24 next-hop 192.0.2.1 med 10 community [65000:1]',
      'static { route 10.0.0.0/24 { next-hop 192.0.2.1; med 10; community [65000:1]; } }',
    ],
    [
      'route 10.0.0.0/24 rd 65000:1 label 1000 next-hop 192.0.2.1 extended-community [target:65000:1]',
      'static { route 10.0.0.0/24 rd 65000:1 label 1000 next-hop 192.0.2.1 extended-community [target:65000:1]; }',
    ],
    [
      'attributes med 100 next-hop 101.1.101.1 nlri 1.0.0.1/32 1.0.0.2/32',
      'static { attributes med 100 next-hop 101.1.101.1 nlri 1.0.0.1/32 1.0.0.2/32; }',
    ],
    [
      'ipv6 mpls-vpn 2001:db8::/48 rd 1:2 label [ 16 17 ] next-hop ::ffff:192.0.2.1',
      'announce { ipv6 { mpls-vpn 2001:db8::/48 rd 1:2 label [ 16 17 ] next-hop ::ffff:192.0.2.1; } }',
    ],
    [
      'ipv4 unicast 10.0.1.0/24 next-hop 10.0.1.254 local-preference 200',
      'announce { ipv4 { unicast 10.0.1.0/24 next-hop 10.0.1.254 local-preference 200; } }',
    ],
    [
      'flow route { match { source 10.0.0.1/32; destination-port =80; } then { discard; } }',
      'flow { route { match { source 10.0.0.1/32; destination-port =80; } then { discard; } } }',
    ],
    [
      'flow route destination 10.0.0.2/32 protocol =tcp rate-limit 9600',
      'flow { route { match { destination 10.0.0.2/32; protocol =tcp; } then { rate-limit 9600; } } }',
    ],
    [
      'vpls endpoint 3 base 10702 offset 1 size 8 rd 192.0.2.1:10 next-hop 192.0.2.1',
      'l2vpn { vpls { endpoint 3; base 10702; offset 1; size 8; rd 192.0.2.1:10; next-hop 192.0.2.1; } }',
    ],
  ];
  it.each(same)('%s', (command, configuration) => {
    const fromCommand = parseRouteCommand(command);
    expect(fromCommand.length).toBeGreaterThan(0);
    expect(meaning(fromCommand)).toEqual(meaning(neighbor(configuration)));
  });

  it('takes a trailing semicolon, as ExaBGP does', () => {
    expect(meaning(parseRouteCommand('route 10.0.0.0/24 next-hop 1.2.3.4;'))).toEqual(
      meaning(parseRouteCommand('route 10.0.0.0/24 next-hop 1.2.3.4')),
    );
  });

  it('reports a mistake at its column in the command, with what was expected', () => {
    const error = (() => {
      try {
        parseRouteCommand('route 10.0.0.0/24 next-hop 1.2.3.4 mde 10');
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain("<command>:1:36: unknown keyword 'mde'");
    expect(error.message).toContain("did you mean 'med'?");
    expect(() => parseRouteCommand('rout 10.0.0.0/24')).toThrow(/unknown keyword 'rout' in a route command/);
    expect(() => parseRouteCommand('ipv4')).toThrow(/'ipv4' needs what follows it/);
    expect(() => parseRouteCommand('')).toThrow(/no route in the command/);
    expect(() => parseRouteCommand('route 10.0.0.0/24 next-hop 1.2.3.4; route 10.0.1.0/24 next-hop 1.2.3.4')).toThrow(
      /one route statement/,
    );
  });
});

const qa = join(corpusDirectory(), 'qa');
const present = existsSync(join(qa, 'api'));
if (!present) console.warn(`command corpus: skipped, ExaBGP corpus not found at ${resolve(qa)}`);

/**
 * Flow actions written as extended communities (`rate-limit:0`, `mark 10`, `interface-set:...`): ExaBGP's
 * text for them, which the extended community parser does not read yet (it comes with the flowspec family).
 */
const FLOW_ACTION_COMMUNITY =
  /extended-community \[[^\]]*(rate-limit|mark|action|interface-set|redirect-to-nexthop|copy-to-nexthop)/;

describe.skipIf(!present)('every route command of the ExaBGP corpus (qa/encoding, qa/api) parses', () => {
  const commands: { file: string; text: string }[] = [];
  for (const sub of present ? ['encoding', 'api'] : []) {
    for (const file of readdirSync(join(qa, sub)).filter((f) => f.endsWith('.ci'))) {
      for (const line of readFileSync(join(qa, sub, file), 'utf8').split('\n')) {
        const cmd = /^[A-Z]?\d+:cmd:(.*)$/
          .exec(line.trim())?.[1]
          ?.trim()
          .replace(/^neighbor \S+ /, '');
        const route = cmd === undefined ? undefined : /^(?:announce|withdraw) (.*)$/.exec(cmd)?.[1];
        if (route === undefined || /^(eor|route-refresh|operational|watchdog)\b/.test(route)) continue;
        commands.push({ file: `${sub}/${file}`, text: route });
      }
    }
  }
  const parsed = commands.filter((c) => !FLOW_ACTION_COMMUNITY.test(c.text));

  it('finds them', () => {
    // 268 route commands at the corpus commit the README names, 235 without flow action communities
    expect(commands.length).toBeGreaterThanOrEqual(268);
    expect(parsed.length).toBeGreaterThanOrEqual(235);
  });

  it.each(parsed.map((c) => [c.file, c.text] as const))('%s: %s', (_file, text) => {
    expect(parseRouteCommand(text).length).toBeGreaterThan(0);
  });
});
