/**
 * `--print-received`: each message received, one line of ExaBGP JSON, as ExaBGP's API hands it to a process
 * with `encoder json` and `receive { parsed; ... }` (direction "receive", a per-neighbor counter).
 */
import { hostname } from 'node:os';
import { type CodecContext, DEFAULT_CONTEXT, decodeMessage, type ExabgpNeighbor, exabgpJson } from 'bgp-codec';

const HOST = hostname();

/**
 * The JSON line for one received message, or an error text when it cannot be rendered (a message the
 * codec refuses, which the session answers with a NOTIFICATION, or a type ExaBGP has no JSON for).
 * `context` is the session's negotiated one; before the OPEN exchange, the default.
 */
export function receivedJson(
  message: Uint8Array,
  context: CodecContext | undefined,
  neighbor: ExabgpNeighbor,
  counter: number,
  time = Date.now() / 1000,
): { line: string } | { error: string } {
  try {
    const decoded = decodeMessage(message, context ?? DEFAULT_CONTEXT);
    const line = exabgpJson(decoded, {
      neighbor,
      direction: 'receive',
      counter,
      time,
      host: HOST,
      pid: process.pid,
      ppid: process.ppid,
    });
    return { line };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
