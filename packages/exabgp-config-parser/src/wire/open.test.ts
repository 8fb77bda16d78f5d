import { readFileSync } from 'node:fs';
import { decodeMessage, encodeMessage, familyKey } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import type { Family } from '../model.js';
import { makeNeighbor } from './neighbor.js';
import { capabilitiesFor, EXABGP_TEST_SOFTWARE_VERSION, encodeOpenFor, openFor, softwareVersionText } from './open.js';
import { PROJECT_VERSION, SOFTWARE_VERSION } from './version.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const MARKER = 'FF'.repeat(16);
const ascii = (text: string) => Buffer.from(text, 'ascii').toString('hex').toUpperCase();
const u8 = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
const u16 = (n: number) => n.toString(16).padStart(4, '0').toUpperCase();

/** One Capabilities optional parameter (RFC 5492 §4) around a capability. */
const param = (code: number, value = '') => `02${u8(value.length / 2 + 2)}${u8(code)}${u8(value.length / 2)}${value}`;
/** An OPEN (RFC 4271 §4.2) with the given parameters in the RFC 4271 format. */
const open = (asn: number, hold: number, id: string, params: string[]) => {
  const body = `04${u16(asn)}${u16(hold)}${id}${u8(params.join('').length / 2)}${params.join('')}`;
  return `${MARKER}${u16(19 + body.length / 2)}01${body}`;
};

const ipv4 = (afi: Family['afi'], safi: Family['safi'], afiCode: number, safiCode: number): Family => ({
  afi,
  safi,
  afiCode,
  safiCode,
  key: familyKey(afiCode, safiCode),
});
const IPV4_UNICAST = ipv4('ipv4', 'unicast', 1, 1);
const IPV6_UNICAST = ipv4('ipv6', 'unicast', 2, 1);

const base = {
  peerAddress: '127.0.0.1',
  localAddress: '127.0.0.1',
  routerId: '10.0.0.2',
  localAs: 65533,
  peerAs: 65533,
};
const conformance = { softwareVersion: EXABGP_TEST_SOFTWARE_VERSION };

