/**
 * The few message encoders and decoders the session FSM needs (OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH).
 *
 * They stand in for bgp-codec's own until the codec exports them; they use the codec's writer, header and
 * error type, so switching is a matter of re-exporting the codec's functions from here.
 */
import {
  BgpError,
  ByteWriter,
  beginMessage,
  ErrorCode,
  endMessage,
  HEADER_LENGTH,
  MessageType,
  OpenSubcode,
  RouteRefreshSubcode,
} from 'bgp-codec';

/** RFC 5492 §4: one capability, its value kept as bytes. */
export interface Capability {
  readonly code: number;
  readonly value: Uint8Array;
}

/** RFC 4271 §4.2 OPEN, capabilities already unpacked from their optional parameters. */
export interface OpenMessage {
  readonly version: number;
  /** The 2-octet "My Autonomous System" field (AS_TRANS when the speaker's AS needs 4 octets, RFC 6793). */
  readonly myAs: number;
  readonly holdTime: number;
  /** The BGP Identifier as an unsigned 32-bit number. */
  readonly bgpId: number;
  readonly capabilities: readonly Capability[];
}

/** Capability codes (IANA "Capability Codes"). */
export const CapabilityCode = {
  MULTIPROTOCOL: 1,
  ROUTE_REFRESH: 2,
  EXTENDED_NEXT_HOP: 5,
  EXTENDED_MESSAGE: 6,
  GRACEFUL_RESTART: 64,
  FOUR_OCTET_AS: 65,
  ADD_PATH: 69,
  ENHANCED_ROUTE_REFRESH: 70,
} as const;

/** RFC 6793: the 2-octet stand-in for an AS that needs 4 octets. */
export const AS_TRANS = 23456;
const OPTIONAL_PARAMETER_CAPABILITIES = 2;

export function encodeOpen(open: OpenMessage): Uint8Array {
  const w = new ByteWriter(64);
  const start = beginMessage(w, MessageType.OPEN);
  w.u8(open.version).u16(open.myAs).u16(open.holdTime).u32(open.bgpId);
  const paramsLength = w.mark(1);
  for (const cap of open.capabilities) {
    // One optional parameter per capability, as most speakers send them (RFC 5492 §4 allows either).
    w.u8(OPTIONAL_PARAMETER_CAPABILITIES);
    const at = w.mark(1);
    w.u8(cap.code).u8(cap.value.length).bytes(cap.value);
    w.fill(at, 1);
  }
  w.fill(paramsLength, 1);
  endMessage(w, start);
  return w.finish();
}

/**
 * Decode an OPEN body (after the 19-byte header). Structural problems are RFC 4271 §6.2 errors: an optional
 * parameter other than Capabilities is 2/4, a parameter list that overruns the message is 2/0 (unspecific).
 * The semantic checks (version, AS, hold time, identifier) belong to the FSM, which knows the configuration.
 */
export function decodeOpen(body: Uint8Array): OpenMessage {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (body.length < 10) throw malformedOpen('OPEN body shorter than 10 bytes');
  const version = body[0] as number;
  const myAs = view.getUint16(1);
  const holdTime = view.getUint16(3);
  const bgpId = view.getUint32(5);
  const paramsLength = body[9] as number;
  if (10 + paramsLength !== body.length) {
    throw malformedOpen(`optional parameters length ${paramsLength} does not match the message`);
  }
  const capabilities: Capability[] = [];
  let at = 10;
  while (at < body.length) {
    if (at + 2 > body.length) throw malformedOpen('truncated optional parameter');
    const type = body[at] as number;
    const length = body[at + 1] as number;
    const end = at + 2 + length;
    if (end > body.length) throw malformedOpen('optional parameter overruns the message');
    if (type !== OPTIONAL_PARAMETER_CAPABILITIES) {
      throw new BgpError(
        'unsupported-optional-parameter',
        ErrorCode.OPEN_MESSAGE,
        OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER,
        body.slice(at, end),
        `unsupported optional parameter type ${type}`,
      );
    }
    let c = at + 2;
    while (c < end) {
      if (c + 2 > end) throw malformedOpen('truncated capability');
      const code = body[c] as number;
      const capLength = body[c + 1] as number;
      if (c + 2 + capLength > end) throw malformedOpen(`capability ${code} overruns its optional parameter`);
      capabilities.push({ code, value: body.slice(c + 2, c + 2 + capLength) });
      c += 2 + capLength;
    }
    at = end;
  }
  return { version, myAs, holdTime, bgpId, capabilities };
}

