import { describe, expect, it } from 'vitest';
import {
  asn,
  booleanValue,
  community,
  extendedCommunity,
  formatIPv6,
  InvalidValue,
  largeCommunity,
  parseIPv4,
  parseIPv6,
  prefix,
  routeDistinguisher,
} from './values.js';

describe('AS numbers (RFC 6793, asdot RFC 5396)', () => {
  it('reads plain and asdot numbers', () => {
    expect(asn('65000')).toBe(65000);
    expect(asn('4294967295')).toBe(4294967295);
    expect(asn('1.10')).toBe(65546);
  });
  it('refuses out of range and garbage', () => {
    for (const bad of ['4294967296', '-1', '65536.1', 'as65000', '1.']) expect(() => asn(bad)).toThrow(InvalidValue);
  });
});

describe('booleans in ExaBGP spellings (configuration/parser.py boolean)', () => {
  it.each([
    ['true', true],
    ['enable', true],
    ['Enabled', true],
    ['false', false],
    ['disable', false],
    ['disabled', false],
  ])('%s is %s', (text, value) => expect(booleanValue(text)).toBe(value));
  it('refuses yes/no', () => expect(() => booleanValue('yes')).toThrow(/not a valid boolean/));
});

describe('addresses', () => {
  it('IPv4 dotted quads only', () => {
    expect(parseIPv4('192.0.2.1')).toBe(0xc0000201);
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.a']) expect(parseIPv4(bad)).toBe(-1);
  });
  it('IPv6 text forms of RFC 4291 §2.2, printed as RFC 5952', () => {
    expect(formatIPv6(parseIPv6('2001:DB8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(parseIPv6('::')!)).toBe('::');
    expect(formatIPv6(parseIPv6('::ffff:81.52.17.146')!)).toBe('::ffff:5134:1192');
    expect(formatIPv6(parseIPv6('fe80::1')!)).toBe('fe80::1');
    for (const bad of ['1::2::3', '12345::', ':1', '1:2:3:4:5:6:7:8:9', 'g::1']) expect(parseIPv6(bad)).toBeUndefined();
  });
});

describe('prefixes (static/parser.py prefix)', () => {
  it('a bare address is a host route', () => {
    expect(prefix('10.0.0.1')).toMatchObject({ prefix: '10.0.0.1/32', length: 32 });
    expect(prefix('2001:db8::1')).toMatchObject({ prefix: '2001:db8::1/128' });
  });
  it('normalises IPv6 and flags multicast', () => {
    expect(prefix('2001:4B50:20D0::/48')).toMatchObject({ prefix: '2001:4b50:20d0::/48', afi: 'ipv6' });
    expect(prefix('224.0.0.0/4').multicast).toBe(true);
  });
  it('refuses host bits and says the network', () => {
    expect(() => prefix('10.0.0.1/8')).toThrow(/host bits must be zero/);
    try {
      prefix('2001:db8::1/32');
    } catch (error) {
      expect((error as InvalidValue).expected).toBe('2001:db8::/32');
    }
  });
});

describe('communities (RFC 1997, RFC 8092)', () => {
  it('AS:N, numbers and well-known names', () => {
    expect(community('30740:30740')).toBe(30740 * 65536 + 30740);
    expect(community('0x12345678')).toBe(0x12345678);
    expect(community('no-export')).toBe(0xffffff01);
    expect(community('blackhole')).toBe(0xffff029a);
  });
  it('refuses 65536:1', () => expect(() => community('65536:1')).toThrow(/prefix too large/));
  it('large communities', () => {
    expect(largeCommunity('1:2:3')).toEqual([1, 2, 3]);
    expect(largeCommunity('0x000000010000000200000003')).toEqual([1, 2, 3]);
    expect(() => largeCommunity('1:2:4294967296')).toThrow(InvalidValue);
  });
});

describe('extended communities as ExaBGP packs them (static/parser.py _extended_community)', () => {
  it.each([
    ['target:65000:1', '0002fde800000001'],
    ['65000:1', '0002fde800000001'],
    ['origin:65000:1', '0003fde800000001'],
    ['target:1.2.3.4:5', '0102010203040005'],
    ['72:0.0.0.1', '0002004800000001'],
    ['target:70000:1', '0102000111700001'],
    ['target:1L:1', '0102000000010001'],
    ['redirect:65500:12345', '8008ffdc00003039'],
    ['l2info:19:0:1500:111', '800a130005dc006f'],
    ['0x0002fde800000001', '0002fde800000001'],
    ['redirect-to-nexthop', '0800000000000000'],
  ])('%s packs to %s', (text, hex) => expect(extendedCommunity(text)).toBe(hex));
  it('refuses an unknown type', () =>
    expect(() => extendedCommunity('colour:1:2')).toThrow(/not a known extended community type/));
});

describe('route distinguishers (RFC 4364 §4.2)', () => {
  it('picks the type from the values', () => {
    expect(routeDistinguisher('65000:1')).toEqual({ type: 0, administrator: 65000, assigned: 1 });
    expect(routeDistinguisher('65535:65536')).toEqual({ type: 0, administrator: 65535, assigned: 65536 });
    // type 1: the IPv4 administrator as an unsigned number, as the codec carries it
    expect(routeDistinguisher('192.168.201.1:123')).toEqual({ type: 1, administrator: 0xc0a8c901, assigned: 123 });
    expect(routeDistinguisher('70000:1')).toEqual({ type: 2, administrator: 70000, assigned: 1 });
  });
  it('refuses a 4-byte ASN with a 32-bit value', () =>
    expect(() => routeDistinguisher('70000:70000')).toThrow(InvalidValue));
});
