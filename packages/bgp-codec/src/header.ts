import { HEADER_LENGTH, MAX_MESSAGE_LENGTH } from './constants.js';
import type { ByteWriter } from './writer.js';

/** Start a message (RFC 4271 §4.1 header) in `writer`; returns where it starts, for {@link endMessage}. */
export function beginMessage(writer: ByteWriter, type: number): number {
  const start = writer.pos;
  writer.fill8(0xff, 16);
  writer.u16(0);
  writer.u8(type);
  return start;
}

/**
 * Finish the message begun at `start`: write its length into the header. A message longer than `maxLength`
 * (4096, or 65535 with RFC 8654 Extended Message) cannot be sent and is a programming error of the caller.
 */
export function endMessage(writer: ByteWriter, start: number, maxLength: number = MAX_MESSAGE_LENGTH): number {
  const length = writer.pos - start;
  if (length < HEADER_LENGTH || length > maxLength) {
    throw new RangeError(`message of ${length} bytes exceeds the maximum of ${maxLength}`);
  }
  writer.view.setUint16(start + 16, length);
  return length;
}