describe('OPEN a neighbor sends (RFC 4271 §4.2, RFC 5492, ExaBGP Capabilities.new)', () => {
  it('defaults: Multiprotocol per family, 4-octet AS, Extended Message on; route refresh off; one capability per parameter', () => {
    const neighbor = makeNeighbor({ ...base });
    expect(hex(encodeOpenFor(neighbor))).toBe(
      open(65533, 180, '0A000002', [param(1, '00010001'), param(65, '0000FFFD'), param(6)]),
    );
  });

  it('FQDN (draft-walton-bgp-hostname-capability) follows Extended Message when a host name is configured', () => {
    const neighbor = makeNeighbor({ ...base, hostName: 'h', domainName: 'example.com' });
    const fqdn = `01${ascii('h')}0B${ascii('example.com')}`;
    expect(hex(encodeOpenFor(neighbor))).toBe(
      open(65533, 180, '0A000002', [param(1, '00010001'), param(65, '0000FFFD'), param(6), param(73, fqdn)]),
    );
  });

  it('software version (draft-abraitis-bgp-version-capability) carries the configured string', () => {
    const neighbor = makeNeighbor({ ...base, capabilities: { softwareVersion: true } as never });
    const version = ascii('ExaBGP/5.0.0-0+test');
    expect(hex(encodeOpenFor(neighbor, {}, conformance))).toBe(
      open(65533, 180, '0A000002', [param(1, '00010001'), param(65, '0000FFFD'), param(6), param(75, `13${version}`)]),
    );
    const ours = capabilitiesFor(neighbor).find((c) => c.type === 'software-version');
    expect(ours).toEqual({ type: 'software-version', version: SOFTWARE_VERSION });
  });

  it("the project's own version string is this package's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PROJECT_VERSION).toBe(pkg.version);
  });

  it('a version longer than 64 characters is cut to 61 and ends with ... (ExaBGP Software.__init__)', () => {
    expect(softwareVersionText('x'.repeat(70))).toBe(`${'x'.repeat(61)}...`);
    expect(softwareVersionText('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('graceful restart, route refresh + enhanced, link-local next-hop come in ExaBGP order', () => {
    const neighbor = makeNeighbor({
      ...base,
      families: [IPV6_UNICAST, IPV4_UNICAST],
      capabilities: { gracefulRestart: 120, routeRefresh: true, linkLocalNexthop: true } as never,
    });
    expect(hex(encodeOpenFor(neighbor))).toBe(
      open(65533, 180, '0A000002', [
        param(1, '00010001'),
        param(1, '00020001'),
        param(65, '0000FFFD'),
        // RFC 4724 §3: flags 0, time 120, then AFI/SAFI/forwarding-state per family
        param(64, `0078${'0001'}01${'80'}${'0002'}01${'80'}`),
        param(2),
        param(70),
        param(6),
        param(77),
      ]),
    );
  });

  it('graceful-restart 0 uses the hold time (ExaBGP Neighbor.infer)', () => {
    const neighbor = makeNeighbor({ ...base, holdTime: 90, capabilities: { gracefulRestart: 0 } as never });
    const gr = capabilitiesFor(neighbor).find((c) => c.type === 'graceful-restart');
    expect(gr).toMatchObject({ restartTime: 90, restartFlags: 0 });
  });

  it('a 4-octet local AS goes as AS_TRANS in My AS and in full in the capability (RFC 6793 §4.1)', () => {
    const neighbor = makeNeighbor({ ...base, localAs: 4200000000 });
    expect(hex(encodeOpenFor(neighbor))).toBe(
      open(23456, 180, '0A000002', [param(1, '00010001'), param(65, 'FA56EA00'), param(6)]),
    );
  });

  it('asn4 disable and extended-message disable drop those capabilities', () => {
    const neighbor = makeNeighbor({ ...base, capabilities: { asn4: false, extendedMessage: false } as never });
    expect(hex(encodeOpenFor(neighbor))).toBe(open(65533, 180, '0A000002', [param(1, '00010001')]));
  });

  it('no family block: every family ExaBGP knows, sorted by AFI then SAFI', () => {
    const neighbor = makeNeighbor({ ...base, families: [], familyBlock: false });
    const families = capabilitiesFor(neighbor)
      .filter((c) => c.type === 'multiprotocol')
      .map((c) => (c.type === 'multiprotocol' ? `${c.afi}/${c.safi}` : ''));
    expect(families).toEqual([
      '1/1',
      '1/2',
      '1/4',
      '1/5',
      '1/73',
      '1/85',
      '1/128',
      '1/132',
      '1/133',
      '1/134',
      '2/1',
      '2/2',
      '2/4',
      '2/5',
      '2/73',
      '2/85',
      '2/128',
      '2/133',
      '2/134',
      '25/65',
      '25/70',
      '16388/71',
      '16388/72',
    ]);
  });

  it('the router-id defaults to an IPv4 local address', () => {
    const { routerId: _, ...rest } = base;
    expect(openFor(makeNeighbor({ ...rest, localAddress: '192.0.2.7' })).bgpIdentifier).toBe('192.0.2.7');
    expect(() => openFor(makeNeighbor({ ...rest, peerAddress: '::1', localAddress: '::1' }))).toThrow(/router-id/);
  });

  describe('RFC 9072 extended optional parameters, switched on at 255 bytes as ExaBGP does', () => {
    // every known family (23 x 8) + 4-octet AS (8) + Extended Message (4) = 196 bytes; FQDN adds 6 + names
    const sized = (host: number, domain: number) =>
      makeNeighbor({
        ...base,
        families: [],
        familyBlock: false,
        hostName: 'h'.repeat(host),
        domainName: 'd'.repeat(domain),
      });

    it('254 bytes of parameters keep the RFC 4271 format', () => {
      const bytes = encodeOpenFor(sized(30, 22));
      expect(bytes[28]).toBe(254);
      expect(bytes[29]).toBe(2);
    });

    it('255 bytes switch to the extended format: 255, 255, 2-octet length, 2-octet parameter lengths', () => {
      const bytes = encodeOpenFor(sized(30, 23));
      // 26 parameters, each one octet longer in the extended format
      expect(hex(bytes.subarray(28, 35))).toBe(`FFFF${u16(255 + 26)}02${u16(6)}`);
      const decoded = decodeMessage(bytes);
      expect(decoded.type === 'open' && decoded.extendedOptionalParameters).toBe(true);
      expect(hex(encodeMessage(decoded))).toBe(hex(bytes));
    });
  });
});
