import { HEADER_LENGTH, MessageType } from './constants.js';
import { BgpError, ErrorCode, HeaderSubcode, u16Data } from './errors.js';
import type { ByteWriter } from './writer.js';

/** RFC 4271 §4.4 KEEPALIVE: the header alone. */
export interface KeepaliveMessage {
  readonly type: 'keepalive';
}

/** The one KEEPALIVE value; decoding returns it, so a KEEPALIVE costs no allocation. */
export const KEEPALIVE: KeepaliveMessage = Object.freeze({ type: 'keepalive' });

const KEEPALIVE_BYTES = new Uint8Array(HEADER_LENGTH).fill(0xff);
KEEPALIVE_BYTES[16] = 0;
KEEPALIVE_BYTES[17] = HEADER_LENGTH;
KEEPALIVE_BYTES[18] = MessageType.KEEPALIVE;

/**
 * The 19 bytes of a KEEPALIVE. Without a writer: a fresh copy, the caller may keep or modify it. With one:
 * appended to `writer` (no allocation beyond the writer's growth) and `undefined` is returned.
 */
export function encodeKeepalive(): Uint8Array;
export function encodeKeepalive(writer: ByteWriter): undefined;
export function encodeKeepalive(writer?: ByteWriter): Uint8Array | undefined {
  if (writer === undefined) return KEEPALIVE_BYTES.slice();
  writer.bytes(KEEPALIVE_BYTES);
  return undefined;
}

/** RFC 4271 §6.1: a KEEPALIVE has no body; any other length is 1/2 with the length as data. */
export function decodeKeepalive(body: Uint8Array): KeepaliveMessage {
  if (body.length !== 0) {
    throw new BgpError(
      'bad-message-length',
      ErrorCode.MESSAGE_HEADER,
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      u16Data(HEADER_LENGTH + body.length),
      `KEEPALIVE of ${HEADER_LENGTH + body.length} bytes (a KEEPALIVE is ${HEADER_LENGTH})`,
    );
  }
  return KEEPALIVE;
}
