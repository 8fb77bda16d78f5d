import type { CodecContext } from '../context.js';
import { BgpError, ErrorCode } from '../errors.js';
import type { ByteWriter } from '../writer.js';

/** RFC 4271 §4.3 Attribute Flags. */
export const AttributeFlag = {
  OPTIONAL: 0x80,
  TRANSITIVE: 0x40,
  /** Set on an optional transitive attribute that some speaker on the path did not recognise. */
  PARTIAL: 0x20,
  EXTENDED_LENGTH: 0x10,
} as const;

/** RFC 7606 §2 approaches, weakest first, that an attribute error calls for. */
export type ErrorAction = 'attribute-discard' | 'treat-as-withdraw' | 'session-reset';

/**
 * One row of the attribute table (BIRD's `bgp_attr_table`): how an attribute is read and written, which
 * flags it must carry and what RFC 7606 says to do when it is malformed.
 */
export interface AttributeRow<A> {
  readonly code: number;
  /** ExaBGP's name for the attribute (`as-path`, `local-preference`...). */
  readonly name: string;
  /** The flags the attribute is sent with; the Optional and Transitive bits are the ones checked on receipt. */
  readonly flags: number;
  /** RFC 7606 §7: what a malformed value leads to. */
  readonly onError: ErrorAction;
  /** MP_REACH_NLRI / MP_UNREACH_NLRI carry NLRI: with wrong flags they are still read, so their NLRI can be withdrawn. */
  readonly carriesNlri: boolean;
  /** Read the value in `b[start, end)`. Malformed values throw {@link malformed}'s BgpError. */
  decode(b: Uint8Array, start: number, end: number, flags: number, ctx: CodecContext): A;
  /** Write the value only; the caller writes flags, type and length. */
  encode(w: ByteWriter, attribute: A, ctx: CodecContext): void;
}

/** A malformed attribute value: the UPDATE decoder applies the row's RFC 7606 action to it. */
export function malformed(subcode: number, reason: string): BgpError {
  return new BgpError('malformed-attribute', ErrorCode.UPDATE_MESSAGE, subcode, undefined, reason);
}

export function readU16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

export function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Write a 32-bit value at the writer's position without a DataView call. */
export function writeU32(w: ByteWriter, value: number): void {
  w.ensure(4);
  const b = w.buf;
  const at = w.pos;
  b[at] = value >>> 24;
  b[at + 1] = value >>> 16;
  b[at + 2] = value >>> 8;
  b[at + 3] = value;
  w.pos = at + 4;
}
