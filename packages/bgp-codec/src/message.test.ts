import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, loadVectors, toHex } from '../../../fixtures/codec/vectors.js';
import { makeContext } from './context.js';
import { BgpError } from './errors.js';
import { FrameParser } from './framing.js';
import { KEEPALIVE } from './keepalive.js';
import { type BgpMessage, decodeMessage, encodeMessage } from './message.js';
import { encodeOpen } from './open.js';
import { endOfRib } from './update.js';
import { ByteWriter } from './writer.js';

const files = ['open', 'notification', 'route-refresh', 'keepalive'].map((name) => ({
  name,
  file: loadVectors<BgpMessage>(name),
}));

describe('decodeMessage / encodeMessage dispatch every message type (fixtures/codec/*.json)', () => {
  for (const { name, file } of files) {
    for (const vector of file.vectors) {
      it(`${name}: decodes ${vector.name}`, () => {
        expect(decodeMessage(fromHex(vector.hex))).toEqual(vector.value);
      });
      if (vector.direction !== 'decode') {
        it(`${name}: encodes ${vector.name}`, () => {
          expect(toHex(encodeMessage(vector.value))).toBe(vector.hex);
        });
      }
    }
    for (const vector of file.malformed) {
      it(`${name}: refuses ${vector.name} with ${vector.code}/${vector.subcode} (${vector.spec})`, () => {
        let error: unknown;
        try {
          decodeMessage(fromHex(vector.hex));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(BgpError);
        const bgp = error as BgpError;
        expect([bgp.code, bgp.subcode, toHex(bgp.data)]).toEqual([vector.code, vector.subcode, vector.data]);
      });
    }
  }

  it('hands UPDATEs to the UPDATE codec', () => {
    const bytes = encodeMessage(endOfRib(1, 1));
    expect(toHex(bytes)).toBe(`${'ff'.repeat(16)}00170200000000`);
    expect(decodeMessage(bytes).type).toBe('update');
  });

  it('accepts messages up to 65535 bytes once Extended Message is negotiated (RFC 8654)', () => {
    const data = new Uint8Array(5000);
    const bytes = encodeMessage(
      { type: 'notification', code: 6, subcode: 0, data },
      makeContext({ extendedMessage: true }),
    );
    expect(bytes.length).toBe(5021);
    expect(() => decodeMessage(bytes)).toThrow(BgpError);
    expect(decodeMessage(bytes, makeContext({ extendedMessage: true }))).toEqual({
      type: 'notification',
      code: 6,
      subcode: 0,
      data,
    });
  });

  it('decodes every KEEPALIVE to the one shared value', () => {
    const bytes = encodeMessage(KEEPALIVE);
    expect(decodeMessage(bytes)).toBe(KEEPALIVE);
    expect(decodeMessage(bytes.slice())).toBe(KEEPALIVE);
  });

  it('appends to a writer and returns the message bytes', () => {
    const writer = new ByteWriter(16);
    const keepalive = encodeMessage(KEEPALIVE, undefined, writer);
    const refresh = encodeMessage({ type: 'route-refresh', afi: 2, safi: 1, subtype: 0 }, undefined, writer);
    expect(writer.pos).toBe(19 + 23);
    expect(toHex(writer.buf.subarray(0, writer.pos))).toBe(toHex(keepalive) + toHex(refresh));
  });
});

describe('decoded values own their bytes', () => {
  it('never alias a Node Buffer the socket handed in (Buffer#slice would be a view)', () => {
    const open = encodeOpen({
      type: 'open',
      version: 4,
      asn: 65001,
      holdTime: 90,
      bgpIdentifier: '10.0.0.1',
      capabilities: [
        { type: 'unknown', code: 71, data: Uint8Array.of(1, 2) },
        { type: 'multisession', variant: 'rfc', data: Uint8Array.of(0) },
      ],
    });
    const notification = encodeMessage({ type: 'notification', code: 6, subcode: 2, data: Uint8Array.of(1, 0x61) });
    const unknown = Uint8Array.of(...new Array(16).fill(0xff), 0, 21, 200, 7, 8);
    const chunk = Buffer.concat([open, notification, unknown]);
    const parser = new FrameParser({ acceptUnknownTypes: true });
    parser.push(chunk);
    const decoded = [...parser.frames()].map((frame) => decodeMessage(frame.message));
    const before = JSON.stringify(decoded, (_key, value) => (value instanceof Uint8Array ? toHex(value) : value));
    chunk.fill(0);
    const after = JSON.stringify(decoded, (_key, value) => (value instanceof Uint8Array ? toHex(value) : value));
    expect(after).toBe(before);
    expect(before).toContain('0102');
    const [openMessage, notificationMessage, unknownMessage] = decoded;
    const owned = [
      openMessage?.type === 'open' ? (openMessage.capabilities[0] as { data: Uint8Array }).data : undefined,
      notificationMessage?.type === 'notification' ? notificationMessage.data : undefined,
      unknownMessage?.type === 'unknown' ? unknownMessage.body : undefined,
    ];
    for (const bytes of owned) {
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(bytes)).toBe(false);
    }
  });
});

describe('messages framed from a stream', () => {
  const messages: BgpMessage[] = [
    ...(loadVectors<BgpMessage>('open').vectors.map((v) => v.value) as BgpMessage[]).slice(0, 3),
    KEEPALIVE,
    { type: 'route-refresh', afi: 1, safi: 1, subtype: 1 },
    { type: 'notification', code: 6, subcode: 2, data: Uint8Array.of(2, 0x6f, 0x6b) },
    KEEPALIVE,
  ];
  const wire = messages.map((m) => encodeMessage(m));
  const stream = new Uint8Array(wire.reduce((n, m) => n + m.length, 0));
  wire.reduce((at, m) => {
    stream.set(m, at);
    return at + m.length;
  }, 0);

  it('decode to the same values whatever offset the stream is split at', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const parser = new FrameParser();
      const got: BgpMessage[] = [];
      for (const chunk of [stream.subarray(0, cut), stream.subarray(cut)]) {
        parser.push(chunk);
        for (const frame of parser.frames()) got.push(decodeMessage(frame.message));
      }
      expect(got).toEqual(messages);
    }
  });
});

describe('dispatch properties (fast-check)', () => {
  it('random bodies of OPEN, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH and unknown types decode or raise BgpError', () => {
    const framed = fc
      .tuple(fc.constantFrom(1, 3, 4, 5, 6, 200), fc.uint8Array({ maxLength: 120 }))
      .map(([type, body]) => {
        const bytes = new Uint8Array(19 + body.length).fill(0xff, 0, 16);
        bytes[16] = bytes.length >> 8;
        bytes[17] = bytes.length & 0xff;
        bytes[18] = type;
        bytes.set(body, 19);
        return bytes;
      });
    fc.assert(
      fc.property(framed, (bytes) => {
        try {
          const message = decodeMessage(bytes);
          if (message.type !== 'open') expect(toHex(encodeMessage(message))).toBe(toHex(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(BgpError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
