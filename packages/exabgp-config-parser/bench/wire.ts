/**
 * Routes -> UPDATE bytes: generated configurations of 100,000 and 1,000,000 routes parsed, then every
 * message the neighbor sends once established built (UPDATEs grouped as ExaBGP groups them, End-of-RIB).
 * Prints parse time, UPDATE time, their sum against the 10 s target for a million routes, and the UPDATE
 * stage with `group-updates false` as a ratio of the grouped one (one UPDATE per route).
 *
 *   pnpm exec tsx --conditions=source bench/wire.ts        (or through bench/index.ts)
 */

import { pathToFileURL } from 'node:url';
import { negotiate, type OpenMessage } from 'bgp-codec';
import { parseConfiguration } from '../src/index.js';
import type { Neighbor } from '../src/model.js';
import { initialMessagesFor, openFor } from '../src/wire/index.js';
import { generateRoutesConfig } from './generate.js';
import { formatMs, time } from './timing.js';

/** The neighbor's messages after the OPEN exchange with a peer echoing its capabilities; count and bytes. */
function buildUpdates(neighbor: Neighbor): { messages: number; bytes: number } {
  const ours = openFor(neighbor);
  // the peer answers with the same capabilities (ExaBGP's functional-test peer does)
  const theirs: OpenMessage = { ...ours };
  let messages = 0;
  let bytes = 0;
  for (const message of initialMessagesFor(neighbor, negotiate(ours, theirs))) {
    messages++;
    bytes += message.length;
  }
  return { messages, bytes };
}

export function benchWire(count: number, runs: number): void {
  const text = generateRoutesConfig({ routes: count, blockShare: 0.1 });
  let neighbor: Neighbor | undefined;
  const parse = time(() => {
    neighbor = parseConfiguration(text, `routes-${count}.conf`).neighbors[0];
    return neighbor;
  }, runs);
  if (neighbor === undefined || neighbor.routes.length !== count) throw new Error(`expected ${count} routes`);
  const parsed = neighbor;
  let grouped = { messages: 0, bytes: 0 };
  const updates = time(() => {
    grouped = buildUpdates(parsed);
    return grouped;
  }, runs);
  const ungroupedNeighbor: Neighbor = { ...parsed, groupUpdates: false };
  let single = { messages: 0, bytes: 0 };
  const ungrouped = time(() => {
    single = buildUpdates(ungroupedNeighbor);
    return single;
  }, runs);
  // every route must be on the wire: ungrouped there is one UPDATE per route plus the End-of-RIB
  if (single.messages !== count + 1) throw new Error(`ungrouped: ${single.messages} messages for ${count} routes`);

  const total = parse.medianMs + updates.medianMs;
  // CPU time (timing.ts measures it where available) moves less than wall time on a shared machine
  const cpu = (t: object) => (t as { cpuMedianMs?: number }).cpuMedianMs;
  const cpuParse = cpu(parse);
  const cpuUpdates = cpu(updates);
  const n = count.toLocaleString('en');
  console.log(
    `wire ${n} routes: parse ${formatMs(parse.medianMs)} + UPDATEs ${formatMs(updates.medianMs)} = ${formatMs(total)} ` +
      `(median of ${runs}; ${grouped.messages.toLocaleString('en')} messages, ${(grouped.bytes / 1e6).toFixed(1)} MB, ` +
      `${Math.round(count / (updates.medianMs / 1000)).toLocaleString('en')} routes/s into UPDATEs)`,
  );
  console.log(
    `wire ${n} routes, group-updates false: ${formatMs(ungrouped.medianMs)} for ${single.messages.toLocaleString('en')} ` +
      `messages (${(single.bytes / 1e6).toFixed(1)} MB), x${(ungrouped.medianMs / updates.medianMs).toFixed(2)} the grouped time`,
  );
  if (cpuParse !== undefined && cpuUpdates !== undefined) {
    console.log(
      `wire ${n} routes, CPU: parse ${formatMs(cpuParse)} + UPDATEs ${formatMs(cpuUpdates)} = ${formatMs(cpuParse + cpuUpdates)}`,
    );
  }
  if (count === 1_000_000) {
    console.log(
      `target: 1,000,000 routes parsed and turned into UPDATEs in under 10 s: ${formatMs(total)} wall, ${total < 10_000 ? 'met' : 'MISSED'}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(`node ${process.version}, ${process.arch}`);
  benchWire(100_000, 5);
  benchWire(1_000_000, 3);
}
