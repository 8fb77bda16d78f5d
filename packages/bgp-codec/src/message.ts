import { HEADER_LENGTH, MAX_EXTENDED_MESSAGE_LENGTH, MAX_MESSAGE_LENGTH, MessageType } from './constants.js';
import { type CodecContext, DEFAULT_CONTEXT } from './context.js';
import { BgpError, ErrorCode, HeaderSubcode, u16Data } from './errors.js';
import { beginMessage, endMessage } from './header.js';
import { decodeKeepalive, encodeKeepalive, KEEPALIVE, type KeepaliveMessage } from './keepalive.js';
import { decodeNotification, encodeNotification, type NotificationMessage } from './notification.js';
import { decodeOpen, encodeOpen, type OpenMessage } from './open.js';
import { decodeRouteRefresh, encodeRouteRefresh, type RouteRefreshMessage } from './route-refresh.js';
import { decodeUpdate, encodeUpdate, type UpdateMessage } from './update.js';
import { ByteWriter } from './writer.js';

/**
 * A message of a type this codec does not know, handed on by a {@link FrameParser} built with
 * `acceptUnknownTypes` (RFC 4271 §6.1 otherwise answers it with 1/3 Bad Message Type).
 */
export interface UnknownMessage {
  readonly type: 'unknown';
  /** The type octet of the header. */
  readonly messageType: number;
  /** The bytes after the header (a copy). */
  readonly body: Uint8Array;
}

/** Every BGP message, discriminated by `type`. */
export type BgpMessage =
  | OpenMessage
  | UpdateMessage
  | NotificationMessage
  | KeepaliveMessage
  | RouteRefreshMessage
  | UnknownMessage;

/**
 * Decode one whole message, header included, as {@link FrameParser} hands it out.
 *
 * The marker and the type are trusted as the frame parser checked them (RFC 4271 §6.1); what costs nothing
 * is checked again: that the length field is the number of bytes given and within the maximum (4096, or
 * 65535 with Extended Message in `ctx`, RFC 8654), else 1/2 Bad Message Length, so a body passed by mistake
 * is refused, not misread. Each message's decoder then holds its body to its own rules. Types the codec does
 * not know become {@link UnknownMessage}. Bytes from anywhere but a FrameParser should go through one.
 *
 * Throws {@link BgpError} only; its code, subcode and data are the NOTIFICATION to send.
 */
export function decodeMessage(message: Uint8Array, ctx: CodecContext = DEFAULT_CONTEXT): BgpMessage {
  const length = message.length;
  const declared = length >= HEADER_LENGTH ? ((message[16] as number) << 8) | (message[17] as number) : -1;
  const max = ctx.extendedMessage ? MAX_EXTENDED_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH;
  if (declared !== length || length > max) {
    throw new BgpError(
      'bad-message-length',
      ErrorCode.MESSAGE_HEADER,
      HeaderSubcode.BAD_MESSAGE_LENGTH,
      u16Data(declared < 0 ? length : declared),
      declared === length
        ? `message of ${length} bytes exceeds the maximum of ${max}`
        : `message of ${length} bytes whose header says ${declared < 0 ? 'nothing (shorter than the header)' : declared}`,
    );
  }
  const type = message[18] as number;
  // The commonest message costs nothing: no body view, the shared value.
  if (type === MessageType.KEEPALIVE && length === HEADER_LENGTH) return KEEPALIVE;
  const body = message.subarray(HEADER_LENGTH);
  switch (type) {
    case MessageType.UPDATE:
      return decodeUpdate(body, ctx);
    case MessageType.KEEPALIVE:
      return decodeKeepalive(body);
    case MessageType.OPEN:
      return decodeOpen(body);
    case MessageType.NOTIFICATION:
      return decodeNotification(body);
    case MessageType.ROUTE_REFRESH:
      return decodeRouteRefresh(body);
    default:
      return { type: 'unknown', messageType: type, body: new Uint8Array(body) };
  }
}

/**
 * Encode any message, header included; returns its bytes. With `writer` the message is appended to it
 * (KEEPALIVE and UPDATE then write with no other allocation than the returned copy).
 * `ctx` matters to UPDATE (4-octet AS, ADD-PATH, extended next hop) and to the maximum length of UPDATE and
 * NOTIFICATION (RFC 8654).
 */
export function encodeMessage(msg: BgpMessage, ctx: CodecContext = DEFAULT_CONTEXT, writer?: ByteWriter): Uint8Array {
  switch (msg.type) {
    case 'update':
      return encodeUpdate(msg, ctx, writer);
    case 'keepalive':
      if (writer === undefined) return encodeKeepalive();
      {
        const start = writer.pos;
        encodeKeepalive(writer);
        return writer.buf.slice(start, writer.pos);
      }
    case 'open':
      return encodeOpen(msg, writer);
    case 'notification':
      return encodeNotification(msg, ctx, writer);
    case 'route-refresh':
      return encodeRouteRefresh(msg, writer);
    case 'unknown':
      return encodeUnknown(msg, ctx, writer ?? new ByteWriter(HEADER_LENGTH + msg.body.length));
  }
}

function encodeUnknown(msg: UnknownMessage, ctx: CodecContext, writer: ByteWriter): Uint8Array {
  if (!Number.isInteger(msg.messageType) || msg.messageType < 0 || msg.messageType > 0xff) {
    throw new RangeError(`message type ${msg.messageType} does not fit one octet`);
  }
  const start = beginMessage(writer, msg.messageType);
  writer.bytes(msg.body);
  endMessage(writer, start, ctx.extendedMessage ? MAX_EXTENDED_MESSAGE_LENGTH : MAX_MESSAGE_LENGTH);
  return writer.buf.slice(start, writer.pos);
}
