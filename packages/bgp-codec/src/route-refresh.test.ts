import { describe, expect, it } from 'vitest';
import { fromHex, loadVectors, toHex } from '../../../fixtures/codec/vectors.js';
import { BgpError } from './errors.js';
import { decodeRouteRefresh, encodeRouteRefresh, type RouteRefreshMessage } from './route-refresh.js';

const file = loadVectors<RouteRefreshMessage>('route-refresh');

describe('ROUTE-REFRESH vectors (fixtures/codec/route-refresh.json)', () => {
  for (const vector of file.vectors) {
    it(`decodes ${vector.name} (${vector.spec})`, () => {
      expect(decodeRouteRefresh(fromHex(vector.hex).subarray(19))).toEqual(vector.value);
    });
    it(`encodes ${vector.name}`, () => {
      expect(toHex(encodeRouteRefresh(vector.value))).toBe(vector.hex);
    });
  }

  for (const vector of file.malformed) {
    it(`refuses ${vector.name} with ${vector.code}/${vector.subcode}, the whole message as data (${vector.spec})`, () => {
      let error: unknown;
      try {
        decodeRouteRefresh(fromHex(vector.hex).subarray(19));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BgpError);
      const bgp = error as BgpError;
      expect([bgp.code, bgp.subcode, toHex(bgp.data)]).toEqual([vector.code, vector.subcode, vector.data]);
    });
  }

  it('refuses fields out of range when encoding', () => {
    expect(() => encodeRouteRefresh({ type: 'route-refresh', afi: 65536, safi: 1, subtype: 0 })).toThrow(RangeError);
    expect(() => encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 256, subtype: 0 })).toThrow(RangeError);
    expect(() => encodeRouteRefresh({ type: 'route-refresh', afi: 1, safi: 1, subtype: 1.5 })).toThrow(RangeError);
  });
});
