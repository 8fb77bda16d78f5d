import { type BgpError, ErrorCode, HeaderSubcode, type NotificationMessage, notification } from 'bgp-codec';

const encoder = new TextEncoder();

/**
 * The NOTIFICATION ExaBGP sends for an error found in a received message. ExaBGP answers a message of a type
 * it does not know with 1/0 and the text `can not decode update message of type "N"` (reactor/protocol.py
 * `read_message`) where RFC 4271 §6.1 prescribes 1/3 Bad Message Type with the type as data; the conformance
 * corpus pins ExaBGP's bytes, so this reproduces them. Every other error is sent as the codec reports it.
 */
export function exabgpNotificationFor(error: BgpError): NotificationMessage {
  if (error.code === ErrorCode.MESSAGE_HEADER && error.subcode === HeaderSubcode.BAD_MESSAGE_TYPE) {
    const type = error.data.length > 0 ? error.data[error.data.length - 1]! : 0;
    return notification(1, 0, encoder.encode(`can not decode update message of type "${type}"`));
  }
  return notification(error.code, error.subcode, error.data);
}
