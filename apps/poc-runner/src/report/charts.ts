import type { BenchmarkResult, ScenarioResult } from 'bench';
import type { Series } from '../model.js';

function barsOf(s: ScenarioResult, metric: string, title: string, unit: string, scale = 1): Series | undefined {
  const bars = s.modes
    .map((m) => ({ mode: m.mode, sum: m.summary[metric] }))
    .filter((b) => b.sum && b.sum.n > 0)
    .map((b) => ({
      label: b.mode,
      value: (b.sum?.median ?? Number.NaN) * scale,
      low: (b.sum?.min ?? Number.NaN) * scale,
      high: (b.sum?.max ?? Number.NaN) * scale,
    }));
  return bars.length ? { title: `${s.title}: ${title}`, unit, kind: 'bars', bars } : undefined;
}

/** The benchmark's charts: throughput per mode, latency distributions, CPU and memory. */
export function benchmarkCharts(result: BenchmarkResult): Series[] {
  const out: Series[] = [];
  const push = (s: Series | undefined): void => {
    if (s) out.push(s);
  };
  for (const s of result.scenarios) {
    if (s.primary.metric === 'messagesPerSecond') {
      push(barsOf(s, 'messagesPerSecond', 'throughput, median and range', 'messages/s'));
      push(barsOf(s, 'cpuMicrosecondsPerMessage', 'CPU per message', 'µs'));
      const lines = s.modes
        .filter((m) => m.latency.receive)
        .map((m) => ({
          name: m.mode,
          points: (m.latency.receive?.histogram ?? []).map((b) => [Math.log2(b.highUs), b.count] as [number, number]),
        }));
      if (lines.length) {
        out.push({
          title: `${s.title}: send→receive latency distribution`,
          unit: 'messages per bucket',
          kind: 'lines',
          lines,
          xUnit: 'log2 µs (bucket upper bound)',
        });
      }
    }
  }
  for (const s of result.scenarios) {
    if (s.id === 'idle-100') push(barsOf(s, 'idleCorePercent', 'CPU of both processes', '% of one core'));
    if (s.id === 'sessions-1000') push(barsOf(s, 'heapBytesPerSession', 'heap per session after GC', 'bytes'));
    if (s.id === 'keepalive-jitter')
      push(barsOf(s, 'keepaliveLateMaxMicroseconds', 'longest KEEPALIVE delay during the stream', 'µs'));
  }
  const scaling = result.scenarios.filter((s) => /^scale-\d+$/.test(s.id));
  if (scaling.length) {
    const modes = [...new Set(scaling.flatMap((s) => s.modes.map((m) => m.mode)))];
    out.push({
      title: 'Scalability: throughput by peer count',
      unit: 'messages/s',
      kind: 'lines',
      xUnit: 'peers',
      lines: modes.map((mode) => ({
        name: mode,
        points: scaling.map(
          (s) =>
            [
              Number(s.id.slice(6)),
              s.modes.find((m) => m.mode === mode)?.summary.messagesPerSecond?.median ?? Number.NaN,
            ] as [number, number],
        ),
      })),
    });
  }
  return out;
}
