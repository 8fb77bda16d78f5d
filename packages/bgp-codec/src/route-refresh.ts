import { HEADER_LENGTH, MessageType } from './constants.js';
import { BgpError, ErrorCode, RouteRefreshSubcode } from './errors.js';
import { beginMessage, endMessage } from './header.js';
import { ByteWriter } from './writer.js';

/** RFC 7313 §3.2 Message Subtype (RFC 2918 called the octet Reserved, always 0). */
export const RouteRefreshSubtype = {
  /** RFC 2918: a route refresh request. */
  NORMAL: 0,
  /** RFC 7313: Beginning of Route Refresh (BoRR). */
  BEGIN: 1,
  /** RFC 7313: End of Route Refresh (EoRR). */
  END: 2,
} as const;

/** RFC 2918 §3 ROUTE-REFRESH: AFI (2), Message Subtype (1), SAFI (1). */
export interface RouteRefreshMessage {
  readonly type: 'route-refresh';
  readonly afi: number;
  readonly safi: number;
  /**
   * {@link RouteRefreshSubtype}. Other values decode as received; RFC 7313 §5 says the receiver ignores
   * such a message, which is the FSM's decision.
   */
  readonly subtype: number;
}

const BODY_LENGTH = 4;

/**
 * Decode the body of a ROUTE-REFRESH. A body that is not 4 bytes is the NOTIFICATION 7/1 Invalid Message
 * Length whose data is the complete ROUTE-REFRESH message (RFC 7313 §5). RFC 7313 words this for subtypes 1
 * and 2; RFC 2918 fixes the same 4 bytes for subtype 0, so every subtype is held to it. The message is rebuilt
 * from the body: after the header checks its header can only be marker, length and type 5.
 */
export function decodeRouteRefresh(body: Uint8Array): RouteRefreshMessage {
  if (body.length !== BODY_LENGTH) {
    const whole = new Uint8Array(HEADER_LENGTH + body.length).fill(0xff, 0, 16);
    whole[16] = whole.length >>> 8;
    whole[17] = whole.length & 0xff;
    whole[18] = MessageType.ROUTE_REFRESH;
    whole.set(body, HEADER_LENGTH);
    throw new BgpError(
      'invalid-route-refresh-length',
      ErrorCode.ROUTE_REFRESH,
      RouteRefreshSubcode.INVALID_MESSAGE_LENGTH,
      whole,
      `ROUTE-REFRESH body of ${body.length} bytes (expected ${BODY_LENGTH})`,
    );
  }
  return {
    type: 'route-refresh',
    afi: ((body[0] as number) << 8) | (body[1] as number),
    subtype: body[2] as number,
    safi: body[3] as number,
  };
}

/**
 * Encode a ROUTE-REFRESH, header included, appending it to `writer` (a new one when omitted); returns a copy
 * of this message's bytes. Fields out of range throw RangeError.
 */
export function encodeRouteRefresh(
  message: RouteRefreshMessage,
  writer: ByteWriter = new ByteWriter(HEADER_LENGTH + BODY_LENGTH),
): Uint8Array {
  if (!isInRange(message.afi, 0xffff) || !isInRange(message.safi, 0xff) || !isInRange(message.subtype, 0xff)) {
    throw new RangeError(
      `ROUTE-REFRESH afi ${message.afi} safi ${message.safi} subtype ${message.subtype} out of range`,
    );
  }
  const start = beginMessage(writer, MessageType.ROUTE_REFRESH);
  writer.u16(message.afi).u8(message.subtype).u8(message.safi);
  endMessage(writer, start);
  return writer.buf.slice(start, writer.pos);
}

function isInRange(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}