function malformedOpen(message: string): BgpError {
  return new BgpError('malformed-open', ErrorCode.OPEN_MESSAGE, 0, undefined, message);
}

const KEEPALIVE_BYTES = (() => {
  const w = new ByteWriter(HEADER_LENGTH);
  endMessage(w, beginMessage(w, MessageType.KEEPALIVE));
  return w.finish();
})();

/** RFC 4271 §4.4: a KEEPALIVE is the header alone. The same bytes every time: callers must not modify them. */
export function encodeKeepalive(): Uint8Array {
  return KEEPALIVE_BYTES;
}

/** RFC 4271 §4.5 NOTIFICATION. */
export interface NotificationMessage {
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
}

export function encodeNotification(n: NotificationMessage): Uint8Array {
  const w = new ByteWriter(HEADER_LENGTH + 2 + n.data.length);
  const start = beginMessage(w, MessageType.NOTIFICATION);
  w.u8(n.code).u8(n.subcode).bytes(n.data);
  endMessage(w, start);
  return w.finish();
}

export function decodeNotification(body: Uint8Array): NotificationMessage {
  return { code: body[0] ?? 0, subcode: body[1] ?? 0, data: body.slice(2) };
}

/**
 * RFC 9003 §2: the Shutdown Communication of a Cease 2 (Administrative Shutdown) or 4 (Administrative Reset):
 * one length byte and up to 255 bytes of UTF-8. A longer text is cut at a character boundary.
 */
export function shutdownCommunication(text: string): Uint8Array {
  let bytes = new TextEncoder().encode(text);
  if (bytes.length > 255) {
    let end = 255;
    // Do not split a UTF-8 sequence: back off over continuation bytes (10xxxxxx).
    while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
    bytes = bytes.subarray(0, end);
  }
  const out = new Uint8Array(1 + bytes.length);
  out[0] = bytes.length;
  out.set(bytes, 1);
  return out;
}

/** RFC 2918 §3 / RFC 7313 §3: ROUTE-REFRESH for one family; subtype 0 is a plain refresh. */
export interface RouteRefreshMessage {
  readonly afi: number;
  readonly safi: number;
  readonly subtype: number;
}

export function encodeRouteRefresh(r: RouteRefreshMessage): Uint8Array {
  const w = new ByteWriter(HEADER_LENGTH + 4);
  const start = beginMessage(w, MessageType.ROUTE_REFRESH);
  w.u16(r.afi).u8(r.subtype).u8(r.safi);
  endMessage(w, start);
  return w.finish();
}

/** RFC 7313 §5: a ROUTE-REFRESH whose length is not 23 is error 7/1, with the whole message as data. */
export function decodeRouteRefresh(body: Uint8Array, message: Uint8Array): RouteRefreshMessage {
  if (body.length !== 4) {
    throw new BgpError(
      'route-refresh-invalid-length',
      ErrorCode.ROUTE_REFRESH,
      RouteRefreshSubcode.INVALID_MESSAGE_LENGTH,
      message.slice(),
      `ROUTE-REFRESH of ${message.length} bytes (expected 23)`,
    );
  }
  return { afi: ((body[0] as number) << 8) | (body[1] as number), subtype: body[2] as number, safi: body[3] as number };
}

/** Build the capabilities a session advertises (RFC 4760, RFC 2918, RFC 6793, RFC 8654). */
export function capabilitiesFor(options: {
  localAs: number;
  families: ReadonlyArray<readonly [number, number]>;
  routeRefresh: boolean;
  extendedMessage: boolean;
}): Capability[] {
  const caps: Capability[] = [];
  for (const [afi, safi] of options.families) {
    caps.push({ code: CapabilityCode.MULTIPROTOCOL, value: Uint8Array.of(afi >> 8, afi & 0xff, 0, safi) });
  }
  if (options.routeRefresh) caps.push({ code: CapabilityCode.ROUTE_REFRESH, value: new Uint8Array(0) });
  const as = options.localAs >>> 0;
  caps.push({
    code: CapabilityCode.FOUR_OCTET_AS,
    value: Uint8Array.of(as >>> 24, (as >>> 16) & 0xff, (as >>> 8) & 0xff, as & 0xff),
  });
  if (options.extendedMessage) caps.push({ code: CapabilityCode.EXTENDED_MESSAGE, value: new Uint8Array(0) });
  return caps;
}
