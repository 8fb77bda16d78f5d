import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../writer.js';
import {
  parseRouteDistinguisher,
  readRouteDistinguisher,
  routeDistinguisherJson,
  routeDistinguisherOctets,
  routeDistinguisherToString,
  writeRouteDistinguisher,
} from './route-distinguisher.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('Route Distinguisher (RFC 4364 §4.2)', () => {
  // The octets, the value, and the text ExaBGP prints for them (rd.py `_str`).
  const vectors: [string, { type: number; administrator: number; assigned: number }, string][] = [
    ['0000fde800000001', { type: 0, administrator: 65000, assigned: 1 }, '65000:1'],
    ['00000c8f22c6db3d', { type: 0, administrator: 3215, assigned: 583457597 }, '3215:583457597'],
    ['0001c000020100ff', { type: 1, administrator: 0xc0000201, assigned: 255 }, '192.0.2.1:255'],
    ['0002fa56ea000005', { type: 2, administrator: 4200000000, assigned: 5 }, '4200000000:5'],
    // Type 3 is no RFC 4364 type: kept split as type 0, printed as ExaBGP's hexstring.
    ['0003aabbccddeeff', { type: 3, administrator: 0xaabb, assigned: 0xccddeeff }, '0x0003AABBCCDDEEFF'],
  ];
  it.each(vectors)('%s is %j, printed %s', (octets, rd, text) => {
    expect(readRouteDistinguisher(hex(`ff${octets}`), 1)).toEqual(rd);
    const w = new ByteWriter(16);
    writeRouteDistinguisher(w, rd);
    expect(toHex(w.finish())).toBe(octets);
    expect(toHex(routeDistinguisherOctets(rd))).toBe(octets);
    expect(routeDistinguisherToString(rd)).toBe(text);
    expect(routeDistinguisherJson(rd)).toBe(`, "rd": "${text}"`);
  });

  it('reads its text as ExaBGP does (rd.py make_from_elements): the type follows the sizes', () => {
    expect(parseRouteDistinguisher('65000:1')).toEqual({ type: 0, administrator: 65000, assigned: 1 });
    expect(parseRouteDistinguisher('65535:4294967295')).toEqual({
      type: 0,
      administrator: 65535,
      assigned: 0xffffffff,
    });
    expect(parseRouteDistinguisher('65536:1')).toEqual({ type: 2, administrator: 65536, assigned: 1 });
    expect(parseRouteDistinguisher('1.2.3.4:5')).toEqual({ type: 1, administrator: 0x01020304, assigned: 5 });
    for (const bad of ['65536:65536', '1.2.3.4:65536', '1.2.3:5', 'x:1', ':1', '1', '1:x', '4294967296:1']) {
      expect(() => parseRouteDistinguisher(bad), bad).toThrow(RangeError);
    }
  });

  it('refuses to write a field out of its range', () => {
    const w = new ByteWriter(16);
    expect(() => writeRouteDistinguisher(w, { type: 0, administrator: 65536, assigned: 1 })).toThrow(RangeError);
    expect(() => writeRouteDistinguisher(w, { type: 1, administrator: 1, assigned: 65536 })).toThrow(RangeError);
    expect(() => writeRouteDistinguisher(w, { type: 65536, administrator: 1, assigned: 1 })).toThrow(RangeError);
  });
});
