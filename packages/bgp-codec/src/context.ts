/**
 * What a session negotiated, as the encoders and decoders need it (holo-bgp's DecodeCxt/EncodeCxt).
 * Families are keyed `afi/safi` (see {@link familyKey}).
 */
export interface CodecContext {
  /** RFC 6793: both sides advertised the 4-octet AS capability. */
  readonly asn4: boolean;
  /** RFC 8654: both sides advertised Extended Message; the maximum length is 65535. */
  readonly extendedMessage: boolean;
  /** RFC 7911: families for which we receive path identifiers. */
  readonly addPathReceive: ReadonlySet<string>;
  /** RFC 7911: families for which we send path identifiers. */
  readonly addPathSend: ReadonlySet<string>;
  /** RFC 8950: families (`afi/safi/nexthopAfi`) for which a next hop of another family was negotiated. */
  readonly extendedNextHop: ReadonlySet<string>;
}

/** The `afi/safi` key of a family in a {@link CodecContext}'s sets (`1/1` is IPv4 unicast). */
export function familyKey(afi: number, safi: number): string {
  return `${afi}/${safi}`;
}

const NONE: ReadonlySet<string> = new Set();

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
