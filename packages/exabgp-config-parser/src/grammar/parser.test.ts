import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseConfiguration } from './index.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/configs');
const SEEDS = ['ipv4-ipv6.conf', 'templates.conf', 'attributes.conf', 'flow-vpls.conf'].map((f) =>
  readFileSync(join(fixtures, f), 'utf8'),
);

const neighbor = (body: string): string =>
  `neighbor 127.0.0.1 {\n router-id 1.2.3.4;\n local-address 127.0.0.1;\n local-as 1;\n peer-as 1;\n${body}\n}\n`;

function errorOf(text: string): ConfigError {
  try {
    parseConfiguration(text, 't.conf');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('grammar', () => {
  it('an unknown keyword inside a route names the route block and suggests', () => {
    const e = errorOf(neighbor(' static {\n  route 10.0.0.0/8 nexthop 1.2.3.4;\n }'));
    expect(e.reason).toBe("unknown keyword 'nexthop' in neighbor 127.0.0.1 / static / route");
    expect(e.hint).toBe("did you mean 'next-hop'?");
    expect(e.expected).toContain('next-hop');
  });

  it('a missing value points just after the keyword', () => {
    const e = errorOf(neighbor(' static {\n  route 10.0.0.0/8 next-hop;\n }'));
    expect([e.line, e.column, e.reason]).toEqual([7, 28, 'missing an IP address or self']);
  });

  it('an unclosed list says where it was opened', () => {
    const e = errorOf(neighbor(' static {\n  route 10.0.0.0/8 next-hop 1.2.3.4 community [ 1:1;\n }'));
    expect(e.reason).toBe("missing ']' closing the list opened at 7:47");
  });

  it('refuses a prefix range peer that is not passive (neighbor/__init__.py)', () => {
    expect(
      errorOf(
        neighbor('')
          .replace('127.0.0.1 {', '10.0.0.0/24 {')
          .replace('local-address 127.0.0.1', 'local-address 10.0.0.254'),
      ).reason,
    ).toBe('can only use ip ranges for the peer address with passive neighbors');
    const c = parseConfiguration(
      neighbor(' passive;')
        .replace('127.0.0.1 {', '10.0.0.0/24 {')
        .replace('local-address 127.0.0.1', 'local-address 10.0.0.254'),
    );
    expect(c.neighbors[0]).toMatchObject({ peerAddress: '10.0.0.0/24', peerRange: true, passive: true });
  });

  it('refuses an IPv6 neighbor without router-id (session.py missing)', () => {
    const text = 'neighbor ::1 {\n local-address ::1;\n local-as 1;\n peer-as 1;\n}\n';
    expect(errorOf(text).reason).toBe('incomplete neighbor ::1, missing router-id');
  });

  it('add-path: capability mode with every configured family when there is no add-path block', () => {
    const c = parseConfiguration(
      neighbor(' capability { add-path send/receive; }\n family { ipv4 unicast; ipv6 unicast; }'),
    );
    expect(c.neighbors[0]!.capabilities.addPath).toBe(3);
    expect(c.neighbors[0]!.addPath.map((a) => `${a.family.afi} ${a.family.safi}`)).toEqual([
      'ipv4 unicast',
      'ipv6 unicast',
    ]);
  });

  it('nexthop block turns the extended next-hop capability on (RFC 8950)', () => {
    const c = parseConfiguration(neighbor(' family { ipv4 unicast; ipv6 unicast; }\n nexthop { ipv4 unicast ipv6; }'));
    expect(c.neighbors[0]!.capabilities.nexthop).toBe(true);
    expect(c.neighbors[0]!.nexthop).toMatchObject([
      { family: { afi: 'ipv4', safi: 'unicast' }, nextHopAfi: 'ipv6', nextHopAfiCode: 2 },
    ]);
  });

  it('a multicast prefix in static goes to the multicast SAFI (IP.tosafi)', () => {
    const c = parseConfiguration(neighbor(' static { route 224.1.0.0/16 next-hop 1.2.3.4; }'));
    expect(c.neighbors[0]!.routes[0]!.family).toMatchObject({ safi: 'multicast', safiCode: 2 });
  });

  it('operational messages', () => {
    const c = parseConfiguration(
      neighbor(' operational {\n  asm afi ipv4 safi unicast advisory "maintenance at 02:00";\n }'),
    );
    expect(c.neighbors[0]!.operational).toMatchObject([
      { kind: 'asm', family: { afi: 'ipv4', safi: 'unicast' }, advisory: 'maintenance at 02:00' },
    ]);
  });

  it('announce blocks: the block names the family, a one-line flow route takes match and action keywords', () => {
    const c = parseConfiguration(
      neighbor(
        // no family block: every family may be announced (ExaBGP's family block has no ipv6 multicast)
        ' announce {\n  ipv4 {\n   flow destination 192.0.2.0/24 destination-port [ =53 ] protocol udp discard;\n  }\n' +
          '  ipv6 {\n   unicast 2001:db8::/32 next-hop 2001:db8::1 med 7;\n   multicast ff0e::/16 next-hop 2001:db8::1;\n  }\n }',
      ),
    );
    const [flow, unicast, multicast] = c.neighbors[0]!.routes;
    expect(flow).toMatchObject({
      family: { afi: 'ipv4', safi: 'flow' },
      nlri: {
        components: [{ type: 1, prefix: '192.0.2.0/24' }, { type: 3 }, { type: 5, terms: [{ op: '=', value: 53 }] }],
      },
      attributes: { extendedCommunities: [{ hex: '8006000000000000' }] },
    });
    expect(unicast).toMatchObject({ family: { afi: 'ipv6', safi: 'unicast' }, attributes: { med: 7 } });
    expect(multicast).toMatchObject({ family: { afi: 'ipv6', safi: 'multicast', safiCode: 2 } });
  });

  it('an IPv4 prefix in the ipv6 announce block is refused', () => {
    const e = errorOf(neighbor(' announce { ipv6 {\n unicast 10.0.0.0/8 next-hop 1.2.3.4;\n } }'));
    expect([e.reason, e.expected]).toEqual(["'10.0.0.0/8' is an IPv4 prefix", 'an IPv6 prefix']);
  });

  it('routes written with the same attribute text share one Attributes object; values are still per text', () => {
    const c = parseConfiguration(
      neighbor(
        ' static {\n  route 10.0.0.0/24 next-hop 1.1.1.1 med 5 community [ 1:1 ];\n  route 10.0.1.0/24 next-hop 2.2.2.2 med 5 community [ 1:1 ];\n' +
          '  route 10.0.2.0/24 next-hop 1.1.1.1 med 6 community [ 1:1 ];\n }',
      ),
    );
    const [a, b, d] = c.neighbors[0]!.routes;
    expect(a!.attributes).toBe(b!.attributes);
    expect(a!.attributes).not.toBe(d!.attributes);
    expect(d!.attributes).toEqual({ med: 6, communities: [65537] });
    expect([a!.nextHop, b!.nextHop]).toEqual(['1.1.1.1', '2.2.2.2']);
  });

  it('md5: a base64 password must decode, and at most 80 bytes (session.py validate_md5)', () => {
    expect(errorOf(neighbor(' md5-password "not base64!";\n md5-base64 true;')).reason).toBe(
      'md5-password is not valid base64 (md5-base64 is set)',
    );
    expect(errorOf(neighbor(` md5-password ${'x'.repeat(81)};`)).reason).toBe(
      'the md5 password is longer than 80 bytes',
    );
    const c = parseConfiguration(neighbor(' md5-password c2VjcmV0;\n md5-base64 true;'));
    expect(c.neighbors[0]).toMatchObject({ md5Password: 'c2VjcmV0', md5Base64: true, md5Ip: '127.0.0.1' });
  });

  it('bad input of any shape gives a ConfigError, never another exception', () => {
    const seeds = fc.constantFrom(...SEEDS);
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 12 }),
      insert: fc.constantFrom(
        '',
        ';',
        '{',
        '}',
        '[',
        ']',
        '(',
        ')',
        ',',
        '"',
        "'",
        '\\',
        '#',
        ' ',
        '\n',
        'x',
        '0',
        ':',
        '/',
        '&',
        '=',
        '-1',
        '999999999999',
      ),
    });
    fc.assert(
      fc.property(seeds, fc.array(edit, { minLength: 1, maxLength: 4 }), (seed, edits) => {
        let text = seed;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        }
        try {
          parseConfiguration(text, 'fuzz.conf');
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          expect(error.line).toBeGreaterThan(0);
          expect(error.column).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
