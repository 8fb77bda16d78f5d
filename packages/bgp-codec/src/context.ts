import type { FamilyKey } from './families/key.js';

/**
 * What a session negotiated, as the encoders and decoders need it (holo-bgp's DecodeCxt/EncodeCxt).
 * Families are {@link FamilyKey}s.
 */
export interface CodecContext {
  /** RFC 6793: both sides advertised the 4-octet AS capability. */
  readonly asn4: boolean;
  /** RFC 8654: both sides advertised Extended Message; the maximum length is 65535. */
  readonly extendedMessage: boolean;
  /** RFC 7911: families for which we receive path identifiers. */
  readonly addPathReceive: ReadonlySet<FamilyKey>;
  /** RFC 7911: families for which we send path identifiers. */
  readonly addPathSend: ReadonlySet<FamilyKey>;
  /**
   * RFC 8950: families whose NLRI may carry a next hop of the other IP version, the one their row accepts
   * (`codec.nextHop.extended`): both sides listed <AFI, SAFI, next-hop AFI> in Extended Next Hop Encoding.
   */
  readonly extendedNextHop: ReadonlySet<FamilyKey>;
}

const NONE: ReadonlySet<FamilyKey> = new Set();

/** The context before any OPEN was exchanged: 2-octet AS, 4096-byte messages, no ADD-PATH. */
export const DEFAULT_CONTEXT: CodecContext = Object.freeze({
  asn4: false,
  extendedMessage: false,
  addPathReceive: NONE,
  addPathSend: NONE,
  extendedNextHop: NONE,
});

/** The context most modern sessions negotiate: 4-octet AS, no ADD-PATH. */
export const ASN4_CONTEXT: CodecContext = Object.freeze({ ...DEFAULT_CONTEXT, asn4: true });

/** A context from the fields given, {@link DEFAULT_CONTEXT}'s for the others (frozen). */
export function makeContext(partial: Partial<CodecContext>): CodecContext {
  return Object.freeze({ ...DEFAULT_CONTEXT, ...partial });
}
