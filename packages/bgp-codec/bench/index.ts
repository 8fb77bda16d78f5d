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
  VPN,
  VPN_BYTES,
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
bench('MPLS VPN UPDATE decode', () => do_not_optimize(decodeMessage(VPN_BYTES, CTX)));
bench('MPLS VPN UPDATE encode', () => do_not_optimize(encodeUpdate(VPN, CTX)));

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

// Rates from the mean time per call (GC pauses included) and, for a machine shared with other work, from
// the median sample too.
const avg = new Map<string, number>();
const median = new Map<string, number>();
for (const trial of benchmarks) {
  const stats = trial.runs[0]?.stats;
  if (stats) {
    avg.set(trial.alias, stats.avg);
    median.set(trial.alias, stats.p50);
  }
}
const perSecond = (name: string) => 1e9 / (avg.get(name) ?? Number.NaN);
const perSecondMedian = (name: string) => 1e9 / (median.get(name) ?? Number.NaN);
const fmt = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);

interface Figure {
  readonly label: string;
  /** The mitata benchmark it comes from. */
  readonly bench: string;
  /** Items per call: 1 message, N prefixes, N bytes. */
  readonly per: number;
  readonly unit: '/s' | ' prefixes/s' | ' GB/s';
  readonly target?: number;
}
const GB = 1e9;
const fullName = `4096-byte UPDATE decode (${FULL_PREFIXES} /24s)`;
const figures: Figure[] = [
  { label: 'typical UPDATE decoded', bench: 'typical UPDATE decode (decodeMessage)', per: 1, unit: '/s', target: 3e6 },
  {
    label: '  body only (decodeUpdate)',
    bench: 'typical UPDATE decode (decodeUpdate, body)',
    per: 1,
    unit: '/s',
    target: 3e6,
  },
  {
    label: '  bare hand-written decoder',
    bench: 'typical UPDATE decode (bare hand-written loop)',
    per: 1,
    unit: '/s',
    target: 9e6,
  },
  {
    label: 'typical UPDATE encoded (new array)',
    bench: 'typical UPDATE encode (encodeUpdate, new array)',
    per: 1,
    unit: '/s',
    target: 2e6,
  },
  {
    label: '  into a reused writer',
    bench: 'typical UPDATE encode (writeUpdate, reused writer)',
    per: 1,
    unit: '/s',
    target: 2e6,
  },
  { label: '4096-byte UPDATE decoded', bench: fullName, per: 1, unit: '/s' },
  { label: '  as prefixes', bench: fullName, per: FULL_PREFIXES, unit: ' prefixes/s', target: 20e6 },
  { label: '4096-byte UPDATE encoded', bench: '4096-byte UPDATE encode', per: 1, unit: '/s' },
  { label: '  as prefixes', bench: '4096-byte UPDATE encode', per: FULL_PREFIXES, unit: ' prefixes/s' },
  { label: 'IPv6 MP_REACH UPDATE decoded', bench: 'IPv6 MP_REACH UPDATE decode', per: 1, unit: '/s' },
  { label: 'IPv6 MP_REACH UPDATE encoded', bench: 'IPv6 MP_REACH UPDATE encode', per: 1, unit: '/s' },
  { label: 'MPLS VPN UPDATE decoded', bench: 'MPLS VPN UPDATE decode', per: 1, unit: '/s', target: 1e6 },
  { label: 'MPLS VPN UPDATE encoded', bench: 'MPLS VPN UPDATE encode', per: 1, unit: '/s', target: 1e6 },
  {
    label: `framing, mixed ${(MIXED_STREAM.length / 2 ** 20).toFixed(1)} MiB, whole`,
    bench: 'FrameParser, mixed stream, pushed whole',
    per: MIXED_STREAM.length / GB,
    unit: ' GB/s',
    target: 2,
  },
  {
    label: 'framing, mixed, 64 KiB chunks',
    bench: 'FrameParser, mixed stream, 64 KiB chunks',
    per: MIXED_STREAM.length / GB,
    unit: ' GB/s',
    target: 2,
  },
  {
    label: 'framing, 4096-byte messages, 64 KiB chunks',
    bench: 'FrameParser, 4096-byte messages, 64 KiB chunks',
    per: FULL_STREAM.length / GB,
    unit: ' GB/s',
    target: 2,
  },
];
const show = (value: number, unit: Figure['unit']) =>
  unit === ' GB/s' ? `${value.toFixed(2)}${unit}` : `${fmt(value)}${unit}`;
const header = ['figure', 'mean', 'median', 'target', 'mean/target'];
const rows = figures.map((f) => {
  const mean = perSecond(f.bench) * f.per;
  const med = perSecondMedian(f.bench) * f.per;
  return [
    f.label,
    show(mean, f.unit),
    show(med, f.unit),
    f.target ? show(f.target, f.unit) : '',
    f.target ? `${(mean / f.target).toFixed(2)}x` : '',
  ];
});
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
const line = (r: readonly string[]) =>
  r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
console.log(`\n${line(header)}`);
for (const r of rows) console.log(line(r));
const codec = perSecond('typical UPDATE decode (decodeMessage)');
const bare = perSecond('typical UPDATE decode (bare hand-written loop)');
console.log(`\ncodec / bare hand-written decoder, typical UPDATE, same run: ${(codec / bare).toFixed(2)}`);
console.log(
  `typical UPDATE ${TYPICAL_BYTES.length} bytes, IPv6 UPDATE ${IPV6_BYTES.length} bytes, MPLS VPN UPDATE ${VPN_BYTES.length} bytes, full UPDATE ${FULL_BYTES.length} bytes (${FULL_PREFIXES} /24s)`,
);
