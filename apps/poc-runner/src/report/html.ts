import type { Report } from '../model.js';
import { benchmarkCharts } from './charts.js';
import { chart, escapeXml } from './svg.js';

const num = (v: number | string): string =>
  typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : v;

/** report.html: one self-contained page (inline CSS and SVG, no script, no network). */
export function renderHtml(report: Report): string {
  const e = escapeXml;
  const go = report.decision.verdict === 'GO';
  let html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PoC report: ${e(report.decision.verdict)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#111}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}
.pass{color:#15803d;font-weight:bold}.fail{color:#b91c1c;font-weight:bold}.not-run{color:#6b7280;font-weight:bold}
.verdict{font-size:2rem;padding:.5rem 1rem;display:inline-block;border-radius:6px;color:#fff;background:${go ? '#15803d' : '#b91c1c'}}
svg.chart{display:block;margin:1rem 0;background:#fafafa;border:1px solid #eee}pre{white-space:pre-wrap;font-size:12px}
</style></head><body>
<h1>Generator reactor vs async I/O: the eight-step evaluation</h1>
<p>Generated ${e(report.generatedAt)} in ${report.seconds.toFixed(1)} s. ${e(
    Object.entries(report.environment)
      .map(([k, v]) => `${k}: ${v}`)
      .join(' · '),
  )}</p>
<p class="verdict" id="decision">${e(report.decision.verdict)}</p>
<ul>${report.decision.reasons.map((r) => `<li>${e(r)}</li>`).join('')}</ul>
<h2>Criteria</h2><table id="criteria"><tr><th>criterion</th><th>measured</th><th>threshold</th><th>verdict</th><th>detail</th></tr>`;
  for (const c of report.criteria) {
    html += `<tr><td>${e(c.title)}</td><td>${e(num(c.measured))} ${e(c.unit)}</td><td>${e(c.threshold)}</td><td class="${c.verdict}">${c.verdict.toUpperCase()}</td><td><pre>${e(c.detail)}</pre></td></tr>`;
  }
  html +=
    '</table><h2>Steps</h2><table id="steps"><tr><th>#</th><th>step</th><th>status</th><th>seconds</th><th>checks</th></tr>';
  for (const s of report.steps) {
    const failed = s.checks.filter((c) => !c.ok);
    html += `<tr><td>${s.number}</td><td>${e(s.title)}${s.reason ? `<br><small>${e(s.reason)}</small>` : ''}</td><td class="${s.status}">${s.status.toUpperCase()}</td><td>${s.seconds.toFixed(1)}</td><td>${s.checks.length - failed.length}/${s.checks.length} passed${failed.length ? `<pre>${e(failed.map((c) => `${c.mode ? `[${c.mode}] ` : ''}${c.name}: ${c.detail}`).join('\n'))}</pre>` : ''}</td></tr>`;
  }
  html += '</table>';
  const charts = [
    ...(report.benchmark ? benchmarkCharts(report.benchmark) : []),
    ...report.steps.flatMap((s) => s.charts),
  ];
  html += `<h2>Charts</h2>${charts.map(chart).join('\n') || '<p>No chart: no step produced figures.</p>'}`;
  for (const s of report.steps) {
    html += `<h2>Step ${s.number}: ${e(s.title)}</h2><p class="${s.status}">${s.status.toUpperCase()}</p>`;
    const figures = Object.entries(s.figures);
    if (figures.length) {
      html += `<table>${figures.map(([k, v]) => `<tr><td>${e(k)}</td><td>${e(typeof v === 'number' ? num(v) : v)}</td></tr>`).join('')}</table>`;
    }
    if (s.checks.length) {
      html += `<table><tr><th>check</th><th>mode</th><th>result</th><th>detail</th></tr>${s.checks.map((c) => `<tr><td>${e(c.name)}</td><td>${e(c.mode ?? '')}</td><td class="${c.ok ? 'pass' : 'fail'}">${c.ok ? 'PASS' : 'FAIL'}</td><td>${e(c.detail)}</td></tr>`).join('')}</table>`;
    }
    for (const n of s.notes) html += n.includes('\n') ? `<pre>${e(n)}</pre>` : `<p>${e(n)}</p>`;
  }
  html += `<p>Machine-readable: report.json (schema ${e(report.schema)}).</p></body></html>\n`;
  return html;
}
