import { describe, expect, it } from 'vitest';
import { nextHopFromStrings, nextHopToStrings } from './attributes/attr-14-mp-reach-nlri.js';
import { ASN4_CONTEXT } from './context.js';
import { BgpError } from './errors.js';
import { ipNextHop } from './families/ip.js';
import { familyKey } from './families/key.js';
import { familyName, familyRowOf, registerFamily } from './families/table.js';
import type { AddressFamily } from './families/types.js';
import { decodeIpv4Prefixes, decodeIpv6Prefixes, writeIpPrefix } from './nlri/ip.js';
import {
  type IpPrefix,
  ipv4ToString,
  ipv6ToString,
  parseIpv4,
  parseIpv4Prefix,
  parseIpv6,
  parseIpv6Prefix,
  parsePrefix,
  prefixToString,
} from './prefix.js';
import { decodeUpdate, encodeUpdate } from './update.js';
import { ByteWriter } from './writer.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('IP addresses and prefixes as text', () => {
  it('reads and prints IPv4 addresses as unsigned numbers', () => {
    expect(parseIpv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4ToString(0xc0000201)).toBe('192.0.2.1');
    for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.-1', 'a.b.c.d', '1.2.3.4.5']) {
      expect(() => parseIpv4(bad)).toThrow(RangeError);
    }
  });
  it('prints IPv6 addresses as RFC 5952 §4 says: lower case, longest zero run as ::', () => {
    const cases: Array<[string, string]> = [
      ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['::', '::'],
      ['::1', '::1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
      ['fe80::', 'fe80::'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
      ['1:2:3:4:5:6:10.0.0.1', '1:2:3:4:5:6:a00:1'],
      ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ];
    for (const [input, text] of cases) expect(ipv6ToString(parseIpv6(input))).toBe(text);
    for (const bad of [
      '1::2::3',
      '12345::',
      '1:2:3:4:5:6:7:8:9',
      'g::1',
      '1:2:3:4:5:6:7',
      '::1.2.3',
      '1:2:3:4:5:6:7:1.2.3.4',
    ]) {
      expect(() => parseIpv6(bad)).toThrow(RangeError);
    }
  });
  it('reads prefixes, zeroing the octets that are not sent', () => {
    expect(parsePrefix('10.1.2.3/16')).toEqual({
      kind: 'prefix',
      afi: 1,
      length: 16,
      address: 0x0a010000,
      pathId: undefined,
    });
    expect(parsePrefix('10.1.2.3/20').address).toBe(0x0a010200);
    expect(prefixToString(parsePrefix('2001:db8:ffff::1/33'))).toBe('2001:db8:ff00::/33');
    expect(parsePrefix('192.0.2.1').length).toBe(32);
    expect(parsePrefix('0.0.0.0/0', 9)).toEqual({ kind: 'prefix', afi: 1, length: 0, address: 0, pathId: 9 });
    expect(() => parsePrefix('10.0.0.0/33')).toThrow(RangeError);
    expect(() => parsePrefix('::/129')).toThrow(RangeError);
    expect(parseIpv4Prefix('10.0.0.0/8').afi).toBe(1);
    expect(parseIpv6Prefix('::/0').afi).toBe(2);
    expect(() => parseIpv4Prefix('::/0')).toThrow(RangeError);
  });
});

describe('IPv4 and IPv6 NLRI encoding (RFC 4271 §4.3, RFC 4760 §5, RFC 7911 §3)', () => {
  const read = (bytes: string, v6: boolean, addPath = false) => {
    const out: IpPrefix[] = [];
    const b = hex(bytes);
    (v6 ? decodeIpv6Prefixes : decodeIpv4Prefixes)(b, 0, b.length, addPath, out);
    return out;
  };
  const write = (prefixes: IpPrefix[], addPath = false) => {
    const w = new ByteWriter(8);
    for (const p of prefixes) writeIpPrefix(w, p, addPath);
    return toHex(w.finish());
  };
  const cases: Array<[string, string, boolean]> = [
    ['0.0.0.0/0', '00', false],
    ['10.0.0.0/8', '080A', false],
    ['172.16.0.0/12', '0CAC10', false],
    ['192.0.2.0/24', '18C00002', false],
    ['192.0.2.1/32', '20C0000201', false],
    ['::/0', '00', true],
    ['2001:db8::/32', '2020010DB8', true],
    ['2001:db8::1/128', '8020010DB8000000000000000000000001', true],
    ['2001:db8:8000::/33', '2120010DB880', true],
  ];
  for (const [text, bytes, v6] of cases) {
    it(`${text} <-> ${bytes}`, () => {
      expect(read(bytes, v6).map(prefixToString)).toEqual([text]);
      expect(write([parsePrefix(text)])).toBe(bytes);
    });
  }
  it('keeps bits after the prefix length inside the last octet, as sent (ExaBGP does too)', () => {
    const [prefix] = read('19 0A0000FF', false);
    expect(prefix && prefixToString(prefix)).toBe('10.0.0.255/25');
    expect(write(read('19 0A0000FF', false))).toBe('190A0000FF');
  });
  it('reads and writes ADD-PATH path identifiers', () => {
    const prefixes = read('00000001 18 0A0000 FFFFFFFF 00', false, true);
    expect(prefixes.map((p) => [prefixToString(p), p.pathId])).toEqual([
      ['10.0.0.0/24', 1],
      ['0.0.0.0/0', 0xffffffff],
    ]);
    expect(write(prefixes, true)).toBe('00000001180A0000FFFFFFFF00');
    // A prefix without an identifier on an ADD-PATH session is sent with identifier 0.
    expect(write([parsePrefix('10.0.0.0/8')], true)).toBe('00000000080A');
  });
  it('refuses prefix lengths past the family maximum and prefixes that overrun the field (RFC 7606 §5.3)', () => {
    for (const [bytes, v6, addPath] of [
      ['21 0A000000 00', false, false],
      [`81${'00'.repeat(17)}`, true, false],
      ['18 0A00', false, false],
      ['000000', false, true],
      ['00000001', true, true],
    ] as Array<[string, boolean, boolean]>) {
      expect(() => read(bytes, v6, addPath)).toThrow(BgpError);
    }
  });
});

