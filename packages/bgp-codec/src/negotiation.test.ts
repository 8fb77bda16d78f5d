import { describe, expect, it } from 'vitest';
import type { Capability } from './capabilities.js';
import { familyKey } from './families/key.js';
import { advertisedFamilies, negotiate } from './negotiation.js';
import type { OpenMessage } from './open.js';

function open(capabilities: Capability[], extra: Partial<OpenMessage> = {}): OpenMessage {
  return { type: 'open', version: 4, asn: 65001, holdTime: 180, bgpIdentifier: '10.0.0.1', capabilities, ...extra };
}
const mp = (afi: number, safi: number): Capability => ({ type: 'multiprotocol', afi, safi });
const addPath = (...families: Array<[number, number, number]>): Capability => ({
  type: 'add-path',
  families: families.map(([afi, safi, sendReceive]) => ({ afi, safi, sendReceive })),
});

describe('negotiate(sent, received)', () => {
  it('takes the smaller Hold Time and a third of it as keepalive interval (RFC 4271 §4.2, §10)', () => {
    const n = negotiate(open([], { holdTime: 180 }), open([], { holdTime: 90 }));
    expect([n.holdTime, n.keepaliveTime]).toEqual([90, 30]);
    expect(negotiate(open([], { holdTime: 10 }), open([])).keepaliveTime).toBe(3);
    expect(negotiate(open([], { holdTime: 0 }), open([])).keepaliveTime).toBe(0);
  });

  it('gives IPv4 unicast when neither side advertises Multiprotocol (RFC 4760 §8)', () => {
    const n = negotiate(open([]), open([]));
    expect(n.families).toEqual([{ afi: 1, safi: 1 }]);
    expect(n.missingFamilies).toEqual([]);
  });

  it('treats a side without Multiprotocol as IPv4 unicast only', () => {
    const n = negotiate(open([mp(2, 1), mp(1, 1)]), open([]));
    expect(n.families).toEqual([{ afi: 1, safi: 1 }]);
    expect(n.missingFamilies).toEqual([{ afi: 2, safi: 1 }]);
    expect(advertisedFamilies([])).toEqual([{ afi: 1, safi: 1 }]);
  });

  it('keeps the families both advertised, in our order, and lists ours the peer lacks', () => {
    const n = negotiate(open([mp(2, 1), mp(1, 1), mp(1, 2)]), open([mp(1, 1), mp(2, 1), mp(2, 2)]));
    expect(n.families).toEqual([
      { afi: 2, safi: 1 },
      { afi: 1, safi: 1 },
    ]);
    expect(n.missingFamilies).toEqual([{ afi: 1, safi: 2 }]);
    expect(n.missingCapabilities).toEqual([]);
  });

  it('uses 4-octet AS only when both advertise it, and reads the AS from the capability (RFC 6793)', () => {
    const ours = open([{ type: 'asn4', asn: 65001 }]);
    const theirs = open([{ type: 'asn4', asn: 4200000000 }], { asn: 23456, bgpIdentifier: '10.0.0.2' });
    const n = negotiate(ours, theirs);
    expect([n.asn4, n.context.asn4, n.peerAs, n.localAs, n.peerBgpIdentifier]).toEqual([
      true,
      true,
      4200000000,
      65001,
      '10.0.0.2',
    ]);
    const oneSided = negotiate(ours, open([], { asn: 65002 }));
    expect([oneSided.asn4, oneSided.context.asn4, oneSided.peerAs]).toEqual([false, false, 65002]);
    expect(oneSided.missingCapabilities).toEqual([65]);
  });

  it('uses Extended Message only when both advertise it (RFC 8654 §3)', () => {
    const ext: Capability = { type: 'extended-message' };
    expect(negotiate(open([ext]), open([ext])).context.extendedMessage).toBe(true);
    expect(negotiate(open([ext]), open([])).context.extendedMessage).toBe(false);
  });

  it('sends path identifiers where we said send and they said receive, and the other way round (RFC 7911 §5)', () => {
    const n = negotiate(
      open([addPath([1, 1, 3], [2, 1, 2], [1, 2, 1], [2, 2, 1])]),
      open([addPath([1, 1, 3], [2, 1, 1], [1, 2, 2], [2, 2, 1])]),
    );
    expect(n.addPathSend).toEqual([
      { afi: 1, safi: 1 },
      { afi: 2, safi: 1 },
    ]);
    expect(n.addPathReceive).toEqual([
      { afi: 1, safi: 1 },
      { afi: 1, safi: 2 },
    ]);
    expect([...n.context.addPathSend]).toEqual([familyKey(1, 1), familyKey(2, 1)]);
    expect([...n.context.addPathReceive]).toEqual([familyKey(1, 1), familyKey(1, 2)]);
  });

  it('ignores ADD-PATH Send/Receive values outside 1..3 (RFC 7911 §4)', () => {
    const n = negotiate(open([addPath([1, 1, 3])]), open([addPath([1, 1, 7])]));
    expect([n.addPathSend, n.addPathReceive]).toEqual([[], []]);
    expect(negotiate(open([addPath([1, 1, 3])]), open([])).addPathSend).toEqual([]);
  });

  it('keeps the extended next hops both advertised (RFC 8950 §3)', () => {
    const n = negotiate(
      open([
        {
          type: 'extended-next-hop',
          entries: [
            { afi: 1, safi: 1, nextHopAfi: 2 },
            { afi: 1, safi: 128, nextHopAfi: 2 },
          ],
        },
      ]),
      open([{ type: 'extended-next-hop', entries: [{ afi: 1, safi: 1, nextHopAfi: 2 }] }]),
    );
    expect(n.extendedNextHop).toEqual([{ afi: 1, safi: 1, nextHopAfi: 2 }]);
    expect([...n.context.extendedNextHop]).toEqual([familyKey(1, 1)]);
  });

  it('counts route refresh by the RFC code or Cisco code 128, enhanced route refresh on its own (RFC 2918, RFC 7313)', () => {
    const rr: Capability = { type: 'route-refresh' };
    const cisco: Capability = { type: 'route-refresh-cisco' };
    const enhanced: Capability = { type: 'enhanced-route-refresh' };
    expect(negotiate(open([rr]), open([cisco])).routeRefresh).toBe(true);
    expect(negotiate(open([rr, enhanced]), open([rr])).enhancedRouteRefresh).toBe(false);
    const both = negotiate(open([rr, enhanced]), open([rr, enhanced]));
    expect([both.routeRefresh, both.enhancedRouteRefresh]).toEqual([true, true]);
    expect(negotiate(open([rr]), open([])).routeRefresh).toBe(false);
  });

  it('reports link-local next hop, the peer graceful restart and what the peer lacks', () => {
    const gr: Capability = { type: 'graceful-restart', restartFlags: 8, restartTime: 120, families: [] };
    const n = negotiate(
      open([{ type: 'link-local-next-hop' }, { type: 'fqdn', hostname: 'a', domain: '' }, gr]),
      open([{ type: 'link-local-next-hop' }, gr, { type: 'unknown', code: 66, data: new Uint8Array(0) }]),
    );
    expect(n.linkLocalNextHop).toBe(true);
    expect(n.peerGracefulRestart).toEqual(gr);
    expect(n.missingCapabilities).toEqual([73]);
  });
});
