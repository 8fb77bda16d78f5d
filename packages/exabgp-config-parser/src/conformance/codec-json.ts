import type { BgpMessage } from 'bgp-codec';
import * as codec from 'bgp-codec';

/** The session a message belongs to, as ExaBGP's JSON neighbor block shows it (the codec's ExabgpNeighbor). */
export interface JsonNeighbor {
  readonly localAddress: string;
  readonly peerAddress: string;
  readonly localAs: number;
  readonly peerAs: number;
  readonly routerId?: string;
}

/** The options of the codec's `exabgpJson`. */
export interface JsonOptions {
  readonly neighbor: JsonNeighbor;
  readonly direction: string;
  readonly counter?: number;
  readonly time: number;
  readonly host: string;
  readonly pid: number;
  readonly ppid: number;
}

type Printer = (message: BgpMessage, options: JsonOptions) => string;

/**
 * The codec's ExaBGP JSON printer (`exabgpJson`), looked up at run time so that the conformance run reports
 * its absence as failures instead of not building.
 */
export function exabgpJsonPrinter(): Printer | undefined {
  const printer = (codec as unknown as Record<string, unknown>).exabgpJson;
  return typeof printer === 'function' ? (printer as Printer) : undefined;
}
