/**
 * Decoded messages as ExaBGP 6 prints them in JSON: `exabgp decode` and the API processes
 * (exabgp/reactor/api/response/json.py). The text is built the way ExaBGP builds it, fragment by fragment,
 * so that key order, spacing and number formatting are ExaBGP's own, not merely equivalent JSON.
 */

import { afiName } from '../families/key.js';
import { safiName } from '../families/table.js';
import type { KeepaliveMessage } from '../keepalive.js';
import type { BgpMessage } from '../message.js';
import type { NotificationMessage } from '../notification.js';
import type { OpenMessage } from '../open.js';
import type { RouteRefreshMessage } from '../route-refresh.js';
import { hexString, pyFloat, pyJsonString } from './format.js';
import { capabilitiesJson } from './open.js';
import { updateMessageJson } from './update.js';

/** The session a message belongs to, as ExaBGP's neighbor block shows it. */
export interface ExabgpNeighbor {
  readonly localAddress: string;
  readonly peerAddress: string;
  readonly localAs: number;
  readonly peerAs: number;
  /** Omitted from the output when empty or absent, as ExaBGP does. */
  readonly routerId?: string;
}

export interface ExabgpJsonOptions {
  readonly neighbor: ExabgpNeighbor;
  /** `receive` or `send` on a live session (the API), `in` for `exabgp decode`. */
  readonly direction: string;
  /** The per-neighbor message counter; omitted when absent (ExaBGP omits it when there is no neighbor). */
  readonly counter?: number;
  /** Seconds since the epoch, printed as Python prints a float. */
  readonly time: number;
  readonly host: string;
  readonly pid: number;
  readonly ppid: number;
  /** The `"exabgp"` field: ExaBGP's JSON version. Defaults to {@link EXABGP_JSON_VERSION}. */
  readonly version?: string;
  /** The message header and body, printed as `"header"` / `"body"` hex when the API asks for packets. */
  readonly header?: Uint8Array;
  readonly body?: Uint8Array;
  /**
   * The session was configured with `aigp enable`: ExaBGP accepts AIGP only then (RFC 7311 §3 limits it to
   * sessions that agreed to it) and silently drops it otherwise, which is the default here too.
   */
  readonly aigp?: boolean;
}

/** ExaBGP 6's JSON version string (exabgp/version.py `json`). */
export const EXABGP_JSON_VERSION = '6.0.0';

/**
 * Render a decoded message as the one line of JSON ExaBGP prints for it.
 * Throws RangeError for an {@link UnknownMessage}: ExaBGP has no JSON for message types it does not know.
 */
export function exabgpJson(message: BgpMessage, options: ExabgpJsonOptions): string {
  switch (message.type) {
    case 'update':
      return envelope(
        options,
        'update',
        neighborJson(options, `"message": ${updateMessageJson(message, options.aigp ?? false)}`),
      );
    case 'open':
      return envelope(options, 'open', neighborJson(options, `"open": ${openJson(message)}`));
    case 'notification':
      return envelope(options, 'notification', neighborJson(options, `"notification": ${notificationJson(message)} `));
    case 'keepalive':
      return envelope(options, 'keepalive', neighborJson(options, keepaliveContent(message)));
    case 'route-refresh':
      return envelope(options, 'refresh', neighborJson(options, `"route-refresh": ${routeRefreshJson(message)}`));
    case 'unknown':
      throw new RangeError(`ExaBGP prints no JSON for message type ${message.messageType}`);
  }
}

/** json.py `_header`: the fields every line starts with, then the content. */
function envelope(options: ExabgpJsonOptions, type: string, content: string): string {
  const counter = options.counter === undefined ? '' : `"counter": ${options.counter}, `;
  const header = options.header?.length ? `"header": "${hexString(options.header)}", ` : '';
  const body = options.body?.length ? `"body": "${hexString(options.body)}", ` : '';
  return (
    `{ "exabgp": "${options.version ?? EXABGP_JSON_VERSION}", "time": ${pyFloat(options.time)}, ` +
    `"host" : "${options.host}", "pid" : ${options.pid}, "ppid" : ${options.ppid}, ` +
    `${counter}"type": "${type}", ${header}${body}${content} }`
  );
}

