import { type BenchmarkResult, formatNumber } from './harness.js';
import type { Summary } from './stats.js';

const spread = (s: Summary | undefined): string =>
  s && s.n > 0 ? `${formatNumber(s.median)} [${formatNumber(s.min)}..${formatNumber(s.max)}]` : 'n/a';

/** Plain-text table: per scenario and mode, median [min..max] of the headline figures, then the ratios. */
export function formatTable(result: BenchmarkResult): string {
  const lines: string[] = [];
  const columns: [string, string][] = [
    ['messagesPerSecond', 'msg/s'],
    ['bytesPerSecond', 'B/s'],
    ['routesPerSecond', 'routes/s'],
    ['cpuMicrosecondsPerMessage', 'CPU µs/msg'],
    ['senderAllocatedBytesPerMessage', 'tx alloc B/msg'],
    ['idleCorePercent', 'idle core %'],
    ['heapBytesPerSession', 'heap B/session'],
    ['keepaliveLateMaxMicroseconds', 'KEEPALIVE late max µs'],
  ];
  for (const scenario of result.scenarios) {
    lines.push('', `${scenario.title} — ${scenario.description}`);
    const used = columns.filter(([key]) => scenario.modes.some((m) => m.summary[key]));
    const header = ['mode', ...used.map(([, label]) => label), 'p50/p99 recv µs', 'syscalls/msg tx+rx'];
    const rows = scenario.modes.map((m) => {
      const recv = m.latency.receive;
      const sys =
        'notMeasured' in m.syscalls
          ? 'not measured'
          : formatNumber(
              (m.syscalls.sender.totalPerMessage ?? Number.NaN) + (m.syscalls.receiver.totalPerMessage ?? 0),
            );
      return [
        m.mode,
        ...used.map(([key]) => spread(m.summary[key])),
        recv ? `${formatNumber(recv.p50Us)}/${formatNumber(recv.p99Us)}` : '-',
        sys,
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    lines.push(fmt(header), ...rows.map(fmt));
    for (const [name, s] of Object.entries(scenario.ratios)) {
      lines.push(`  ratio ${name} of ${scenario.primary.metric}: ${spread(s)}`);
    }
    for (const e of scenario.errors) lines.push(`  error: ${e}`);
  }
  for (const u of result.unavailable) lines.push(`not measured: ${u.mode}: ${u.reason}`);
  return lines.join('\n');
}
