/*
 * What the transport benchmarks send (used by both transports' benches): one-route UPDATEs
 * built and read with bgp-codec's writeUpdate/decodeUpdate, and 4096-byte messages for framing alone.
 */
import { ASN4_CONTEXT, ByteWriter, decodeUpdate, MessageType, type UpdateMessage, writeUpdate } from 'bgp-codec';

export const CONTEXT = ASN4_CONTEXT;
const BASE = 0x0a000000; // 10.0.0.0: route n is 10.0.0.0 + n, a /32

/** UPDATE n: ORIGIN IGP, AS_PATH [65001], NEXT_HOP 192.0.2.1, one /32 (RFC 4271 §4.3). */
export function routeUpdate(n: number): UpdateMessage {
  return {
    type: 'update',
    withdrawn: [],
    attributes: [
      { kind: 'origin', code: 1, origin: 0 },
      { kind: 'as-path', code: 2, segments: [{ type: 2, asns: [65001] }] },
      { kind: 'next-hop', code: 3, nextHop: 0xc0000201 },
    ],
    nlri: [{ kind: 'prefix', afi: 1, length: 32, address: (BASE + n) >>> 0, pathId: undefined }],
  } as UpdateMessage;
}

/** Encode UPDATEs `from` to `to` (excluded) into `writer`. */
export function writeRouteUpdates(writer: ByteWriter, from: number, to: number): void {
  for (let n = from; n < to; n++) writeUpdate(writer, routeUpdate(n), CONTEXT);
}

/** Decode an UPDATE body and check it is route `n`: the receiver's proof that nothing was lost or reordered. */
export function checkRouteUpdate(body: Uint8Array, n: number): void {
  const update = decodeUpdate(body, CONTEXT);
  const prefix = update.nlri[0];
  if (prefix === undefined || prefix.address !== (BASE + n) >>> 0 || update.attributes.length !== 3) {
    throw new Error(`UPDATE ${n} is not the one sent (got ${prefix?.address})`);
  }
}

export const FRAME_SIZE = 4096;

/** A 4096-byte UPDATE-typed message: a valid header and an opaque body, for framing alone. */
export function bigMessage(): Uint8Array {
  const message = new Uint8Array(FRAME_SIZE);
  message.fill(0xff, 0, 16);
  message[16] = FRAME_SIZE >> 8;
  message[17] = FRAME_SIZE & 0xff;
  message[18] = MessageType.UPDATE;
  return message;
}

/** `copies` of `message` back to back: one write of a burst. */
export function repeated(message: Uint8Array, copies: number): Uint8Array {
  const out = Buffer.allocUnsafe(message.length * copies);
  for (let i = 0; i < copies; i++) out.set(message, i * message.length);
  return out;
}

/** UPDATEs 0 to count-1 encoded back to back. */
export function encodedUpdates(count: number): Uint8Array {
  const writer = new ByteWriter(count * 64);
  writeRouteUpdates(writer, 0, count);
  return writer.buf.slice(0, writer.pos);
}