describe('MP_REACH_NLRI next hops (RFC 4760 §3, RFC 2545 §3)', () => {
  it('reads and builds IPv4, IPv6 and IPv6 global + link-local next hops', () => {
    expect(nextHopToStrings(nextHopFromStrings('192.0.2.1'))).toEqual(['192.0.2.1']);
    expect(nextHopToStrings(nextHopFromStrings('2001:db8::1'))).toEqual(['2001:db8::1']);
    expect(nextHopToStrings(nextHopFromStrings('2001:db8::1', 'fe80::1'))).toEqual(['2001:db8::1', 'fe80::1']);
    expect(nextHopFromStrings('2001:db8::1', 'fe80::1').length).toBe(32);
  });
});

describe('address-family table', () => {
  it('has rows for IPv4 and IPv6 unicast and multicast, named as ExaBGP names them', () => {
    expect([
      familyRowOf(1, 1)?.name,
      familyRowOf(1, 2)?.name,
      familyRowOf(2, 1)?.name,
      familyRowOf(2, 2)?.name,
    ]).toEqual(['ipv4 unicast', 'ipv4 multicast', 'ipv6 unicast', 'ipv6 multicast']);
    expect(familyName(1, 133)).toBe('ipv4 flow');
    expect(familyName(9, 9)).toBe('unknown-afi-0x9 unknown safi 9');
  });
  it('lets a family plug in by adding a row: MP_REACH_NLRI of it is then decoded with that codec', () => {
    // A toy family (AFI 1, SAFI 241, private use): each NLRI is one octet, read as a /8.
    const toy: AddressFamily<IpPrefix> = {
      key: familyKey(1, 241),
      afi: 1,
      safi: 241,
      name: 'ipv4 toy',
      afiName: 'ipv4',
      safiName: 'toy',
      safiAliases: [],
      exabgp: { configurable: false, groupUpdates: false, nlriField: false },
      codec: {
        kind: 'prefix',
        nextHop: ipNextHop([4], undefined),
        decode(b, start, end, _addPath, _withdraw, out) {
          for (let i = start; i < end; i++)
            out.push({ kind: 'prefix', afi: 1, length: 8, address: (b[i]! << 24) >>> 0, pathId: undefined });
        },
        encode(w, nlri) {
          w.u8(nlri.afi === 1 ? nlri.address >>> 24 : 0);
        },
        size: () => 1,
        compare: () => 0,
        identity: (nlri) => prefixToString(nlri),
        json: (nlri) => `{ "nlri": "${prefixToString(nlri)}" }`,
        text: (nlri) => prefixToString(nlri),
        fromPrefix: undefined,
      },
    };
    const body = hex('0000 0015 40010100 400200 800E0B 0001 F1 04 C0000201 00 0A 0B');
    expect(decodeUpdate(body, ASN4_CONTEXT).attributes[2]?.kind).toBe('unknown');
    registerFamily(toy);
    const update = decodeUpdate(body, ASN4_CONTEXT);
    const reach = update.attributes[2];
    expect(reach?.kind === 'mp-reach-nlri' && reach.nlri.map(prefixToString)).toEqual(['10.0.0.0/8', '11.0.0.0/8']);
    expect(toHex(encodeUpdate(update, ASN4_CONTEXT).subarray(19))).toBe(toHex(body));
  });
});
