import type { CiOptions } from './ci.js';

/**
 * The OPEN ExaBGP's checking peer answers with (qa/sbin/bgp `Message.open`): the speaker's own OPEN echoed
 * back with the last byte of the BGP Identifier incremented; with `option:asn:N` the 2-octet AS (and the
 * 4-octet AS capability value, when present) replaced by N and the identifier left as it was; with
 * `send-unknown-capability` an extra Capabilities parameter holding capability 66 `loremipsum` appended.
 * The byte surgery is the checker's, including its assumption of the RFC 4271 parameter format.
 */
export function checkerOpen(
  ours: Uint8Array,
  options: Partial<Pick<CiOptions, 'asn' | 'sendUnknownCapability'>>,
): Uint8Array {
  const header = ours.subarray(0, 19);
  const body = ours.subarray(19);
  let open: Uint8Array;
  if (options.asn === undefined) {
    open = concat(header, body.subarray(0, 8), Uint8Array.of((body[8]! + 1) & 0xff), body.subarray(9));
  } else {
    const asn = options.asn;
    const as2 = Uint8Array.of((asn >> 8) & 0xff, asn & 0xff);
    const params = body.subarray(10);
    let replaced: Uint8Array | undefined;
    for (let offset = 0; offset < params.length; offset += params[offset + 1]! + 2) {
      if (params[offset] === 2 && params[offset + 2] === 65) {
        const as4 = Uint8Array.of((asn >>> 24) & 0xff, (asn >>> 16) & 0xff, (asn >>> 8) & 0xff, asn & 0xff);
        replaced = concat(
          header,
          body.subarray(0, 1),
          as2,
          body.subarray(3, 8),
          body.subarray(8, 10),
          params.subarray(0, offset + 4),
          as4,
          params.subarray(offset + 8),
        );
        break;
      }
    }
    open = replaced ?? concat(header, body.subarray(0, 1), as2, body.subarray(3));
  }
  if (!options.sendUnknownCapability) return open;
  const content = new TextEncoder().encode('loremipsum');
  const capability = concat(Uint8Array.of(66, content.length), content);
  const parameter = concat(Uint8Array.of(2, capability.length), capability);
  const out = concat(open, parameter);
  // the checker adds to the low byte of the message length and to the parameters length
  out[17] = (open[17]! + parameter.length) & 0xff;
  out[28] = (open[28]! + parameter.length) & 0xff;
  return out;
}

/** The KEEPALIVE the checker sends after its OPEN. */
export const CHECKER_KEEPALIVE = Uint8Array.of(...new Array<number>(16).fill(0xff), 0, 19, 4);

/** The 19-byte message of type 255 the checker sends with `send-unknown-message`. */
export const CHECKER_UNKNOWN_MESSAGE = Uint8Array.of(...new Array<number>(16).fill(0xff), 0, 19, 255);

/**
 * The NOTIFICATION a `notification:TEXT` action sends (qa/sbin/bgp `Message.notify`): Cease, subcode 2
 * Administrative Shutdown, with TEXT as an RFC 9003 Shutdown Communication (a length octet, then at most 255
 * octets of UTF-8).
 */
export function checkerNotification(text: string): Uint8Array {
  let data = new TextEncoder().encode(text);
  if (data.length > 255) data = data.subarray(0, 255);
  const length = 19 + 3 + data.length;
  const header = Uint8Array.of(...new Array<number>(16).fill(0xff), length >> 8, length & 0xff, 3, 6, 2, data.length);
  return concat(header, data);
}

/**
 * The UPDATE `option:update:send-default-route` makes the checker send after its OPEN (qa/sbin/bgp
 * `Message.default_route`): NLRI 0.0.0.0/32 as it writes it, ORIGIN igp, empty AS_PATH, NEXT_HOP 127.0.0.1, LOCAL_PREF 100.
 */
export const CHECKER_DEFAULT_ROUTE = Uint8Array.of(
  ...new Array<number>(16).fill(0xff),
  0x00,
  0x31,
  0x02,
  0x00,
  0x00,
  0x00,
  0x15,
  ...[0x40, 0x01, 0x01, 0x00],
  ...[0x40, 0x02, 0x00],
  ...[0x40, 0x03, 0x04, 0x7f, 0x00, 0x00, 0x01],
  ...[0x40, 0x05, 0x04, 0x00, 0x00, 0x00, 0x64],
  ...[0x20, 0x00, 0x00, 0x00, 0x00],
);

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
