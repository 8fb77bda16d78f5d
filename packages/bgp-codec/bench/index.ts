/**
 * bgp-codec throughput (mitata). Run: `pnpm --filter bgp-codec bench`.
 * Each figure is printed beside the target for this 2-core machine, and the codec's typical-UPDATE
 * decode beside a bare hand-written decoder measured in the same run (the ratio is what to compare across
 * machines; absolute rates move with load).
 */
import { bench, do_not_optimize, run } from 'mitata';
import { FrameParser } from '../src/framing.js';
import { decodeMessage } from '../src/message.js';
import { decodeUpdate, encodeUpdate, writeUpdate } from '../src/update.js';
import { ByteWriter } from '../src/writer.js';
import { bareDecodeUpdate } from './baseline.js';
import {
  CTX,
  FULL,
  FULL_BYTES,
  FULL_PREFIXES,
  FULL_STREAM,
  IPV6,
  IPV6_BYTES,
  MIXED_STREAM,
  TYPICAL,
  TYPICAL_BYTES,
} from './messages.js';

const writer = new ByteWriter(8192);

bench('typical UPDATE decode (decodeMessage)', () => do_not_optimize(decodeMessage(TYPICAL_BYTES, CTX)));
bench('typical UPDATE decode (decodeUpdate, body)', () =>
  do_not_optimize(decodeUpdate(TYPICAL_BYTES.subarray(19), CTX)),
);
bench('typical UPDATE decode (bare hand-written loop)', () => do_not_optimize(bareDecodeUpdate(TYPICAL_BYTES)));
bench('typical UPDATE encode (encodeUpdate, new array)', () => do_not_optimize(encodeUpdate(TYPICAL, CTX)));
bench('typical UPDATE encode (writeUpdate, reused writer)', () => {
  writer.reset();
  do_not_optimize(writeUpdate(writer, TYPICAL, CTX));
});
bench(`4096-byte UPDATE decode (${FULL_PREFIXES} /24s)`, () => do_not_optimize(decodeMessage(FULL_BYTES, CTX)));
bench('4096-byte UPDATE encode', () => do_not_optimize(encodeUpdate(FULL, CTX)));
bench('IPv6 MP_REACH UPDATE decode', () => do_not_optimize(decodeMessage(IPV6_BYTES, CTX)));
bench('IPv6 MP_REACH UPDATE encode', () => do_not_optimize(encodeUpdate(IPV6, CTX)));

function frameAll(stream: Uint8Array, chunk: number): number {
  const parser = new FrameParser();
  let frames = 0;
  for (let at = 0; at < stream.length; at += chunk) {
    parser.push(stream.subarray(at, Math.min(stream.length, at + chunk)));
    while (parser.next() !== undefined) frames++;
  }
  return frames;
}
bench('FrameParser, mixed stream, pushed whole', () => do_not_optimize(frameAll(MIXED_STREAM, MIXED_STREAM.length)));
bench('FrameParser, mixed stream, 64 KiB chunks', () => do_not_optimize(frameAll(MIXED_STREAM, 65536)));
bench('FrameParser, 4096-byte messages, 64 KiB chunks', () => do_not_optimize(frameAll(FULL_STREAM, 65536)));

const { benchmarks } = await run();

const avg = new Map<string, number>();
for (const trial of benchmarks) {
  const stats = trial.runs[0]?.stats;
  if (stats) avg.set(trial.alias, stats.avg);
}
const perSecond = (name: string) => 1e9 / (avg.get(name) ?? Number.NaN);
const fmt = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const gbps = (name: string, bytes: number) => (perSecond(name) * bytes) / 1e9;

const rows: Array<[string, string, string, string]> = [];
const row = (what: string, value: number, unit: string, target?: number) =>
  rows.push([
    what,
    `${fmt(value)}${unit}`,
    target ? `${fmt(target)}${unit}` : '',
    target ? `${(value / target).toFixed(2)}x` : '',
  ]);

const typicalDecode = perSecond('typical UPDATE decode (decodeMessage)');
const bare = perSecond('typical UPDATE decode (bare hand-written loop)');
row('typical UPDATE decoded', typicalDecode, '/s', 3_000_000);
row('typical UPDATE decoded, body only', perSecond('typical UPDATE decode (decodeUpdate, body)'), '/s', 3_000_000);
row('typical UPDATE, bare hand-written decoder', bare, '/s', 9_000_000);
row(
  'typical UPDATE encoded (new array)',
  perSecond('typical UPDATE encode (encodeUpdate, new array)'),
  '/s',
  2_000_000,
);
row(
  'typical UPDATE encoded (reused writer)',
  perSecond('typical UPDATE encode (writeUpdate, reused writer)'),
  '/s',
  2_000_000,
);
const fullName = `4096-byte UPDATE decode (${FULL_PREFIXES} /24s)`;
row('4096-byte UPDATE decoded', perSecond(fullName), '/s');
row('  as prefixes decoded', perSecond(fullName) * FULL_PREFIXES, ' prefixes/s', 20_000_000);
row('4096-byte UPDATE encoded', perSecond('4096-byte UPDATE encode'), '/s');
row('  as prefixes encoded', perSecond('4096-byte UPDATE encode') * FULL_PREFIXES, ' prefixes/s');
row('IPv6 MP_REACH UPDATE decoded', perSecond('IPv6 MP_REACH UPDATE decode'), '/s');
row('IPv6 MP_REACH UPDATE encoded', perSecond('IPv6 MP_REACH UPDATE encode'), '/s');
const framing = (label: string, name: string, bytes: number) =>
  rows.push([label, `${gbps(name, bytes).toFixed(2)} GB/s`, '2.00 GB/s', `${(gbps(name, bytes) / 2).toFixed(2)}x`]);
framing(
  `framing, mixed stream (${(MIXED_STREAM.length / 2 ** 20).toFixed(1)} MiB) whole`,
  'FrameParser, mixed stream, pushed whole',
  MIXED_STREAM.length,
);
framing('framing, mixed stream, 64 KiB chunks', 'FrameParser, mixed stream, 64 KiB chunks', MIXED_STREAM.length);
framing(
  'framing, 4096-byte messages, 64 KiB chunks',
  'FrameParser, 4096-byte messages, 64 KiB chunks',
  FULL_STREAM.length,
);

const widths = [0, 1, 2, 3].map((c) =>
  Math.max(...rows.map((r) => r[c]!.length), ['figure', 'measured', 'target', 'ratio'][c]!.length),
);
const line = (r: readonly string[]) =>
  r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
console.log(`\n${line(['figure', 'measured', 'target', 'ratio'])}`);
for (const r of rows) console.log(line(r));
console.log(
  `\ncodec decode / bare hand-written decode of the typical UPDATE: ${(typicalDecode / bare).toFixed(2)} (same run)`,
);
console.log(
  `typical UPDATE ${TYPICAL_BYTES.length} bytes, IPv6 UPDATE ${IPV6_BYTES.length} bytes, full UPDATE ${FULL_BYTES.length} bytes`,
);
