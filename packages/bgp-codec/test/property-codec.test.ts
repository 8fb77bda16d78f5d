/**
 * Property tests over generated messages (fast-check). Two directions of round trip for every message
 * type, every attribute, IPv4/IPv6 NLRI and ADD-PATH contexts:
 *   decode(encode(x)) == x (the decoder adds attribute flags and the RFC 7606 outcome, left out here);
 *   encode(decode(bytes)) == bytes for bytes the encoder produced.
 * Then hostile input: random bytes and real messages with bits flipped, cut short, or with a corrupted
 * length field must produce a message or a BgpError, never another exception; the test finishing is the
 * proof that nothing loops. A stream of messages split at random offsets frames identically, and every
 * generated message renders as valid ExaBGP JSON.
 * Case counts add up to more than 100,000 per run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BgpError } from '../src/errors.js';
import { FrameParser } from '../src/framing.js';
import { exabgpJson } from '../src/json/exabgp.js';
import { decodeMessage, encodeMessage } from '../src/message.js';
import { messageInContextArb, withoutDecoderFields } from './property-arbitraries.js';

const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const params = (numRuns: number) => ({ numRuns, seed: SEED });

/** Decode through the frame parser as a session does: every failure must be the codec's own error. */
function decodeHostile(bytes: Uint8Array, ctx: Parameters<typeof decodeMessage>[1]): number {
  const parser = new FrameParser({ maxLength: ctx?.extendedMessage ? 65535 : 4096 });
  let decoded = 0;
  try {
    parser.push(bytes);
    for (const frame of parser.frames()) {
      decodeMessage(frame.message, ctx);
      decoded++;
    }
  } catch (error) {
    if (!(error instanceof BgpError)) throw error;
  }
  return decoded;
}

const encodedArb = messageInContextArb.map(({ ctx, message }) => ({
  ctx,
  message,
  bytes: encodeMessage(message, ctx),
}));

describe('round trips (RFC 4271 §4, RFC 4760, RFC 7911)', () => {
  it('decode(encode(x)) == x for every message type', () => {
    fc.assert(
      fc.property(encodedArb, ({ ctx, message, bytes }) => {
        const decoded = decodeMessage(bytes, ctx);
        if (decoded.type === 'update') expect(decoded.issues ?? []).toEqual([]);
        expect(withoutDecoderFields(decoded)).toEqual(withoutDecoderFields(message));
      }),
      params(6_000),
    );
  });

  it('encode(decode(bytes)) == bytes', () => {
    fc.assert(
      fc.property(encodedArb, ({ ctx, bytes }) => {
        expect(encodeMessage(decodeMessage(bytes, ctx), ctx)).toEqual(bytes);
      }),
      params(6_000),
    );
  });
});

describe('ExaBGP JSON of generated messages', () => {
  it('is one line of valid JSON for every message ExaBGP prints', () => {
    fc.assert(
      fc.property(encodedArb, fc.boolean(), ({ ctx, bytes }, aigp) => {
        const line = exabgpJson(decodeMessage(bytes, ctx), {
          neighbor: { localAddress: '192.0.2.1', peerAddress: '2001:db8::1', localAs: 1, peerAs: 4200000000 },
          direction: 'receive',
          counter: 1,
          time: 1,
          host: 'h',
          pid: 1,
          ppid: 1,
          aigp,
        });
        expect(line).not.toContain('\n');
        expect(() => JSON.parse(line)).not.toThrow();
      }),
      params(3_000),
    );
  });
});

describe('hostile input never throws anything but BgpError', () => {
  it('random bytes behind a valid marker', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4, 5, 7, 255),
        fc.uint8Array({ maxLength: 200 }),
        messageInContextArb,
        (type, body, { ctx }) => {
          const bytes = new Uint8Array(19 + body.length).fill(0xff, 0, 16);
          bytes[16] = bytes.length >> 8;
          bytes[17] = bytes.length & 0xff;
          bytes[18] = type;
          bytes.set(body, 19);
          decodeHostile(bytes, ctx);
        },
      ),
      params(30_000),
    );
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        decodeHostile(bytes, undefined);
      }),
      params(10_000),
    );
  });

  it('real messages with bits flipped', () => {
    fc.assert(
      fc.property(encodedArb, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), ({ ctx, bytes }, positions) => {
        const mutated = bytes.slice();
        // Flips after the header; the header itself is covered by the other properties and FrameParser's tests.
        for (const p of positions) {
          const bit = 19 * 8 + (p % Math.max(1, (mutated.length - 19) * 8));
          if (bit >> 3 < mutated.length) mutated[bit >> 3]! ^= 1 << (bit & 7);
        }
        decodeHostile(mutated, ctx);
      }),
      params(25_000),
    );
  });

  it('real messages cut short, with the length field kept or corrected', () => {
    fc.assert(
      fc.property(encodedArb, fc.nat(), fc.boolean(), ({ ctx, bytes }, cut, fix) => {
        const length = 19 + (cut % Math.max(1, bytes.length - 19));
        const truncated = bytes.slice(0, length);
        if (fix) {
          truncated[16] = length >> 8;
          truncated[17] = length & 0xff;
        }
        decodeHostile(truncated, ctx);
      }),
      params(12_000),
    );
  });

  it('real messages with an inner length field corrupted', () => {
    fc.assert(
      fc.property(encodedArb, fc.nat(), fc.integer({ min: 0, max: 0xffff }), ({ ctx, bytes }, at, value) => {
        const mutated = bytes.slice();
        // Any 2-octet position past the header: withdrawn/attribute lengths, extended attribute lengths,
        // MP_REACH next-hop length and NLRI prefix lengths all live there.
        const position = 19 + (at % Math.max(1, mutated.length - 20));
        mutated[position] = value >> 8;
        if (position + 1 < mutated.length) mutated[position + 1] = value & 0xff;
        decodeHostile(mutated, ctx);
      }),
      params(12_000),
    );
  });
});

describe('framing (RFC 4271 §4.1)', () => {
  it('a stream of messages split at random offsets gives the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(encodedArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (messages, cuts) => {
          const total = messages.reduce((n, m) => n + m.bytes.length, 0);
          const stream = new Uint8Array(total);
          let at = 0;
          for (const m of messages) {
            stream.set(m.bytes, at);
            at += m.bytes.length;
          }
          const points = [...new Set(cuts.map((c) => c % (total + 1)))].sort((a, b) => a - b);
          const parser = new FrameParser({ maxLength: 65535 });
          const framed: number[][] = [];
          let from = 0;
          for (const point of [...points, total]) {
            parser.push(stream.subarray(from, point));
            for (const frame of parser.frames()) framed.push(Array.from(frame.message));
            from = point;
          }
          expect(framed).toEqual(messages.map((m) => Array.from(m.bytes)));
          expect(parser.buffered).toBe(0);
        },
      ),
      params(3_000),
    );
  });
});
