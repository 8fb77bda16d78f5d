import { HEADER_LENGTH, MAX_EXTENDED_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH, MessageType } from './constants.js';
import type { CodecContext } from './context.js';
import { BgpError, CeaseSubcode, ErrorCode, HeaderSubcode, u16Data } from './errors.js';
import { beginMessage, endMessage } from './header.js';
import { ByteWriter } from './writer.js';

/** RFC 4271 §4.5 NOTIFICATION: Error Code, Error Subcode, Data. */
export interface NotificationMessage {
  readonly type: 'notification';
  readonly code: number;
  readonly subcode: number;
  /** The Data field (a copy, never a view of the received bytes). */
  readonly data: Uint8Array;
}

/**
 * Error code names as ExaBGP prints them (exabgp/bgp/message/notification.py); code 7, which ExaBGP leaves
 * unnamed, is RFC 7313's "ROUTE-REFRESH Message Error".
 */
const CODE_NAMES: Readonly<Record<number, string>> = {
  1: 'Message header error',
  2: 'OPEN message error',
  3: 'UPDATE message error',
  4: 'Hold timer expired',
  5: 'State machine error',
  6: 'Cease',
  7: 'ROUTE-REFRESH message error',
};

/** Subcode names, ExaBGP's where it has them, keyed `code/subcode`. */
const SUBCODE_NAMES: Readonly<Record<string, string>> = {
  '1/0': 'Unspecific',
  '1/1': 'Connection Not Synchronized',
  '1/2': 'Bad Message Length',
  '1/3': 'Bad Message Type',
  '2/0': 'Unspecific',
  '2/1': 'Unsupported Version Number',
  '2/2': 'Bad Peer AS',
  '2/3': 'Bad BGP Identifier',
  '2/4': 'Unsupported Optional Parameter',
  '2/5': 'Authentication Notification (Deprecated)',
  '2/6': 'Unacceptable Hold Time',
  // RFC 5492
  '2/7': 'Unsupported Capability',
  // draft-ietf-idr-bgp-multisession
  '2/8': 'Grouping Conflict',
  '2/9': 'Grouping Required',
  '2/10': 'Capability Value Mismatch',
  // RFC 9234
  '2/11': 'Role Mismatch',
  '3/0': 'Unspecific',
  '3/1': 'Malformed Attribute List',
  '3/2': 'Unrecognized Well-known Attribute',
  '3/3': 'Missing Well-known Attribute',
  '3/4': 'Attribute Flags Error',
  '3/5': 'Attribute Length Error',
  '3/6': 'Invalid ORIGIN Attribute',
  '3/7': 'AS Routing Loop',
  '3/8': 'Invalid NEXT_HOP Attribute',
  '3/9': 'Optional Attribute Error',
  '3/10': 'Invalid Network Field',
  '3/11': 'Malformed AS_PATH',
  '4/0': 'Unspecific',
  '5/0': 'Unspecific',
  // RFC 6608
  '5/1': 'Receive Unexpected Message in OpenSent State',
  '5/2': 'Receive Unexpected Message in OpenConfirm State',
  '5/3': 'Receive Unexpected Message in Established State',
  '6/0': 'Unspecific',
  // RFC 4486, RFC 9003
  '6/1': 'Maximum Number of Prefixes Reached',
  '6/2': 'Administrative Shutdown',
  '6/3': 'Peer De-configured',
  '6/4': 'Administrative Reset',
  '6/5': 'Connection Rejected',
  '6/6': 'Other Configuration Change',
  '6/7': 'Connection Collision Resolution',
  '6/8': 'Out of Resources',
  // RFC 8538
  '6/9': 'Hard Reset',
  // RFC 9384
  '6/10': 'BFD Down',
  // RFC 7313 (7/2 from draft-keyur-bgp-enhanced-route-refresh, as ExaBGP names it)
  '7/1': 'Invalid Message Length',
  '7/2': 'Malformed Message Subtype',
};

/** "Cease", or "Unknown error code N". */
export function notificationCodeName(code: number): string {
  return CODE_NAMES[code] ?? `Unknown error code ${code}`;
}

/** "Administrative Shutdown", or "Unknown subcode N". */
export function notificationSubcodeName(code: number, subcode: number): string {
  return SUBCODE_NAMES[`${code}/${subcode}`] ?? `Unknown subcode ${subcode}`;
}

/** "Cease / Administrative Shutdown". */
export function notificationName(code: number, subcode: number): string {
  return `${notificationCodeName(code)} / ${notificationSubcodeName(code, subcode)}`;
}

/** A NOTIFICATION value. */
export function notification(code: number, subcode: number, data: Uint8Array = EMPTY): NotificationMessage {
  return { type: 'notification', code, subcode, data };
}

/** The NOTIFICATION that reports a decoding error (RFC 4271 §6). */
export function notificationFromError(error: BgpError): NotificationMessage {
  return notification(error.code, error.subcode, error.data);
}

