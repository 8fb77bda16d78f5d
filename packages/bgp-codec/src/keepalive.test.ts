import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../fixtures/codec/vectors.js';
import { BgpError } from './errors.js';
import { decodeKeepalive, encodeKeepalive, KEEPALIVE } from './keepalive.js';
import { ByteWriter } from './writer.js';

const KEEPALIVE_HEX = `${'ff'.repeat(16)}001304`;

describe('KEEPALIVE (RFC 4271 §4.4)', () => {
  it('is the 19-byte header with type 4', () => {
    expect(toHex(encodeKeepalive())).toBe(KEEPALIVE_HEX);
  });

  it('hands out a fresh copy each time', () => {
    const first = encodeKeepalive();
    first.fill(0);
    expect(toHex(encodeKeepalive())).toBe(KEEPALIVE_HEX);
  });

  it('appends to a writer', () => {
    const writer = new ByteWriter(4);
    writer.u8(1);
    expect(encodeKeepalive(writer)).toBeUndefined();
    expect(toHex(writer.finish())).toBe(`01${KEEPALIVE_HEX}`);
  });

  it('decodes to the one shared value', () => {
    expect(decodeKeepalive(fromHex(KEEPALIVE_HEX).subarray(19))).toBe(KEEPALIVE);
    expect(Object.isFrozen(KEEPALIVE)).toBe(true);
  });

  it('refuses a body with 1/2, the length as data (RFC 4271 §6.1)', () => {
    let error: unknown;
    try {
      decodeKeepalive(Uint8Array.of(0));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BgpError);
    const bgp = error as BgpError;
    expect([bgp.code, bgp.subcode, toHex(bgp.data)]).toEqual([1, 2, '0014']);
  });
});
