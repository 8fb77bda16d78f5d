import { describe, expect, it } from 'vitest';
import { BgpError } from './errors.js';
import { FrameParser } from './framing.js';

const marker = new Uint8Array(16).fill(0xff);
function message(type: number, body: number[] = []): Uint8Array {
  const out = new Uint8Array(19 + body.length);
  out.set(marker);
  out[16] = out.length >> 8;
  out[17] = out.length & 0xff;
  out[18] = type;
  out.set(body, 19);
  return out;
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const keepalive = message(4);
const update = message(2, [0, 0, 0, 4, 0x40, 1, 1, 0]);
const notification = message(3, [6, 2, 3, 0x61, 0x62, 0x63]);
const stream = concat(keepalive, update, notification, keepalive, update);
const expected = [keepalive, update, notification, keepalive, update].map((m) => Array.from(m));

function collect(parser: FrameParser, chunks: Uint8Array[]): number[][] {
  const out: number[][] = [];
  for (const chunk of chunks) {
    parser.push(chunk);
    for (const frame of parser.frames()) out.push(Array.from(frame.message));
  }
  return out;
}

describe('FrameParser', () => {
  it('frames a stream pushed whole', () => {
    expect(collect(new FrameParser(), [stream])).toEqual(expected);
  });

  it('gives the same messages whatever offset the stream is split at', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const parser = new FrameParser();
      expect(collect(parser, [stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
      expect(parser.buffered).toBe(0);
    }
  });

  it('gives the same messages when split at every pair of offsets', () => {
    for (let a = 0; a <= stream.length; a += 3) {
      for (let b = a; b <= stream.length; b += 2) {
        const got = collect(new FrameParser(), [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]);
        expect(got).toEqual(expected);
      }
    }
  });

  it('frames a stream fed one byte at a time', () => {
    const chunks = Array.from(stream, (byte) => Uint8Array.of(byte));
    expect(collect(new FrameParser(), chunks)).toEqual(expected);
  });

  it('keeps bytes of a chunk that was not drained before the next push', () => {
    const parser = new FrameParser();
    parser.push(stream.subarray(0, 40));
    parser.push(stream.subarray(40));
    expect(Array.from(parser.frames(), (f) => Array.from(f.message))).toEqual(expected);
  });

  it('keeps a frame completed from carried bytes intact while later frames of the same push are read', () => {
    const parser = new FrameParser();
    parser.push(stream.subarray(0, 25));
    const frames = [...parser.frames()];
    parser.push(stream.subarray(25, stream.length - 3));
    frames.push(...parser.frames());
    const fromSecondPush = frames.slice(1).map((f) => Array.from(f.message));
    expect(fromSecondPush).toEqual(expected.slice(1, 4));
  });

  it('hands out views of the pushed chunk, not copies, for whole messages', () => {
    const parser = new FrameParser();
    parser.push(stream);
    const frame = parser.next();
    expect(frame?.message.buffer).toBe(stream.buffer);
    expect(frame?.type).toBe(4);
    expect(frame?.body.length).toBe(0);
  });

  const malformed: Array<[string, Uint8Array, number, number, number[]]> = [
    ['bad marker', concat(Uint8Array.of(0xfe), keepalive.subarray(1)), 1, 1, []],
    [
      'length below the header',
      (() => {
        const m = keepalive.slice();
        m[17] = 18;
        return m;
      })(),
      1,
      2,
      [0, 18],
    ],
    ['KEEPALIVE longer than 19', message(4, [0]), 1, 2, [0, 20]],
    ['OPEN shorter than 29', message(1, [4]), 1, 2, [0, 20]],
    ['UPDATE shorter than 23', message(2, [0, 0]), 1, 2, [0, 21]],
    ['NOTIFICATION shorter than 21', message(3, [6]), 1, 2, [0, 20]],
    [
      'length over 4096',
      (() => {
        const m = keepalive.slice();
        m[16] = 0x10;
        m[17] = 0x01;
        m[18] = 2;
        return m;
      })(),
      1,
      2,
      [0x10, 0x01],
    ],
    ['unknown type', message(7), 1, 3, [7]],
  ];
  for (const [name, bytes, code, subcode, data] of malformed) {
    it(`refuses ${name} with NOTIFICATION ${code}/${subcode}`, () => {
      const parser = new FrameParser();
      parser.push(bytes);
      let error: unknown;
      try {
        parser.next();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BgpError);
      const bgp = error as BgpError;
      expect([bgp.code, bgp.subcode, Array.from(bgp.data)]).toEqual([code, subcode, data]);
      expect(() => parser.next()).toThrow(BgpError);
    });
  }

  it('accepts up to 65535 bytes once Extended Message is negotiated', () => {
    const parser = new FrameParser();
    parser.setExtendedMessage(true);
    const big = message(2, new Array(10000 - 19).fill(0));
    parser.push(big);
    expect(parser.next()?.message.length).toBe(10000);
  });

  it('passes unknown types on when asked to', () => {
    const parser = new FrameParser({ acceptUnknownTypes: true });
    parser.push(message(255));
    expect(parser.next()?.type).toBe(255);
  });
});
