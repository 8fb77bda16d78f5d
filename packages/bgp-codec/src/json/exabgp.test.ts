/**
 * ExaBGP JSON rendering, vector by vector. The `"type"`-onwards text of each vector is what ExaBGP 6's
 * `exabgp decode` prints for those bytes (4-octet AS session, neighbor 127.0.0.1 / AS 65533, direction
 * "in"), recorded with bench/exabgp-differential.ts's setup; the rest are ExaBGP's json.py read by hand.
 */
import { describe, expect, it } from 'vitest';
import { ASN4_CONTEXT } from '../context.js';
import { decodeMessage } from '../message.js';
import { ipv4Prefix, parsePrefix } from '../prefix.js';
import { endOfRib, type UpdateMessage } from '../update.js';
import { type ExabgpJsonOptions, exabgpJson } from './exabgp.js';
import { ipv6Text, pyFloat, pyJsonString } from './format.js';

const options: ExabgpJsonOptions = {
  neighbor: {
    localAddress: '127.0.0.1',
    peerAddress: '127.0.0.1',
    localAs: 65533,
    peerAs: 65533,
    routerId: '127.0.0.1',
  },
  direction: 'in',
  time: 1700000000.25,
  host: 'h',
  pid: 1,
  ppid: 2,
};
const fromType = (line: string) => line.slice(line.indexOf('"type"'));
const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

