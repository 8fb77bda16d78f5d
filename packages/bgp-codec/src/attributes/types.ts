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
  /**
   * ExaBGP's JSON of the attribute, `"key": value`, as its attribute class's json() prints it; undefined when
   * ExaBGP prints nothing for it.
   */
  json(attribute: A, ctx: AttributeJsonContext): string | undefined;
}

/** What an attribute's JSON depends on besides its value. */
export interface AttributeJsonContext {
  /** The UPDATE withdraws routes (ExaBGP then prints NEXT_HOP, otherwise the key announced routes are under). */
  readonly withdraws: boolean;
  /** The session was configured with `aigp enable` (ExaBGP drops AIGP otherwise, RFC 7311 §3). */
  readonly aigp: boolean;
  /**
   * The attributes as ExaBGP's collection holds them, by type code: one attribute's JSON can depend on
   * another's (AS4_PATH is merged into AS_PATH).
   */
  readonly collected: ReadonlyMap<number, { readonly kind: string }>;
}

/** Stable `BgpError.reason` strings for the RFC 4271 §6.3 UPDATE Message Error subcodes. */
const UPDATE_ERROR_REASONS: Readonly<Record<number, string>> = {
  1: 'malformed-attribute-list',
  2: 'unrecognized-well-known-attribute',
  3: 'missing-well-known-attribute',
  4: 'attribute-flags-error',
  5: 'attribute-length-error',
  6: 'invalid-origin-attribute',
  8: 'invalid-next-hop-attribute',
  9: 'optional-attribute-error',
  10: 'invalid-network-field',
  11: 'malformed-as-path',
};

/** An UPDATE Message Error (3/subcode): `reason` names the subcode, `message` says what was wrong. */
export function updateError(subcode: number, text: string, data?: Uint8Array): BgpError {
  const reason = UPDATE_ERROR_REASONS[subcode] ?? 'update-message-error';
  return new BgpError(reason, ErrorCode.UPDATE_MESSAGE, subcode, data, `${text} (NOTIFICATION 3/${subcode})`);
}

/**
 * A malformed attribute value: the UPDATE decoder applies the row's RFC 7606 action to it (recording
 * `message` as the reason, or throwing with the attribute as data on session reset).
 */
export function malformed(subcode: number, text: string): BgpError {
  return new BgpError(
    UPDATE_ERROR_REASONS[subcode] ?? 'update-message-error',
    ErrorCode.UPDATE_MESSAGE,
    subcode,
    undefined,
    text,
  );
}

/**
 * A copy of `b[start, end)` as a plain Uint8Array. (`slice` on a Node Buffer returns a view, which would keep
 * the whole receive chunk alive and alias it: decoded values never share memory with the input.)
 */
export function copyBytes(b: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(b.subarray(start, end));
  return out;
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
