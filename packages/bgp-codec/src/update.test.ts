import { describe, expect, it } from 'vitest';
import { ASN4_CONTEXT, DEFAULT_CONTEXT, makeContext } from './context.js';
import { BgpError } from './errors.js';
import { prefixToString } from './prefix.js';
import { decodeUpdate, encodeUpdate, endOfRib, isEndOfRib, type UpdateMessage } from './update.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/[\s:]/g, ''), 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const MARKER = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF';
/** A whole UPDATE from its body, for encode expectations. */
function message(body: string): string {
  const length = 19 + body.replace(/[\s:]/g, '').length / 2;
  return `${MARKER}${length.toString(16).padStart(4, '0').toUpperCase()}02${body.replace(/[\s:]/g, '').toUpperCase()}`;
}

describe('UPDATE (RFC 4271 §4.3)', () => {
  // ExaBGP's announcement of 1.1.0.0/24: ORIGIN igp, empty AS_PATH, NEXT_HOP, LOCAL_PREF 100.
  const body = '0000 0015 40010100 400200 40030465016501 40050400000064 18010100';
  it('decodes ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF and one IPv4 /24', () => {
    const update = decodeUpdate(hex(body), ASN4_CONTEXT);
    expect(update.outcome).toBe('ok');
    expect(update.attributes).toEqual([
      { kind: 'origin', code: 1, flags: 0x40, origin: 0 },
      { kind: 'as-path', code: 2, flags: 0x40, segments: [] },
      { kind: 'next-hop', code: 3, flags: 0x40, nextHop: 0x65016501 },
      { kind: 'local-pref', code: 5, flags: 0x40, localPref: 100 },
    ]);
    expect(update.nlri.map(prefixToString)).toEqual(['1.1.0.0/24']);
    expect(update.withdrawn).toEqual([]);
  });

  it('encodes the same value to the same bytes, header included', () => {
    const update: UpdateMessage = {
      type: 'update',
      withdrawn: [],
      attributes: [
        { kind: 'origin', code: 1, origin: 0 },
        { kind: 'as-path', code: 2, segments: [] },
        { kind: 'next-hop', code: 3, nextHop: 0x65016501 },
        { kind: 'local-pref', code: 5, localPref: 100 },
      ],
      nlri: [{ afi: 1, length: 24, address: 0x01010000, pathId: undefined }],
    };
    expect(toHex(encodeUpdate(update, ASN4_CONTEXT))).toBe(message(body));
  });

  it('refuses a Withdrawn Routes Length past the end with 3/1', () => {
    let error: unknown;
    try {
      decodeUpdate(hex('0005 0000'), DEFAULT_CONTEXT);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BgpError);
    expect([(error as BgpError).code, (error as BgpError).subcode]).toEqual([3, 1]);
  });
});

describe('End-of-RIB (RFC 4724 §2)', () => {
  it('is the empty UPDATE for IPv4 unicast', () => {
    expect(toHex(encodeUpdate(endOfRib(1, 1), DEFAULT_CONTEXT))).toBe(`${MARKER}00170200000000`);
    expect(isEndOfRib(decodeUpdate(hex('00000000'), DEFAULT_CONTEXT))).toEqual({ afi: 1, safi: 1 });
  });
  it('is an empty MP_UNREACH_NLRI with flags 0x90 for other families, as ExaBGP sends it', () => {
    const bytes = encodeUpdate(endOfRib(2, 1), makeContext({ asn4: true }));
    expect(toHex(bytes)).toBe(`${MARKER}001E0200000007900F0003000201`);
    expect(isEndOfRib(decodeUpdate(bytes.subarray(19), DEFAULT_CONTEXT))).toEqual({ afi: 2, safi: 1 });
  });
});
