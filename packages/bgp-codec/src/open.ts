import { AS_TRANS } from './attributes/attr-02-as-path.js';
import { type Capability, decodeCapability, encodeCapability } from './capabilities.js';
import { HEADER_LENGTH, MAX_MESSAGE_LENGTH, MessageType } from './constants.js';
import { BgpError, ErrorCode, HeaderSubcode, OpenSubcode, u16Data } from './errors.js';
import { beginMessage, endMessage } from './header.js';
import { ByteWriter } from './writer.js';

/** RFC 4271 §4.2: the only BGP version this codec speaks. */
export const BGP_VERSION = 4;

/** RFC 4271 §4.2 Optional Parameter types (1, Authentication Information, is deprecated). */
export const OptionalParameterType = {
  CAPABILITIES: 2,
  /** RFC 9072 §2: the Non-Ext OP Type that announces the extended format. */
  EXTENDED_LENGTH: 255,
} as const;

/** RFC 4271 §4.2 OPEN. */
export interface OpenMessage {
  readonly type: 'open';
  /** 4 (RFC 4271); other values only to build erroneous messages. */
  readonly version: number;
  /**
   * My Autonomous System. Decoded: the 2-octet field as received (AS_TRANS for a 4-octet AS; the real AS is
   * in the {@link Asn4Capability}, see {@link openAsn}). Encoded: written as is when it fits 2 octets,
   * as AS_TRANS (RFC 6793 §4.1) when it does not.
   */
  readonly asn: number;
  /** Seconds; 0 or at least 3 (RFC 4271 §4.2; checked by {@link checkHoldTime}, not by the decoder). */
  readonly holdTime: number;
  /** BGP Identifier as a dotted quad. */
  readonly bgpIdentifier: string;
  /** Capabilities in wire order (RFC 5492); encoded one per Optional Parameter, as ExaBGP sends them. */
  readonly capabilities: readonly Capability[];
  /**
   * RFC 9072 extended Optional Parameters format. Decoded: true when the peer used it. Encoded: the format is
   * used when this is true or when the Optional Parameters exceed 255 bytes (RFC 9072 §2), otherwise not.
   */
  readonly extendedOptionalParameters?: boolean;
}

const EMPTY = new Uint8Array(0);
/** Reused by every {@link encodeOpen}: encoding is synchronous and never re-entered. */
const capabilityScratch = new ByteWriter(512);
/** RFC 4271 §4.2: Version (1), My AS (2), Hold Time (2), BGP Identifier (4), Opt Parm Len (1). */
const FIXED_LENGTH = 10;

/** The AS of the speaker that sent `open`: its 4-octet AS capability when present (RFC 6793 §4.1), else My AS. */
export function openAsn(open: OpenMessage): number {
  for (const capability of open.capabilities) if (capability.type === 'asn4') return capability.asn;
  return open.asn;
}

/**
 * Decode the body of an OPEN (the bytes after the 19-byte header). Errors are the NOTIFICATION to send:
 * - 1/2 Bad Message Length, data the message length, when the body is shorter than the fixed part or the
 *   Optional Parameters length disagrees with the message length (RFC 4271 §6.1);
 * - 2/1 Unsupported Version Number, data the largest version supported as 2 octets (RFC 4271 §6.2);
 * - 2/4 Unsupported Optional Parameter for a parameter other than Capabilities (RFC 4271 §6.2, RFC 5492 §4);
 * - 2/0 Unspecific when a parameter or capability overruns its container or a capability value is malformed.
 * Peer AS, BGP Identifier, Hold Time and required capabilities need configuration: the FSM checks them
 * (see {@link checkHoldTime}, {@link checkBgpIdentifier}).
 */
