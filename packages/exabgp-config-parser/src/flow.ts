/**
 * Flow specification components and actions (RFC 8955, RFC 8956), with the names ExaBGP accepts
 * (configuration/flow/parser.py and protocol/ip/*).
 */

import type { ExtendedCommunity, FlowComponent, FlowNumericComponent, FlowTerm } from './model.js';
import { digits, float32Hex, formatIPv6, InvalidValue, integerOrHex, parseIPv4, parseIPv6, prefix } from './values.js';

/** Match keywords and their component type (RFC 8955 §4.2.2, RFC 8956 §3). */
export const FLOW_MATCH_TYPES: Record<string, number> = {
  destination: 1,
  'destination-ipv4': 1,
  'destination-ipv6': 1,
  source: 2,
  'source-ipv4': 2,
  'source-ipv6': 2,
  protocol: 3,
  'next-header': 3,
  port: 4,
  'destination-port': 5,
  'source-port': 6,
  'icmp-type': 7,
  'icmp-code': 8,
  'tcp-flags': 9,
  'packet-length': 10,
  dscp: 11,
  'traffic-class': 11,
  fragment: 12,
  'flow-label': 13,
};

/** components that exist only for IPv4 or only for IPv6 flows */
export const IPV4_ONLY = new Set(['protocol', 'dscp', 'source-ipv4', 'destination-ipv4']);
export const IPV6_ONLY = new Set(['next-header', 'traffic-class', 'flow-label', 'source-ipv6', 'destination-ipv6']);

const PROTOCOLS: Record<string, number> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  egp: 8,
  udp: 17,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  ospf: 89,
  ipip: 94,
  pim: 103,
  sctp: 132,
};

const PORTS: Record<string, number> = {
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  dns: 53,
  http: 80,
  www: 80,
  pop3: 110,
  ntp: 123,
  imap: 143,
  snmp: 161,
  bgp: 179,
  ldap: 389,
  https: 443,
  syslog: 514,
};

const ICMP_TYPES: Record<string, number> = {
  'echo-reply': 0,
  unreachable: 3,
  redirect: 5,
  'echo-request': 8,
  'router-advertisement': 9,
  'router-solicit': 10,
  'time-exceeded': 11,
  'parameter-problem': 12,
  timestamp: 13,
  'timestamp-reply': 14,
  photuris: 40,
  'experimental-mobility': 41,
  'extended-echo-request': 42,
  'extended-echo-reply': 43,
  'experimental-one': 253,
  'experimental-two': 254,
};

const ICMP_CODES: Record<string, number> = {
  'network-unreachable': 0,
  'host-unreachable': 1,
  'protocol-unreachable': 2,
  'port-unreachable': 3,
  'fragmentation-needed': 4,
  'source-route-failed': 5,
  'destination-network-unknown': 6,
  'destination-host-unknown': 7,
  'source-host-isolated': 8,
  'destination-network-prohibited': 9,
  'destination-host-prohibited': 10,
  'network-unreachable-for-tos': 11,
  'host-unreachable-for-tos': 12,
  'communication-prohibited-by-filtering': 13,
  'host-precedence-violation': 14,
  'precedence-cutoff-in-effect': 15,
  'redirect-for-network': 0,
  'redirect-for-host': 1,
  'redirect-for-tos-and-net': 2,
  'redirect-for-tos-and-host': 3,
  'ttl-eq-zero-during-transit': 0,
  'ttl-eq-zero-during-reassembly': 1,
  'required-option-missing': 1,
  'ip-header-bad': 2,
};

const TCP_FLAGS: Record<string, number> = {
  fin: 0x01,
  syn: 0x02,
  rst: 0x04,
  push: 0x08,
  ack: 0x10,
  urg: 0x20,
  urgent: 0x20,
  ece: 0x40,
  cwr: 0x80,
  ns: 0x100,
};

const FRAGMENTS: Record<string, number> = {
  'not-a-fragment': 0x00,
  'dont-fragment': 0x01,
  'is-fragment': 0x02,
  'first-fragment': 0x04,
  'last-fragment': 0x08,
};

