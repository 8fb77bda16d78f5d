import { ASN4_CONTEXT, decodeUpdate, MessageType, prefixToString } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import { parseStraceSummary } from './strace.js';
import {
  countRoutes,
  keepaliveMessage,
  routeRefreshMessage,
  routesPerUpdate,
  updateMessage,
  updateOfLength,
} from './traffic.js';

describe('scenario traffic (RFC 4271 §4.3 UPDATE layout)', () => {
  it('a one-route UPDATE carries route i as 10.0.0.0 + i, readable back for order checks', () => {
    const m = updateMessage(258);
    expect(m[18]).toBe(MessageType.UPDATE);
    expect((m[16] as number) * 256 + (m[17] as number)).toBe(m.length);
    expect(countRoutes(m)).toEqual({ announced: 1, withdrawn: 0, firstIndex: 258 });
    expect([...m.subarray(m.length - 4)]).toEqual([10, 0, 1, 2]);
  });

  it('a packed UPDATE fits 4096 bytes exactly as counted', () => {
    const n = routesPerUpdate();
    const m = updateMessage(0, n);
    expect(m.length).toBeLessThanOrEqual(4096);
    expect(m.length + 5).toBeGreaterThan(4096);
    expect(countRoutes(m).announced).toBe(n);
  });

  it.each([4096, 4095, 4094, 4093, 4092, 100])('an UPDATE of exactly %i bytes', (length) => {
    const { message, routes } = updateOfLength(0, length);
    expect(message.length).toBe(length);
    expect(countRoutes(message).announced).toBe(routes);
  });

  it('KEEPALIVE is a bare 19-byte header, ROUTE-REFRESH 23 bytes (RFC 2918 §3)', () => {
    expect(keepaliveMessage().length).toBe(19);
    expect(routeRefreshMessage().length).toBe(23);
  });

  it('a truncated prefix is refused, not counted', () => {
    const m = updateMessage(0);
    const cut = m.slice(0, m.length - 1);
    expect(() => countRoutes(cut)).toThrow(RangeError);
  });

  it("counts what the codec decodes, on the scenarios' UPDATEs (one-route, packed, exact lengths)", () => {
    const messages = [updateMessage(3), updateMessage(0, routesPerUpdate()), updateOfLength(9, 4093).message];
    for (const m of messages) {
      const update = decodeUpdate(m.subarray(19), ASN4_CONTEXT);
      const first = update.nlri[0];
      expect(countRoutes(m)).toEqual({
        announced: update.nlri.length,
        withdrawn: update.withdrawn.length,
        firstIndex: first?.length === 32 ? first.address - 0x0a000000 : -1,
      });
    }
  });

  it("UPDATEs are the codec encoder's: decoded back, the attributes and routes the scenarios announce", () => {
    const m = updateMessage(7, 3);
    const update = decodeUpdate(m.subarray(19), ASN4_CONTEXT);
    expect(update.attributes.map((a) => a.kind)).toEqual(['origin', 'as-path', 'next-hop']);
    expect(update.nlri.map(prefixToString)).toEqual(['10.0.0.7/32', '10.0.0.8/32', '10.0.0.9/32']);
  });
});

describe('strace -c summary', () => {
  it('reads calls, errors and the total row', () => {
    const text = `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 60.00    0.000600          20        30           write
 40.00    0.000400          10        40        12 read
------ ----------- ----------- --------- --------- ----------------
100.00    0.001000          14        70        12 total
`;
    expect(parseStraceSummary(text)).toEqual({ total: 70, errors: 12, byName: { write: 30, read: 40 } });
  });
});
