import { describe, expect, it } from 'vitest';
import { fromHex, loadVectors, toHex } from '../../../fixtures/codec/vectors.js';
import { makeContext } from './context.js';
import { BgpError } from './errors.js';
import {
  decodeNotification,
  decodeShutdownCommunication,
  encodeNotification,
  type NotificationMessage,
  notification,
  notificationFromError,
  notificationName,
  shutdownNotification,
} from './notification.js';

interface ShutdownCase {
  name: string;
  data: string;
  expect: null | { status: string; text?: string; trailing?: string; length?: number; payload?: string };
}
const file = loadVectors<NotificationMessage>('notification');
const names = file.names as Array<[number, number, string]>;
const shutdownCases = file.shutdownCommunication as ShutdownCase[];

describe('NOTIFICATION vectors (fixtures/codec/notification.json)', () => {
  for (const vector of file.vectors) {
    it(`decodes ${vector.name} (${vector.spec})`, () => {
      expect(decodeNotification(fromHex(vector.hex).subarray(19))).toEqual(vector.value);
    });
    it(`encodes ${vector.name}`, () => {
      expect(toHex(encodeNotification(vector.value))).toBe(vector.hex);
    });
  }

  for (const vector of file.malformed) {
    it(`refuses ${vector.name} with ${vector.code}/${vector.subcode} (${vector.spec})`, () => {
      let error: unknown;
      try {
        decodeNotification(fromHex(vector.hex).subarray(19));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BgpError);
      const bgp = error as BgpError;
      expect([bgp.code, bgp.subcode, toHex(bgp.data)]).toEqual([vector.code, vector.subcode, vector.data]);
    });
  }

  it('decodes without aliasing the received bytes', () => {
    const body = fromHex('06020161');
    const message = decodeNotification(body);
    body.fill(0);
    expect(toHex(message.data)).toBe('0161');
  });
});

describe('NOTIFICATION names (ExaBGP wording, RFC names beyond it)', () => {
  for (const [code, subcode, name] of names) {
    it(`${code}/${subcode} is "${name}"`, () => {
      expect(notificationName(code, subcode)).toBe(name);
    });
  }

  it('names every subcode the codec raises', async () => {
    const errors = await import('./errors.js');
    const tables: Array<[number, Record<string, number>]> = [
      [1, errors.HeaderSubcode],
      [2, errors.OpenSubcode],
      [3, errors.UpdateSubcode],
      [5, errors.FsmSubcode],
      [6, errors.CeaseSubcode],
      [7, errors.RouteRefreshSubcode],
    ];
    for (const [code, table] of tables) {
      for (const subcode of Object.values(table)) expect(notificationName(code, subcode)).not.toMatch(/Unknown/);
    }
  });
});

describe('RFC 9003 Shutdown Communication', () => {
  for (const c of shutdownCases) {
    it(`reads ${c.name} tolerantly`, () => {
      const got = decodeShutdownCommunication(notification(6, 2, fromHex(c.data)));
      if (c.expect === null) {
        expect(got).toBeUndefined();
        return;
      }
      const flat =
        got?.status === 'ok'
          ? { status: got.status, text: got.text, trailing: toHex(got.trailing) }
          : { status: got?.status, length: got?.length, payload: got ? toHex(got.payload) : undefined };
      expect(flat).toEqual(c.expect);
    });
  }

  it('is read for Cease 2 and 4 only', () => {
    const data = fromHex('026f6b');
    expect(decodeShutdownCommunication(notification(6, 4, data))?.status).toBe('ok');
    expect(decodeShutdownCommunication(notification(6, 3, data))).toBeUndefined();
    expect(decodeShutdownCommunication(notification(2, 2, data))).toBeUndefined();
  });

  it('encodes a length octet and the UTF-8 text', () => {
    expect(toHex(shutdownNotification(2, 'arrêt').data)).toBe('06617272c3aa74');
    const max = shutdownNotification(4, `${'é'.repeat(127)}x`);
    expect(max.data.length).toBe(256);
    expect(decodeShutdownCommunication(max)).toEqual({
      status: 'ok',
      text: `${'é'.repeat(127)}x`,
      trailing: new Uint8Array(0),
    });
  });

  it('refuses a communication over 255 octets, or another subcode', () => {
    expect(() => shutdownNotification(2, 'é'.repeat(128))).toThrow(RangeError);
    expect(() => shutdownNotification(3 as 2, 'x')).toThrow(RangeError);
  });
});

describe('NOTIFICATION encoding', () => {
  it('truncates data so the message never exceeds 4096 bytes (it must always go out)', () => {
    const bytes = encodeNotification(notification(3, 1, new Uint8Array(5000).fill(7)));
    expect(bytes.length).toBe(4096);
    expect(toHex(bytes.subarray(16, 21))).toBe('1000030301');
  });

  it('allows 65535 bytes once Extended Message is negotiated (RFC 8654)', () => {
    const bytes = encodeNotification(notification(3, 1, new Uint8Array(5000)), makeContext({ extendedMessage: true }));
    expect(bytes.length).toBe(19 + 2 + 5000);
  });

  it('builds the NOTIFICATION of a decoding error', () => {
    const error = new BgpError('bad-message-length', 1, 2, Uint8Array.of(0, 20));
    expect(toHex(encodeNotification(notificationFromError(error)))).toBe(`${'ff'.repeat(16)}00170301020014`);
  });

  it('refuses codes that do not fit an octet', () => {
    expect(() => encodeNotification(notification(256, 0))).toThrow(RangeError);
    expect(() => encodeNotification(notification(6, -1))).toThrow(RangeError);
  });
});