/** RFC 9003 §2: a Shutdown Communication is at most 255 octets of UTF-8. */
export const MAX_SHUTDOWN_COMMUNICATION = 255;

/**
 * A Cease NOTIFICATION with an RFC 9003 Shutdown Communication: subcode 2 (Administrative Shutdown) or
 * 4 (Administrative Reset), data one length octet and the UTF-8 text. Throws RangeError when the text exceeds
 * 255 octets, or for another subcode.
 */
export function shutdownNotification(subcode: 2 | 4, communication: string): NotificationMessage {
  if (subcode !== CeaseSubcode.ADMINISTRATIVE_SHUTDOWN && subcode !== CeaseSubcode.ADMINISTRATIVE_RESET) {
    throw new RangeError(`a Shutdown Communication goes with Cease subcode 2 or 4, not ${subcode}`);
  }
  const text = utf8Encoder.encode(communication);
  if (text.length > MAX_SHUTDOWN_COMMUNICATION) {
    throw new RangeError(`Shutdown Communication of ${text.length} octets exceeds ${MAX_SHUTDOWN_COMMUNICATION}`);
  }
  const data = new Uint8Array(1 + text.length);
  data[0] = text.length;
  data.set(text, 1);
  return notification(ErrorCode.CEASE, subcode, data);
}

/** What the Data field of a received Cease 2 or 4 says, read tolerantly (RFC 9003 §3). */
export type ShutdownCommunication =
  /** A well-formed communication (`text` may be empty: length 0); `trailing` is any data after it. */
  | { readonly status: 'ok'; readonly text: string; readonly trailing: Uint8Array }
  /** The length octet announces more bytes than the data holds. */
  | { readonly status: 'underrun'; readonly length: number; readonly payload: Uint8Array }
  /** The text is not valid UTF-8 (RFC 9003 §3: log it, do not act on it). */
  | { readonly status: 'invalid-utf8'; readonly length: number; readonly payload: Uint8Array };

/**
 * The Shutdown Communication of a Cease 2 (Administrative Shutdown) or 4 (Administrative Reset), or
 * `undefined` for other NOTIFICATIONs and for one without data. Never throws: RFC 4271 §6.4 forbids answering
 * a NOTIFICATION with one, so a malformed communication is reported, not raised.
 */
export function decodeShutdownCommunication(message: NotificationMessage): ShutdownCommunication | undefined {
  if (message.code !== ErrorCode.CEASE) return undefined;
  if (message.subcode !== CeaseSubcode.ADMINISTRATIVE_SHUTDOWN && message.subcode !== CeaseSubcode.ADMINISTRATIVE_RESET)
    return undefined;
  const data = message.data;
  if (data.length === 0) return undefined;
  const length = data[0] as number;
  const payload = data.subarray(1);
  if (payload.length < length) return { status: 'underrun', length, payload };
  try {
    return { status: 'ok', text: utf8.decode(payload.subarray(0, length)), trailing: payload.subarray(length) };
  } catch {
    return { status: 'invalid-utf8', length, payload };
  }
}

/**
 * Decode the body of a NOTIFICATION. A body shorter than the 2-octet code and subcode throws BgpError 1/2
 * (RFC 4271 §6.1); the caller closes the connection without answering (RFC 4271 §6.4).
 */
export function decodeNotification(body: Uint8Array): NotificationMessage {
  if (body.length < 2) {
    throw new BgpError(
      'bad-message-length',
      ErrorCode.MESSAGE_HEADER,
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      u16Data(HEADER_LENGTH + body.length),
      `NOTIFICATION body of ${body.length} bytes has no error code and subcode`,
    );
  }
  return notification(body[0] as number, body[1] as number, new Uint8Array(body.subarray(2)));
}

/**
 * Encode a NOTIFICATION, header included, appending it to `writer` (a new one when omitted); returns a copy
 * of this message's bytes. A NOTIFICATION must always go out, so data that would make the message longer
 * than the maximum (4096, or 65535 with Extended Message in `ctx`, RFC 8654 §4) is truncated to fit.
 */
export function encodeNotification(
  message: NotificationMessage,
  ctx?: CodecContext,
  writer: ByteWriter = new ByteWriter(HEADER_LENGTH + 2 + message.data.length),
): Uint8Array {
  if (!isOctet(message.code) || !isOctet(message.subcode)) {
    throw new RangeError(`NOTIFICATION code ${message.code} / subcode ${message.subcode} do not fit one octet each`);
  }
  const max = ctx?.extendedMessage ? MAX_EXTENDED_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH;
  const start = beginMessage(writer, MessageType.NOTIFICATION);
  writer.u8(message.code).u8(message.subcode);
  const room = max - HEADER_LENGTH - 2;
  writer.bytes(message.data.length > room ? message.data.subarray(0, room) : message.data);
  endMessage(writer, start, max);
  return writer.buf.slice(start, writer.pos);
}

function isOctet(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xff;
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();