export function decodeOpen(body: Uint8Array): OpenMessage {
  const length = body.length;
  if (length < FIXED_LENGTH) throw badLength(length, `OPEN body of ${length} bytes is shorter than ${FIXED_LENGTH}`);
  const version = body[0] as number;
  if (version !== BGP_VERSION) {
    throw new BgpError(
      'unsupported-version',
      ErrorCode.OPEN_MESSAGE,
      OpenSubcode.UNSUPPORTED_VERSION_NUMBER,
      u16Data(BGP_VERSION),
      `unsupported BGP version ${version} (this speaker supports ${BGP_VERSION})`,
    );
  }
  const asn = u16(body, 1);
  const holdTime = u16(body, 3);
  const bgpIdentifier = `${body[5]}.${body[6]}.${body[7]}.${body[8]}`;

  let parametersLength = body[9] as number;
  let at = FIXED_LENGTH;
  // RFC 9072 §2: a non-zero Non-Ext OP Len followed by a Non-Ext OP Type of 255 announces the extended format.
  const extended = parametersLength !== 0 && body[at] === OptionalParameterType.EXTENDED_LENGTH;
  if (extended) {
    if (length < FIXED_LENGTH + 3) throw badLength(length, 'OPEN too short for the RFC 9072 extended length');
    parametersLength = u16(body, at + 1);
    at += 3;
  }
  if (at + parametersLength !== length) {
    throw badLength(
      length,
      `OPEN optional parameters length ${parametersLength} disagrees with the ${length - at} bytes present`,
    );
  }

  const capabilities: Capability[] = [];
  const headerSize = extended ? 3 : 2;
  while (at < length) {
    if (at + headerSize > length) throw unspecific('OPEN optional parameter header overruns the parameters');
    const parameterType = body[at] as number;
    const parameterLength = extended ? u16(body, at + 1) : (body[at + 1] as number);
    const start = at + headerSize;
    const end = start + parameterLength;
    if (end > length) throw unspecific(`OPEN optional parameter ${parameterType} overruns the parameters`);
    if (parameterType !== OptionalParameterType.CAPABILITIES) {
      throw new BgpError(
        'unsupported-optional-parameter',
        ErrorCode.OPEN_MESSAGE,
        OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER,
        undefined,
        `unsupported OPEN optional parameter type ${parameterType}`,
      );
    }
    // RFC 5492 §4: a Capabilities parameter holds one or more <code, length, value> triples.
    let cursor = start;
    while (cursor < end) {
      if (cursor + 2 > end) throw unspecific('capability header overruns its optional parameter');
      const code = body[cursor] as number;
      const valueStart = cursor + 2;
      const valueEnd = valueStart + (body[cursor + 1] as number);
      if (valueEnd > end) throw unspecific(`capability ${code} overruns its optional parameter`);
      capabilities.push(decodeCapability(code, body.subarray(valueStart, valueEnd)));
      cursor = valueEnd;
    }
    at = end;
  }

  const open: OpenMessage = { type: 'open', version, asn, holdTime, bgpIdentifier, capabilities };
  return extended ? { ...open, extendedOptionalParameters: true } : open;
}

/**
 * Encode an OPEN, header included, appending it to `writer` (a new one when omitted); returns a copy of this
 * message's bytes. Each capability goes in its own Capabilities parameter (as ExaBGP sends them); when the
 * parameters exceed 255 bytes the RFC 9072 format is used. Values out of their field's range throw RangeError.
 */
