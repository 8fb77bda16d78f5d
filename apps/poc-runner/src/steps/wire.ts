import { updateMessage } from 'bench';
import {
  ASN4_CONTEXT,
  type BgpMessage,
  decodeMessage,
  encodeMessage,
  encodeOpen,
  MessageType,
  type OpenMessage,
} from 'bgp-codec';

/** The messages steps 2-5 exchange, built with the codec, and the checks applied to what arrives. */
export function openFor(asn: number, bgpIdentifier: string, holdTime = 90): OpenMessage {
  return {
    type: 'open',
    version: 4,
    asn,
    holdTime,
    bgpIdentifier,
    capabilities: [{ type: 'multiprotocol', afi: 1, safi: 1 }, { type: 'route-refresh' }, { type: 'asn4', asn }],
  };
}

export const OPEN_A = encodeOpen(openFor(65001, '192.0.2.1'));
export const OPEN_B = encodeOpen(openFor(65002, '192.0.2.2'));
export const KEEPALIVE_BYTES = encodeMessage({ type: 'keepalive' });
export const NOTIFICATION_BYTES = encodeMessage({ type: 'notification', code: 6, subcode: 2, data: new Uint8Array(0) });
export const ROUTE_REFRESH_BYTES = encodeMessage({ type: 'route-refresh', afi: 1, safi: 1, subtype: 0 });
/** One route, 10.0.0.7/32, built by the bench's layout (ORIGIN, AS_PATH 65001, NEXT_HOP 192.0.2.1). */
export const UPDATE_BYTES = updateMessage(7);

export const TYPE_NAMES: Record<number, string> = {
  [MessageType.OPEN]: 'OPEN',
  [MessageType.UPDATE]: 'UPDATE',
  [MessageType.NOTIFICATION]: 'NOTIFICATION',
  [MessageType.KEEPALIVE]: 'KEEPALIVE',
  [MessageType.ROUTE_REFRESH]: 'ROUTE-REFRESH',
};

/**
 * Decode what arrived with the codec and encode the result again: the bytes must be those sent, and the
 * decoded message of the expected type. Returns a failure text, or undefined when it holds.
 */
export function verifyReceived(sent: Uint8Array, received: Uint8Array): { decoded?: BgpMessage; problem?: string } {
  if (!equalBytes(sent, received)) return { problem: `received ${hex(received)} but sent ${hex(sent)}` };
  let decoded: BgpMessage;
  try {
    decoded = decodeMessage(received, ASN4_CONTEXT);
  } catch (error) {
    return { problem: `decode failed: ${(error as Error).message}` };
  }
  const again = encodeMessage(decoded, ASN4_CONTEXT);
  if (!equalBytes(again, sent))
    return { decoded, problem: `decoded and encoded again: ${hex(again)}, sent ${hex(sent)}` };
  return { decoded };
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function hex(bytes: Uint8Array, max = 64): string {
  const text = Buffer.from(bytes.subarray(0, max)).toString('hex');
  return bytes.length > max ? `${text}... (${bytes.length} bytes)` : text;
}