function named(table: Record<string, number>, what: string, max: number): (text: string) => number {
  return (text) => {
    const known = table[text.toLowerCase()];
    if (known !== undefined) return known;
    const value = integerOrHex(text);
    if (value < 0 || value > max) {
      throw new InvalidValue(
        `'${text}' is not a valid ${what}`,
        `a number up to ${max} or one of: ${Object.keys(table).join(', ')}`,
      );
    }
    return value;
  };
}

function bitNames(table: Record<string, number>, what: string, max: number): (text: string) => number {
  const one = named(table, what, max);
  return (text) => {
    let value = 0;
    for (const part of text.split('+')) value |= one(part);
    return value;
  };
}

function ranged(what: string, max: number): (text: string) => number {
  return (text) => {
    const value = digits(text);
    if (value < 0 || value > max)
      throw new InvalidValue(`'${text}' is not a valid ${what}`, `an integer from 0 to ${max}`);
    return value;
  };
}

const CONVERTERS: Record<number, (text: string) => number> = {
  3: named(PROTOCOLS, 'protocol', 255),
  4: named(PORTS, 'port', 65535),
  5: named(PORTS, 'port', 65535),
  6: named(PORTS, 'port', 65535),
  7: named(ICMP_TYPES, 'icmp type', 255),
  8: named(ICMP_CODES, 'icmp code', 255),
  9: bitNames(TCP_FLAGS, 'tcp flag', 0xffff),
  10: ranged('packet length', 0xffff),
  11: ranged('dscp', 63),
  12: bitNames(FRAGMENTS, 'fragment', 0xff),
  13: ranged('flow label', 0xfffff),
};

const TRAFFIC_CLASS = ranged('traffic class', 255);

/** tcp-flags and fragment use the bitmask operator (RFC 8955 §4.2.1.2), the others the numeric one (§4.2.1.1) */
export function isBitmask(type: number): boolean {
  return type === 9 || type === 12;
}

function splitOperator(text: string, bitmask: boolean): [string, string] {
  if (bitmask) {
    if (text.startsWith('!=')) return ['not-match', text.slice(2)];
    if (text.startsWith('!')) return ['not', text.slice(1)];
    if (text.startsWith('=')) return ['match', text.slice(1)];
    return ['include', text];
  }
  if (text.startsWith('>=')) return ['>=', text.slice(2)];
  if (text.startsWith('<=')) return ['<=', text.slice(2)];
  if (text.startsWith('!=')) return ['!=', text.slice(2)];
  if (text.startsWith('>')) return ['>', text.slice(1)];
  if (text.startsWith('<')) return ['<', text.slice(1)];
  if (text.startsWith('=')) return ['=', text.slice(1)];
  const lower = text.toLowerCase();
  if (lower.startsWith('true')) return ['true', text.slice(4) || '0'];
  if (lower.startsWith('false')) return ['false', text.slice(5) || '0'];
  if (text.startsWith('!')) throw new InvalidValue(`invalid operator syntax '${text}'`, "'!=' for not equal");
  return ['=', text];
}

/**
 * One written item of a numeric/bitmask component, e.g. `>8080&<8088` or `=80`, appended to `terms`.
 * `joined` tells whether the item follows an `&` of a previous item.
 */
export function flowTerms(type: number, text: string, terms: FlowTerm[], keyword = ''): void {
  const bitmask = isBitmask(type);
  // the IPv6 traffic class is a whole byte, the IPv4 DSCP six bits (RFC 8956 §3.7)
  const convert = keyword === 'traffic-class' ? TRAFFIC_CLASS : CONVERTERS[type]!;
  const pieces = text.split('&');
  pieces.forEach((piece, index) => {
    if (piece === '')
      throw new InvalidValue(`'${text}' cannot start or end with '&'`, 'OPERATOR VALUE [& OPERATOR VALUE]');
    const [op, valueText] = splitOperator(piece, bitmask);
    if (valueText === '') throw new InvalidValue(`'${piece}' has no value`, 'an operator followed by a value');
    terms.push({ and: index > 0, op, value: convert(valueText) });
  });
}

