import type { Series } from '../model.js';

/** Inline SVG charts for report.html: no script, no external file, every mark carries its value as a title. */
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 10 || a === 0) return v.toFixed(0);
  return v.toPrecision(3);
}

/** Horizontal bars, one per label, with a whisker for the spread (low..high) when given. */
export function barChart(series: Series): string {
  const bars = (series.bars ?? []).filter((b) => Number.isFinite(b.value));
  if (bars.length === 0) return '';
  const labelWidth = 170;
  const width = 640;
  const row = 26;
  const height = bars.length * row + 36;
  const max = Math.max(...bars.map((b) => Math.max(b.value, b.high ?? 0))) || 1;
  const scale = (v: number): number => ((width - labelWidth - 70) * v) / max;
  let body = '';
  bars.forEach((b, i) => {
    const y = 24 + i * row;
    const w = Math.max(1, scale(b.value));
    const color = COLORS[i % COLORS.length];
    body += `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end" font-size="12">${escapeXml(b.label)}</text>`;
    body += `<rect class="bar" data-value="${b.value}" x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${row - 8}" fill="${color}"><title>${escapeXml(`${b.label}: ${fmt(b.value)} ${series.unit}`)}</title></rect>`;
    if (b.low !== undefined && b.high !== undefined && Number.isFinite(b.low) && Number.isFinite(b.high)) {
      const x1 = labelWidth + scale(b.low);
      const x2 = labelWidth + scale(b.high);
      const cy = y + (row - 8) / 2;
      body += `<line x1="${x1.toFixed(1)}" x2="${x2.toFixed(1)}" y1="${cy}" y2="${cy}" stroke="#111" stroke-width="1.5"/>`;
      body += `<line x1="${x1.toFixed(1)}" x2="${x1.toFixed(1)}" y1="${cy - 5}" y2="${cy + 5}" stroke="#111"/>`;
      body += `<line x1="${x2.toFixed(1)}" x2="${x2.toFixed(1)}" y1="${cy - 5}" y2="${cy + 5}" stroke="#111"/>`;
    }
    body += `<text x="${labelWidth + Math.max(w, b.high !== undefined ? scale(b.high) : 0) + 6}" y="${y + 14}" font-size="11">${fmt(b.value)}</text>`;
  });
  return `<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="4" y="14" font-size="13" font-weight="bold">${escapeXml(series.title)} (${escapeXml(series.unit)})</text>${body}</svg>`;
}

/** Lines over a shared x axis (a log y axis when the values span more than two decades). */
export function lineChart(series: Series): string {
  const lines = (series.lines ?? []).map((l) => ({
    ...l,
    points: l.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  }));
  const all = lines.flatMap((l) => l.points);
  if (all.length === 0) return '';
  const width = 640;
  const height = 260;
  const left = 60;
  const bottom = 40;
  const top = 24;
  const right = 150;
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const yMin = Math.min(...ys);
  const yMax = Math.max(...ys);
  const log = yMin > 0 && yMax / yMin > 100;
  const ty = (v: number): number => (log ? Math.log10(v) : v);
  const lo = log ? ty(yMin) : Math.min(0, yMin);
  const hi = ty(yMax) === lo ? lo + 1 : ty(yMax);
  const px = (x: number): number => left + ((width - left - right) * (x - x0)) / (x1 - x0 || 1);
  const py = (y: number): number => top + (height - top - bottom) * (1 - (ty(y) - lo) / (hi - lo));
  let body = `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#999"/>`;
  body += `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#999"/>`;
  body += `<text x="${left - 4}" y="${top + 4}" text-anchor="end" font-size="10">${fmt(yMax)}</text>`;
  body += `<text x="${left - 4}" y="${height - bottom}" text-anchor="end" font-size="10">${fmt(log ? yMin : Math.min(0, yMin))}</text>`;
  body += `<text x="${left}" y="${height - bottom + 14}" font-size="10">${fmt(x0)}</text>`;
  body += `<text x="${width - right}" y="${height - bottom + 14}" text-anchor="end" font-size="10">${fmt(x1)} ${escapeXml(series.xUnit ?? '')}</text>`;
  lines.forEach((l, i) => {
    const color = COLORS[i % COLORS.length];
    const d = l.points.map(([x, y], j) => `${j ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    body += `<path class="series" data-points="${l.points.length}" d="${d}" fill="none" stroke="${color}" stroke-width="2"><title>${escapeXml(l.name)}</title></path>`;
    for (const [x, y] of l.points.length <= 40 ? l.points : []) {
      body += `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeXml(`${l.name}: ${fmt(x)} → ${fmt(y)} ${series.unit}`)}</title></circle>`;
    }
    body += `<rect x="${width - right + 10}" y="${top + i * 16}" width="10" height="10" fill="${color}"/><text x="${width - right + 24}" y="${top + i * 16 + 9}" font-size="11">${escapeXml(l.name)}</text>`;
  });
  return `<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="4" y="14" font-size="13" font-weight="bold">${escapeXml(series.title)} (${escapeXml(series.unit)}${log ? ', log scale' : ''})</text>${body}</svg>`;
}

export function chart(series: Series): string {
  return series.kind === 'bars' ? barChart(series) : lineChart(series);
}