const EXABGP_DECODE: ReadonlyArray<readonly [string, string, string]> = [
  [
    'announce and withdraw: NEXT_HOP printed, both aggregators, unknown transitive attribute with Partial, unknown non-transitive dropped',
    'ffffffffffffffffffffffffffffffff0064020003100a0900414001010240021402020000fde9fa56ea0001020000000700000008400304c0000201c007080000fde901020304c01208fa56ea0005060708c06302dead80620101180a0102190a010380',
    '"type": "update", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "in", "message": { "update": { "attribute": { "origin": "incomplete", "as-path": {"0": {"element": "as-sequence", "value": [65001, 4200000000]}, "1": {"element": "as-set", "value": [7, 8]}}, "next-hop": "192.0.2.1", "aggregator": "65001:1.2.3.4", "aggregator": "4200000000:5.6.7.8", "attribute-0x63-0xE0": "0xdead" }, "announce": { "ipv4 unicast": { "192.0.2.1": [ { "nlri": "10.1.2.0/24" }, { "nlri": "10.1.3.128/25" } ] } }, "withdraw": { "ipv4 unicast": [ { "nlri": "10.9.0.0/16" } ] } } } } }',
  ],
  [
    'IPv6 MP_REACH_NLRI with a link-local next hop and glibc address text, MP_UNREACH_NLRI of another family',
    'ffffffffffffffffffffffffffffffff009002000000794001010240021402020000fde9fa56ea0001020000000700000008800e500002012020010db8000000000000000000000001fe800000000000000000000000000001008000000000000000000000ffff0102030480000000000000000000000000010203044020010db800000001800f080002022020010db8',
    '"type": "update", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "in", "message": { "update": { "attribute": { "origin": "incomplete", "as-path": {"0": {"element": "as-sequence", "value": [65001, 4200000000]}, "1": {"element": "as-set", "value": [7, 8]}} }, "announce": { "ipv6 unicast": { "2001:db8::1": [ { "nlri": "::ffff:1.2.3.4/128" }, { "nlri": "::1.2.3.4/128" }, { "nlri": "2001:db8:0:1::/64" } ] } }, "withdraw": { "ipv6 multicast": [ { "nlri": "2001:db8::/32" } ] } } } } }',
  ],
  [
    'communities, cluster list and every kind of extended community ExaBGP names',
    'ffffffffffffffffffffffffffffffff00c502000000aa4001010240021402020000fde9fa56ea0001020000000700000008400304c00002018004040000000040050400000064400600c00808ffffff01fde800018009040a000001800a080a0000020a000003c010480002fde80000000101020102030400050202fa56ea000006000300010a0000018008fde8000000078006fde844bb9666800a130005dc000047020000fde88005aabb010203040506c0200c0000fde8000000010000000218c00002',
    '"type": "update", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "in", "message": { "update": { "attribute": { "origin": "incomplete", "as-path": {"0": {"element": "as-sequence", "value": [65001, 4200000000]}, "1": {"element": "as-set", "value": [7, 8]}}, "med": 0, "local-preference": 100, "atomic-aggregate": true, "community": [ [ 65535, 65281 ], [ 65000, 1 ] ], "originator-id": "10.0.0.1", "cluster-list": [ "10.0.0.2", "10.0.0.3" ], "extended-community": [ { "value": 842122827661313, "string": "target:65000:1" }, { "value": 72621652143505413, "string": "target:1.2.3.4:5" }, { "value": 144953389229277190, "string": "target:4200000000:6" }, { "value": 844429392871425, "string": "origin:1:10.0.0.1" }, { "value": 9225903009542701063, "string": "redirect:65000:7" }, { "value": 9225340060742424166, "string": "rate-limit:1500" }, { "value": 9226207677441114112, "string": "l2info:19:0:1500:0" }, { "value": 5116652130906177541, "string": "interface-set:output:65000:5", "transitive": false }, { "value": 12302427915244799238, "string": "0xAABB010203040506" } ], "large-community": [ [ 65000, 1 , 2 ] ] }, "announce": { "ipv4 unicast": { "192.0.2.1": [ { "nlri": "192.0.2.0/24" } ] } } } } } }',
  ],
  [
    'OPEN with capabilities folded per code (RFC 5492)',
    'ffffffffffffffffffffffffffffffff009301045ba0005ac0000201760206010400010001020601040002000102064104fa56ea0002080506000100010002020a45080001010300020101020c400a807800010180000201000202020002024600020206000211490f0272310b6578616d706c652e6e6574020f4b0d0c4578614247502f362e302e300204420201020202c800',
    '"type": "open", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "in", "open": { "version": 4, "asn": 23456, "hold_time": 90, "router_id": "192.0.2.1", "capabilities": { "1": { "name": "multiprotocol", "families": [ "ipv4/unicast", "ipv6/unicast" ] }, "65": { "name": "asn4", "asn4": 4200000000 }, "5": { "name": "nexthop", "conversion": [ "ipv4/unicast/ipv6" ] }, "69": { "name": "addpath", "ipv4/unicast": "send/receive","ipv6/unicast": "receive" }, "64": { "name": "graceful restart", "time": 120, "address-family-flags": { "ipv4/unicast": [ "restart" ] , "ipv6/unicast": [ ] }, "restart-flags": [ "forwarding" ]  }, "2": { "name": "route-refresh", "variant": "RFC" }, "70": { "name": "enhanced-route-refresh" }, "6": { "name": "extended-message", "size": 65535 }, "73": { "host-name": "r1", "domain-name": "example.net" }, "75": { "software": "ExaBGP/6.0.0" }, "66": { "name": "unknown", "iana": "unknown", "value": 66, "raw": "0102" }, "200": { "name": "unknown", "iana": "reserved", "value": 200, "raw": "" } } } } }',
  ],
  [
    'Cease/2 whose Shutdown Communication is cut inside a UTF-8 sequence (RFC 9003)',
    'ffffffffffffffffffffffffffffffff001c030602056279650ac3a9',
    '"type": "notification", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "in", "notification": { "code": 6, "subcode": 2, "data": "0x696E76616C69642053687574646F776E20436F6D6D756E69636174696F6E2028696E76616C6964205554462D3829206C656E677468203A2035205B30783632373936353041433341395D", "message": "invalid Shutdown Communication (invalid UTF-8) length : 5 [0x6279650AC3A9]" }  } }',
  ],
  [
    'Cease/4 whose Shutdown Communication overruns the data (RFC 9003)',
    'ffffffffffffffffffffffffffffffff00170306040961',
    '"type": "notification", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "in", "notification": { "code": 6, "subcode": 4, "data": "0x696E76616C69642053687574646F776E20436F6D6D756E69636174696F6E202862756666657220756E64657272756E29206C656E677468203A2039205B307836315D", "message": "invalid Shutdown Communication (buffer underrun) length : 9 [0x61]" }  } }',
  ],
  [
    'UPDATE error with binary data',
    'ffffffffffffffffffffffffffffffff001703030100ff',
    '"type": "notification", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "in", "notification": { "code": 3, "subcode": 1, "data": "0x00FF", "message": "\\u0000\\ufffd" }  } }',
  ],
];

describe('exabgpJson prints what exabgp decode prints', () => {
  for (const [name, bytes, expected] of EXABGP_DECODE) {
    it(name, () => {
      expect(fromType(exabgpJson(decodeMessage(hex(bytes), ASN4_CONTEXT), options))).toBe(expected);
    });
  }
});