/** `source`/`destination` value: IPv4 prefix, IPv6 prefix, or IPv6 `prefix/length/offset` (RFC 8956 §3.1). */
export function flowPrefix(keyword: string, type: 1 | 2, text: string): FlowComponent {
  const parts = text.split('/');
  if (parts.length === 3) {
    const v6 = parseIPv6(parts[0]!);
    const length = digits(parts[1]!);
    const offset = digits(parts[2]!);
    if (v6 === undefined || length < 0 || length > 128 || offset < 0 || offset > length) {
      throw new InvalidValue(
        `'${text}' is not a valid IPv6 flow prefix`,
        'ADDRESS/LENGTH/OFFSET with OFFSET <= LENGTH <= 128',
      );
    }
    const address = formatIPv6(v6);
    return {
      type,
      keyword: type === 1 ? 'destination' : 'source',
      prefix: `${address}/${length}`,
      address,
      length,
      offset,
    };
  }
  if (parts.length !== 2) throw new InvalidValue(`'${text}' is not a valid flow prefix`, 'ADDRESS/LENGTH');
  const p = prefix(text, keyword.endsWith('ipv4') ? 'ipv4' : keyword.endsWith('ipv6') ? 'ipv6' : undefined);
  const component: FlowComponent = {
    type,
    keyword: type === 1 ? 'destination' : 'source',
    prefix: p.prefix,
    address: p.address,
    length: p.length,
  };
  if (p.afi === 'ipv6') component.offset = 0;
  return component;
}

export function numericComponent(type: number, keyword: string): FlowNumericComponent {
  return { type, keyword, terms: [] };
}

function ext(text: string, hex: string, ipv6 = false): ExtendedCommunity {
  return { text, hex, ipv6 };
}

const MAX_RATE = 1_000_000_000_000;

/** `discard;` = traffic-rate 0 (RFC 8955 §7.3) */
export function discardCommunity(): ExtendedCommunity {
  return ext('discard', '8006000000000000');
}

/** `rate-limit N [bytes|packets];` (RFC 8955 §7.3 traffic-rate-bytes, draft traffic-rate-packets 0x0c) */
export function rateLimitCommunity(rate: number, unit: 'bytes' | 'packets'): ExtendedCommunity {
  if (unit === 'packets') return ext(`rate-limit ${rate} packets`, `800c0000${float32Hex(rate)}`);
  return ext(`rate-limit ${rate}`, `80060000${float32Hex(Math.min(rate, MAX_RATE))}`);
}

/** `mark DSCP;` (RFC 8955 §7.7) */
export function markCommunity(dscp: number): ExtendedCommunity {
  return ext(`mark ${dscp}`, `8009000000000${dscp.toString(16).padStart(3, '0')}`);
}

/** `action sample|terminal|sample-terminal;` (RFC 8955 §7.4: S bit 0x02, T bit 0x01) */
export function actionCommunity(value: string): ExtendedCommunity {
  const sample = value.includes('sample');
  const terminal = value.includes('terminal');
  if (!sample && !terminal) {
    throw new InvalidValue(`'${value}' is not a valid flow action`, 'sample, terminal or sample-terminal');
  }
  const bits = (sample ? 2 : 0) | (terminal ? 1 : 0);
  return ext(`action ${value}`, `80070000000000${bits.toString(16).padStart(2, '0')}`);
}

/** redirect to a next-hop, ExaBGP's "simpson" community 0x0800 (copy flag in the last byte) */
export function nextHopCommunity(copy: boolean): ExtendedCommunity {
  return ext(copy ? 'copy' : 'redirect-to-nexthop', `080000000000000${copy ? 1 : 0}`);
}

export interface Redirect {
  /** set when redirecting to an IP next-hop */
  nextHop?: string;
  community: ExtendedCommunity;
}

/**
 * `redirect X;` — `ASN:N` (traffic-redirect, 0x8008; 0x8208 for a 4-octet ASN), an IP address (redirect to
 * next-hop), or `[IPV6]:N` (IPv6 address specific, packed by ExaBGP as type 0x00 subtype 0x02).
 */
