/** The messages the benchmarks measure, built with the codec's own types. */
import type { PathAttribute } from '../src/attributes/registry.js';
import { ASN4_CONTEXT } from '../src/context.js';
import { encodeMessage } from '../src/message.js';
import { notification } from '../src/notification.js';
import type { Ipv4Prefix, Ipv6Prefix } from '../src/prefix.js';
import { encodeUpdate, type UpdateMessage } from '../src/update.js';

export const CTX = ASN4_CONTEXT;

const prefix24 = (i: number): Ipv4Prefix => ({
  kind: 'prefix',
  afi: 1,
  length: 24,
  address: (((10 + (i >>> 16)) << 24) | ((i & 0xffff) << 8)) >>> 0,
  pathId: undefined,
});

/** ORIGIN, a 3-AS AS_PATH, NEXT_HOP, MED, LOCAL_PREF and 2 communities: what a route server sends most. */
export const TYPICAL_ATTRIBUTES: PathAttribute[] = [
  { kind: 'origin', code: 1, origin: 0 },
  { kind: 'as-path', code: 2, segments: [{ type: 2, asns: [65001, 65002, 65003] }] },
  { kind: 'next-hop', code: 3, nextHop: 0xc0000201 },
  { kind: 'med', code: 4, med: 100 },
  { kind: 'local-pref', code: 5, localPref: 200 },
  { kind: 'communities', code: 8, communities: [(65001 << 16) | 100, (65001 << 16) | 200] },
];

/** The typical UPDATE: those attributes and one /24. */
export const TYPICAL: UpdateMessage = {
  type: 'update',
  withdrawn: [],
  attributes: TYPICAL_ATTRIBUTES,
  nlri: [prefix24(1)],
};
export const TYPICAL_BYTES = encodeUpdate(TYPICAL, CTX);

/** As many /24s as fit in 4096 bytes beside the typical attributes. */
const FULL_COUNT = Math.floor((4096 - (TYPICAL_BYTES.length - 4)) / 4);
export const FULL: UpdateMessage = {
  type: 'update',
  withdrawn: [],
  attributes: TYPICAL_ATTRIBUTES,
  nlri: Array.from({ length: FULL_COUNT }, (_, i) => prefix24(i)),
};
export const FULL_BYTES = encodeUpdate(FULL, CTX);
export const FULL_PREFIXES = FULL.nlri.length;

/** An IPv6 unicast route in MP_REACH_NLRI (RFC 4760) with a global next hop and the typical attributes. */
const v6: Ipv6Prefix = {
  kind: 'prefix',
  afi: 2,
  length: 48,
  address: Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  pathId: undefined,
};
export const IPV6: UpdateMessage = {
  type: 'update',
  withdrawn: [],
  attributes: [
    { kind: 'origin', code: 1, origin: 0 },
    { kind: 'as-path', code: 2, segments: [{ type: 2, asns: [65001, 65002, 65003] }] },
    { kind: 'med', code: 4, med: 100 },
    { kind: 'local-pref', code: 5, localPref: 200 },
    { kind: 'communities', code: 8, communities: [(65001 << 16) | 100, (65001 << 16) | 200] },
    {
      kind: 'mp-reach-nlri',
      code: 14,
      afi: 2,
      safi: 1,
      nextHop: Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
      nlri: [v6],
    },
  ],
  nlri: [],
};
export const IPV6_BYTES = encodeUpdate(IPV6, CTX);

/**
 * An MPLS VPN UPDATE as a PE sends one (RFC 4364): the typical attributes but NEXT_HOP, a route target, and
 * one VPN-IPv4 route (label 1000, RD 65000:1) in MP_REACH_NLRI with the VPN next hop (zero RD, 192.0.2.1).
 */
export const VPN: UpdateMessage = {
  type: 'update',
  withdrawn: [],
  attributes: [
    ...TYPICAL_ATTRIBUTES.filter((a) => a.kind !== 'next-hop'),
    { kind: 'extended-communities', code: 16, communities: [{ high: 0x0002fde8, low: 1 }] },
    {
      kind: 'mp-reach-nlri',
      code: 14,
      afi: 1,
      safi: 128,
      nextHop: Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1]),
      nlri: [
        {
          kind: 'vpn-prefix',
          afi: 1,
          length: 24,
          address: 0x0a000100,
          pathId: undefined,
          labels: [16001],
          rd: { type: 0, administrator: 65000, assigned: 1 },
        },
      ],
    },
  ],
  nlri: [],
};
export const VPN_BYTES = encodeUpdate(VPN, CTX);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const KEEPALIVE_BYTES = encodeMessage({ type: 'keepalive' });
const NOTIFICATION_BYTES = encodeMessage(notification(6, 2, Uint8Array.of(4, 0x62, 0x79, 0x65, 0x21)));

/** About 1 MiB of the mix a busy session carries: many small UPDATEs, some full ones, KEEPALIVEs. */
export const MIXED_STREAM = (() => {
  const unit = concat([
    ...Array.from({ length: 16 }, () => TYPICAL_BYTES),
    IPV6_BYTES,
    IPV6_BYTES,
    FULL_BYTES,
    KEEPALIVE_BYTES,
    NOTIFICATION_BYTES,
  ]);
  return concat(Array.from({ length: Math.ceil((1 << 20) / unit.length) }, () => unit));
})();

/** 256 messages of 4096 bytes (1 MiB). */
export const FULL_STREAM = concat(Array.from({ length: 256 }, () => FULL_BYTES));