describe('exabgpJson, the parts exabgp decode does not show', () => {
  it('prints the envelope of json.py _header, counter and packets included', () => {
    const line = exabgpJson(decodeMessage(hex(`${'ff'.repeat(16)}001304`)), {
      ...options,
      direction: 'receive',
      counter: 7,
      header: hex(`${'ff'.repeat(16)}001304`),
    });
    expect(line).toBe(
      `{ "exabgp": "6.0.0", "time": 1700000000.25, "host" : "h", "pid" : 1, "ppid" : 2, "counter": 7, "type": "keepalive", "header": "0x${'FF'.repeat(16)}001304", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "receive"  } }`,
    );
  });

  it('leaves out the router-id when there is none, as _neighbor does', () => {
    const line = exabgpJson({ type: 'keepalive' }, { ...options, neighbor: { ...options.neighbor, routerId: '' } });
    expect(fromType(line)).toBe(
      '"type": "keepalive", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 } , "direction": "in"  } }',
    );
  });

  it('prints ROUTE-REFRESH with its RFC 7313 subtype by name', () => {
    const line = exabgpJson({ type: 'route-refresh', afi: 2, safi: 1, subtype: 1 }, options);
    expect(fromType(line)).toContain('"route-refresh": { "afi": "ipv6", "safi": "unicast", "subtype": "begin" } } }');
  });

  it('prints an End-of-RIB (RFC 4724 §2) as ExaBGP 5 did, not as ExaBGP 6.0.0 non-JSON', () => {
    expect(fromType(exabgpJson(endOfRib(1, 1), options))).toContain(
      '"message": { "eor": { "afi" : "ipv4", "safi" : "unicast" } } } }',
    );
    expect(fromType(exabgpJson(endOfRib(2, 2), options))).toContain(
      '"message": { "eor": { "afi" : "ipv6", "safi" : "multicast" } } } }',
    );
  });

  it('prints a Shutdown Communication (RFC 9003) as a sentence, new lines as spaces', () => {
    const text = Buffer.from('bye\né');
    const line = exabgpJson(
      { type: 'notification', code: 6, subcode: 2, data: Uint8Array.from([text.length, ...text]) },
      options,
    );
    const sentence = 'Shutdown Communication: "bye é"';
    expect(fromType(line)).toContain(
      `"notification": { "code": 6, "subcode": 2, "data": "0x${Buffer.from(sentence).toString('hex').toUpperCase()}", "message": "Shutdown Communication: \\"bye \\u00e9\\"" }  } }`,
    );
  });

  it('merges AS4_PATH into AS_PATH as ExaBGP does (RFC 6793 §4.2.3), AS_TRANS replaced', () => {
    const update: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      nlri: [],
      attributes: [
        { kind: 'as-path', code: 2, segments: [{ type: 2, asns: [1, 2, 23456] }] },
        { kind: 'as4-path', code: 17, segments: [{ type: 2, asns: [65000] }] },
      ],
    };
    expect(fromType(exabgpJson(update, options))).toContain(
      '"attribute": { "as-path": {"0": {"element": "as-sequence", "value": [1, 2, 65000]}} } } } } }',
    );
  });

  it('prints AIGP (RFC 7311) only for a session configured with it', () => {
    const update: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      nlri: [],
      attributes: [{ kind: 'aigp', code: 26, tlvs: [{ type: 1, value: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 100) }] }],
    };
    expect(fromType(exabgpJson(update, options))).toContain('"message": { "update": { "attribute": {  } } } } }');
    expect(fromType(exabgpJson(update, { ...options, aigp: true }))).toContain(
      '"attribute": { "aigp": "0x0000000000000064" } } } } }',
    );
  });

  it('prints ADD-PATH path identifiers (RFC 7911) as dotted quads', () => {
    const update: UpdateMessage = {
      type: 'update',
      withdrawn: [ipv4Prefix(0x0a000000, 8, 0x01020304)],
      nlri: [],
      attributes: [],
    };
    expect(fromType(exabgpJson(update, options))).toContain(
      '"message": { "update": { "withdraw": { "ipv4 unicast": [ { "nlri": "10.0.0.0/8", "path-information": "1.2.3.4" } ] } } } } }',
    );
  });

  it('refuses message types ExaBGP has no JSON for', () => {
    expect(() => exabgpJson({ type: 'unknown', messageType: 9, body: new Uint8Array(0) }, options)).toThrow(RangeError);
  });
});

describe('formatting as Python prints it', () => {
  it('escapes strings as json.dumps with ensure_ascii', () => {
    expect(pyJsonString('a"b\\c\n\t\u0001é😀\u007f')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u00e9\\ud83d\\ude00\\u007f"');
  });

  it('prints floats as repr() does', () => {
    expect(pyFloat(1653384088.2516758)).toBe('1653384088.2516758');
    expect(pyFloat(1700000000)).toBe('1700000000.0');
  });

  it('prints IPv6 as glibc inet_ntop does', () => {
    const v6 = (text: string) => ipv6Text(parsePrefix(`${text}/128`).address as Uint8Array);
    expect(v6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(v6('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
    expect(v6('::10.0.0.1')).toBe('::10.0.0.1');
    expect(v6('::1')).toBe('::1');
    expect(v6('::')).toBe('::');
    expect(v6('2001:0:0:1::1')).toBe('2001:0:0:1::1');
  });
});