export function redirect(text: string): Redirect {
  const colons = text.split(':').length - 1;
  if (colons === 0) {
    if (parseIPv4(text) < 0)
      throw new InvalidValue(`'${text}' is not a valid redirect`, 'ASN:N, an IP address, or [IPV6]:N');
    return { nextHop: text, community: nextHopCommunity(false) };
  }
  if (text.startsWith('[') && text.includes(']:')) {
    const [ipText, nnText] = text.slice(1).split(']:') as [string, string];
    const v6 = parseIPv6(ipText);
    const nn = digits(nnText);
    if (v6 === undefined || nn < 0 || nn > 0xffff) {
      throw new InvalidValue(`'${text}' is not a valid IPv6 redirect`, '[IPV6]:N with N 16-bit');
    }
    const hex = `0002${v6.map((g) => g.toString(16).padStart(4, '0')).join('')}${nn.toString(16).padStart(4, '0')}`;
    return { community: ext(`redirect ${text}`, hex, true) };
  }
  if (colons > 1) {
    const v6 = parseIPv6(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text);
    if (v6 === undefined) {
      throw new InvalidValue(
        `'${text}' is not a valid redirect`,
        'an IPv6 next-hop, or [IPV6]:N for an IPv6 route target',
      );
    }
    return { nextHop: formatIPv6(v6), community: nextHopCommunity(false) };
  }
  const [asnText, nnText] = text.split(':') as [string, string];
  const asn = digits(asnText);
  const nn = digits(nnText);
  if (asn < 0 || nn < 0 || asn > 0xffffffff) {
    throw new InvalidValue(
      `'${text}' is not a valid redirect`,
      'ASN:N (2-octet ASN with 32-bit N, or 4-octet ASN with 16-bit N)',
    );
  }
  if (asn > 0xffff) {
    if (nn > 0xffff) throw new InvalidValue(`'${text}': with a 4-octet ASN the value is 16 bits`, 'N at most 65535');
    return {
      community: ext(`redirect ${text}`, `8208${asn.toString(16).padStart(8, '0')}${nn.toString(16).padStart(4, '0')}`),
    };
  }
  if (nn > 0xffffffff) throw new InvalidValue(`'${text}': the value is 32 bits`, 'N at most 4294967295');
  return {
    community: ext(`redirect ${text}`, `8008${asn.toString(16).padStart(4, '0')}${nn.toString(16).padStart(8, '0')}`),
  };
}

/** `redirect-to-nexthop-ietf IP;` (RFC 8955 §7.5 style IPv4 0x010c, IPv6 address specific 0x000c) */
export function redirectIetf(text: string): ExtendedCommunity {
  const v4 = parseIPv4(text);
  if (v4 >= 0) return ext(`redirect-to-nexthop-ietf ${text}`, `010c${v4.toString(16).padStart(8, '0')}0000`);
  const v6 = parseIPv6(text);
  if (v6 === undefined) throw new InvalidValue(`'${text}' is not a valid IP address`, 'an IPv4 or IPv6 address');
  return ext(
    `redirect-to-nexthop-ietf ${text}`,
    `000c${v6.map((g) => g.toString(16).padStart(4, '0')).join('')}0000`,
    true,
  );
}

/** `interface-set [transitive:|non-transitive:]input|output|input-output:ASN:GROUP` (0x07/0x47 subtype 0x02) */
export function interfaceSet(text: string): ExtendedCommunity {
  const parts = text.split(':');
  let transitive = true;
  if (parts.length === 4) {
    const t = parts.shift()!;
    if (t === 'non-transitive') transitive = false;
    else if (t !== 'transitive')
      throw new InvalidValue(`'${t}' is not a valid transitivity`, 'transitive or non-transitive');
  }
  if (parts.length !== 3) {
    throw new InvalidValue(
      `'${text}' is not a valid interface-set`,
      '[transitive:|non-transitive:]input|output|input-output:ASN:GROUP',
    );
  }
  const direction = { input: 1, output: 2, 'input-output': 3 }[parts[0]!];
  const asn = digits(parts[1]!);
  const group = digits(parts[2]!);
  if (direction === undefined)
    throw new InvalidValue(`'${parts[0]}' is not a valid direction`, 'input, output or input-output');
  if (asn < 0 || asn > 0xffffffff) throw new InvalidValue(`'${parts[1]}' is not a valid ASN`, 'a 32-bit integer');
  if (group < 0 || group > 0x3fff)
    throw new InvalidValue(`'${parts[2]}' is not a valid group id`, 'an integer from 0 to 16383');
  const type = transitive ? '07' : '47';
  const target = direction * 0x4000 + group;
  return ext(
    `interface-set ${text}`,
    `${type}02${asn.toString(16).padStart(8, '0')}${target.toString(16).padStart(4, '0')}`,
  );
}
