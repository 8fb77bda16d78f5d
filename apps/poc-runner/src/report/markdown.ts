import type { Report } from '../model.js';

const num = (v: number | string): string =>
  typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)) : v;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');

export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  lines.push('# Generator reactor vs async I/O: the eight-step evaluation', '');
  lines.push(`Generated ${report.generatedAt} in ${report.seconds.toFixed(1)} s.`, '');
  lines.push(...Object.entries(report.environment).map(([k, v]) => `- ${k}: ${v}`), '');
  lines.push(`## Decision: **${report.decision.verdict}**`, '', ...report.decision.reasons.map((r) => `- ${r}`), '');
  lines.push('## Criteria', '', '| criterion | measured | threshold | verdict |', '|---|---|---|---|');
  for (const c of report.criteria) {
    lines.push(
      `| ${cell(c.title)} | ${cell(`${num(c.measured)} ${c.unit}`)} | ${cell(c.threshold)} | ${c.verdict.toUpperCase()} |`,
    );
  }
  lines.push('');
  for (const c of report.criteria) lines.push(`### ${c.title}`, '', '```', c.detail, '```', '');
  lines.push('## Steps', '', '| # | step | status | checks | seconds |', '|---|---|---|---|---|');
  for (const s of report.steps) {
    const ok = s.checks.filter((c) => c.ok).length;
    lines.push(
      `| ${s.number} | ${cell(s.title)} | ${s.status.toUpperCase()}${s.reason ? ` (${cell(s.reason)})` : ''} | ${ok}/${s.checks.length} | ${s.seconds.toFixed(1)} |`,
    );
  }
  lines.push('');
  for (const s of report.steps) {
    lines.push(`### Step ${s.number}: ${s.title} — ${s.status.toUpperCase()}`, '');
    if (s.reason) lines.push(s.reason, '');
    for (const [k, v] of Object.entries(s.figures)) lines.push(`- ${k}: ${typeof v === 'number' ? num(v) : v}`);
    if (Object.keys(s.figures).length) lines.push('');
    for (const c of s.checks)
      lines.push(`- ${c.ok ? 'PASS' : 'FAIL'} ${c.mode ? `[${c.mode}] ` : ''}${c.name}: ${c.detail}`);
    if (s.checks.length) lines.push('');
    for (const n of s.notes) lines.push(...(n.includes('\n') ? ['```', n, '```', ''] : [n, '']));
  }
  return `${lines.join('\n')}\n`;
}