export function encodeOpen(open: OpenMessage, writer: ByteWriter = new ByteWriter(128)): Uint8Array {
  checkRange(open.version, 0xff, 'version');
  checkRange(open.asn, 0xffffffff, 'AS number');
  checkRange(open.holdTime, 0xffff, 'hold time');
  const identifier = parseBgpIdentifier(open.bgpIdentifier);
  // Capabilities are written once, then framed as parameters in whichever format their size needs; a value
  // that cannot be encoded throws here, before anything is written to the caller's writer.
  const scratch = capabilityScratch.reset();
  const ends: number[] = [];
  for (const capability of open.capabilities) {
    encodeCapability(capability, scratch);
    ends.push(scratch.pos);
  }

  const start = beginMessage(writer, MessageType.OPEN);
  writer.u8(open.version);
  writer.u16(open.asn > 0xffff ? AS_TRANS : open.asn);
  writer.u16(open.holdTime);
  writer.u32(identifier);
  const caps = scratch.buf;
  let largest = 0;
  let previous = 0;
  for (const end of ends) {
    largest = Math.max(largest, end - previous);
    previous = end;
  }
  const plainLength = scratch.pos + 2 * ends.length;
  // RFC 9072 §2: the RFC 4271 encoding when the parameters fit 255 bytes, the extended one when they do not.
  const extended = open.extendedOptionalParameters === true || plainLength > 255 || largest > 255;
  if (extended) {
    writer.u8(255).u8(OptionalParameterType.EXTENDED_LENGTH);
    const lengthAt = writer.mark(2);
    previous = 0;
    for (const end of ends) {
      writer.u8(OptionalParameterType.CAPABILITIES).u16(end - previous);
      writer.bytes(caps.subarray(previous, end));
      previous = end;
    }
    writer.fill(lengthAt, 2);
  } else {
    writer.u8(plainLength);
    previous = 0;
    for (const end of ends) {
      writer.u8(OptionalParameterType.CAPABILITIES).u8(end - previous);
      writer.bytes(caps.subarray(previous, end));
      previous = end;
    }
  }
  try {
    // RFC 8654 §4: OPEN is never longer than 4096 bytes, whatever was negotiated.
    endMessage(writer, start, MAX_MESSAGE_LENGTH);
  } catch (error) {
    writer.pos = start;
    throw error;
  }
  return writer.buf.slice(start, writer.pos);
}

/**
 * RFC 4271 §6.2 / §4.2: the Hold Time must be 0 or at least 3 seconds; otherwise the NOTIFICATION
 * 2/6 Unacceptable Hold Time. Returns the error to send, or `undefined` when acceptable. A speaker may also
 * refuse values its configuration does not allow; that check belongs to the FSM.
 */
export function checkHoldTime(holdTime: number): BgpError | undefined {
  if (holdTime === 0 || (holdTime >= 3 && holdTime <= 0xffff && Number.isInteger(holdTime))) return undefined;
  return new BgpError(
    'unacceptable-hold-time',
    ErrorCode.OPEN_MESSAGE,
    OpenSubcode.UNACCEPTABLE_HOLD_TIME,
    undefined,
    `hold time ${holdTime} is neither 0 nor at least 3 seconds`,
  );
}

/**
 * RFC 6286 §2.2: the BGP Identifier is any non-zero 4-octet value; 0.0.0.0 (or text that is no dotted quad)
 * gets the NOTIFICATION 2/3 Bad BGP Identifier. Returns the error to send, or `undefined`. Whether the peer's
 * identifier equals ours on an iBGP session (also 2/3, RFC 6286 §2.2) needs configuration: the FSM checks it.
 */
export function checkBgpIdentifier(bgpIdentifier: string): BgpError | undefined {
  const value = DOTTED_QUAD.test(bgpIdentifier) ? parseBgpIdentifier(bgpIdentifier) : 0;
  if (value !== 0) return undefined;
  return new BgpError(
    'bad-bgp-identifier',
    ErrorCode.OPEN_MESSAGE,
    OpenSubcode.BAD_BGP_IDENTIFIER,
    undefined,
    `BGP identifier ${bgpIdentifier} is not a non-zero dotted quad`,
  );
}

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A dotted quad as its 32-bit value; RangeError for anything else. */
export function parseBgpIdentifier(dotted: string): number {
  if (!DOTTED_QUAD.test(dotted)) throw new RangeError(`BGP identifier "${dotted}" is not a dotted quad`);
  const parts = dotted.split('.');
  return ((Number(parts[0]) << 24) | (Number(parts[1]) << 16) | (Number(parts[2]) << 8) | Number(parts[3])) >>> 0;
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] as number) << 8) | (b[at + 1] as number);
}

function checkRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${what} ${value} is not in 0..${max}`);
}

function badLength(bodyLength: number, message: string): BgpError {
  return new BgpError(
    'bad-message-length',
    ErrorCode.MESSAGE_HEADER,
    HeaderSubcode.BAD_MESSAGE_LENGTH,
    u16Data(HEADER_LENGTH + bodyLength),
    message,
  );
}

function unspecific(message: string): BgpError {
  return new BgpError('malformed-open', ErrorCode.OPEN_MESSAGE, 0, EMPTY, message);
}
