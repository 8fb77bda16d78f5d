import { BgpError, encodeMessage, FrameParser } from 'bgp-codec';
import { describe, expect, it } from 'vitest';
import { exabgpNotificationFor } from './notification.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('the NOTIFICATION ExaBGP sends for an error in a received message', () => {
  it('a message of unknown type 255 (RFC 4271 §6.1 says 1/3) gets ExaBGP\'s 1/0 "can not decode update message of type "255""', () => {
    const parser = new FrameParser();
    parser.push(Uint8Array.of(...new Array<number>(16).fill(0xff), 0, 19, 255));
    let error: unknown;
    try {
      parser.next();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BgpError);
    const text = Buffer.from('can not decode update message of type "255"').toString('hex').toUpperCase();
    // 19 + 2 + 43 octets = 64 (0x40)
    expect(hex(encodeMessage(exabgpNotificationFor(error as BgpError)))).toBe(
      `${'FF'.repeat(16)}004003${'0100'}${text}`,
    );
  });

  it('any other error is sent with its own code, subcode and data', () => {
    const error = new BgpError('bad-message-length', 1, 2, Uint8Array.of(0x00, 0x12));
    expect(exabgpNotificationFor(error)).toEqual({
      type: 'notification',
      code: 1,
      subcode: 2,
      data: Uint8Array.of(0, 0x12),
    });
  });
});
