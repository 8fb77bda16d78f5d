/**
 * Helpers for the per-family tests (src/families/*.test.ts): UPDATE bodies from hex, the JSON `exabgp decode`
 * prints for a whole message (the session of bench/exabgp-differential.ts), errors thrown by a decoder.
 */
import { expect } from 'vitest';
import { ASN4_CONTEXT, type CodecContext } from '../src/context.js';
import { BgpError } from '../src/errors.js';
import { exabgpJson } from '../src/json/exabgp.js';
import { decodeMessage } from '../src/message.js';

export const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/[\s:]/g, ''), 'hex'));
export const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

/** An UPDATE body from its three fields in hex; the two length fields are computed. */
export function body(withdrawn: string, attributes: string, nlri = ''): Uint8Array {
  const w = hex(withdrawn);
  const a = hex(attributes);
  const n = hex(nlri);
  const out = new Uint8Array(4 + w.length + a.length + n.length);
  out[0] = w.length >> 8;
  out[1] = w.length & 0xff;
  out.set(w, 2);
  out[2 + w.length] = a.length >> 8;
  out[3 + w.length] = a.length & 0xff;
  out.set(a, 4 + w.length);
  out.set(n, 4 + w.length + a.length);
  return out;
}

/** A whole UPDATE message (header included) from a body. */
export function message(updateBody: Uint8Array): Uint8Array {
  const out = new Uint8Array(19 + updateBody.length);
  out.fill(0xff, 0, 16);
  out[16] = out.length >> 8;
  out[17] = out.length & 0xff;
  out[18] = 2;
  out.set(updateBody, 19);
  return out;
}

/** An attribute (flags, code, one-octet length, value) in hex. */
export function attribute(flags: number, code: number, value: string): string {
  const v = hex(value);
  return `${flags.toString(16).padStart(2, '0')}${code.toString(16).padStart(2, '0')}${v.length.toString(16).padStart(2, '0')}${toHex(v)}`;
}

/** The `"type"`-onwards part of what `exabgp decode` prints, our renderer's line for `bytes`. */
export function decodeJson(bytes: Uint8Array, ctx: CodecContext = ASN4_CONTEXT): string {
  const line = exabgpJson(decodeMessage(bytes, ctx), {
    neighbor: {
      localAddress: '127.0.0.1',
      peerAddress: '127.0.0.1',
      localAs: 65533,
      peerAs: 65533,
      routerId: '127.0.0.1',
    },
    direction: 'in',
    time: 0,
    host: 'h',
    pid: 1,
    ppid: 2,
  });
  return line.slice(line.indexOf('"type"'));
}

/** The neighbor block `exabgp decode` prints before the message, to build expected lines. */
export const DECODE_PREFIX =
  '"type": "update", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1" , "direction": "in", ';

export function thrown(run: () => unknown): BgpError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BgpError);
    return error as BgpError;
  }
  throw new Error('expected a BgpError');
}