/** json.py `_neighbor`, spacing included (the space before the comma after the router-id is ExaBGP's). */
function neighborJson(options: ExabgpJsonOptions, content: string): string {
  const n = options.neighbor;
  const routerId = n.routerId ? `, "router-id": "${n.routerId}"` : '';
  const direction = options.direction ? `, "direction": "${options.direction}"` : '';
  const separator = content ? ', ' : ' ';
  return (
    `"neighbor": { "address": { "local": "${n.localAddress}", "peer": "${n.peerAddress}" }, ` +
    `"asn": { "local": ${n.localAs}, "peer": ${n.peerAs} }${routerId} ${direction}${separator}${content} }`
  );
}

function keepaliveContent(_message: KeepaliveMessage): string {
  return '';
}

export function openJson(open: OpenMessage): string {
  return (
    `{ "version": ${open.version}, "asn": ${open.asn}, "hold_time": ${open.holdTime}, ` +
    `"router_id": ${pyJsonString(open.bgpIdentifier)}, "capabilities": ${capabilitiesJson(open.capabilities)} }`
  );
}

const ROUTE_REFRESH_SUBTYPES: Readonly<Record<number, string>> = { 0: 'query', 1: 'begin', 2: 'end' };

export function routeRefreshJson(message: RouteRefreshMessage): string {
  return (
    `{ "afi": "${afiName(message.afi)}", "safi": "${safiName(message.safi)}", ` +
    `"subtype": "${ROUTE_REFRESH_SUBTYPES[message.subtype] ?? 'invalid'}" }`
  );
}

const utf8 = new TextDecoder('utf-8');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** RFC 8203 §2: ExaBGP still holds a Shutdown Communication to 128 octets (RFC 9003 allows 255). */
const SHUTDOWN_COMMUNICATION_MAX_LEGACY = 128;

/**
 * notification.py `data`: the Data field as ExaBGP shows it. For Cease 2 and 4 (RFC 9003) the Shutdown
 * Communication is rendered as a sentence; other data is shown as received.
 */
function notificationDisplayData(message: NotificationMessage): Uint8Array {
  const raw = message.data;
  if (message.code !== 6 || (message.subcode !== 2 && message.subcode !== 4)) return raw;
  if (raw.length === 0) return raw;
  const length = raw[0] as number;
  const payload = raw.subarray(1);
  let text: string;
  if (length === 0) text = 'empty Shutdown Communication.';
  else if (payload.length < length) {
    text = `invalid Shutdown Communication (buffer underrun) length : ${length} [${hexString(payload)}]`;
  } else if (length > SHUTDOWN_COMMUNICATION_MAX_LEGACY) {
    text = `invalid Shutdown Communication (too large) length : ${length} [${hexString(payload)}]`;
  } else {
    try {
      const decoded = utf8Strict.decode(payload.subarray(0, length)).replace(/[\r\n]/g, ' ');
      text = `Shutdown Communication: "${decoded}"`;
      const trailer = payload.subarray(length);
      if (trailer.length) text += `, trailing data: ${hexString(trailer)}`;
    } catch {
      text = `invalid Shutdown Communication (invalid UTF-8) length : ${length} [${hexString(payload)}]`;
    }
  }
  return utf8Encoder.encode(text);
}

export function notificationJson(message: NotificationMessage): string {
  const data = notificationDisplayData(message);
  return (
    `{ "code": ${message.code}, "subcode": ${message.subcode}, "data": "${hexString(data)}", ` +
    `"message": ${pyJsonString(utf8.decode(data))} }`
  );
}
