import { FIGURE_COLUMNS, formattedFigures, percent, usd, type CaseSummary, type EvalReport } from './eval-report.ts';

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/** One horizontal bar per case: its pass rate (green) over its tool-selection accuracy (outline). */
const chart = (cases: readonly CaseSummary[]) => {
  const rowHeight = 22;
  const labelWidth = 300;
  const barWidth = 360;
  const height = cases.length * rowHeight + 30;
  const rows = cases.map((c, i) => {
    const y = i * rowHeight + 4;
    const pass = Math.round(c.passRate * barWidth);
    const selection = Math.round(c.selectionAccuracy * barWidth);
    return `<g transform="translate(0,${y})">
  <text x="${labelWidth - 8}" y="14" text-anchor="end">${escape(c.name.slice(0, 44))}</text>
  <rect x="${labelWidth}" y="2" width="${barWidth}" height="16" class="track"/>
  <rect x="${labelWidth}" y="2" width="${pass}" height="16" class="${c.passRate === 1 ? 'pass' : c.passRate === 0 ? 'fail' : 'part'}"/>
  <rect x="${labelWidth}" y="2" width="${selection}" height="16" class="selection"/>
  <text x="${labelWidth + barWidth + 8}" y="14">${percent(c.passRate)}</text>
</g>`;
  });
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<text x="${labelWidth + t * barWidth}" y="${height - 6}" text-anchor="middle" class="axis">${t * 100}%</text>`)
    .join('');
  return `<svg role="img" aria-label="Pass rate per case" width="${labelWidth + barWidth + 60}" height="${height}" xmlns="http://www.w3.org/2000/svg">${rows.join('')}${axis}</svg>`;
};

const cells = (f: EvalReport['overall'] | CaseSummary) =>
  formattedFigures(f)
    .map((v) => `<td class="num">${escape(v)}</td>`)
    .join('');

/**
 * The report as one self-contained HTML page (no script, no request: it opens from disk or a CI
 * artifact): the verdict, a chart of each case's pass rate, and the table of figures.
 */
export const reportHtml = (report: EvalReport): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Eval ${escape(report.at)}: ${percent(report.overall.passRate)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
.meta { color: #59636e; margin-bottom: 1rem; }
.verdict { display: inline-block; padding: .2rem .6rem; border-radius: 4px; font-weight: 600; color: #fff; }
.verdict.ok { background: #1a7f37; } .verdict.ko { background: #cf222e; }
.tiles { display: flex; gap: 1rem; margin: 1rem 0; flex-wrap: wrap; }
.tile { border: 1px solid #d1d9e0; border-radius: 6px; padding: .6rem 1rem; min-width: 8rem; }
.tile b { display: block; font-size: 1.4rem; }
svg text { font-size: 12px; fill: #1f2328; } svg .axis { fill: #59636e; }
svg .track { fill: #f0f2f4; } svg .pass { fill: #1a7f37; } svg .part { fill: #bf8700; } svg .fail { fill: #cf222e; }
svg .selection { fill: none; stroke: #0969da; stroke-width: 1.5; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { border-bottom: 1px solid #d1d9e0; padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.overall td { font-weight: 600; border-top: 2px solid #1f2328; }
.failures { color: #cf222e; font-size: 12px; }
</style>
</head>
<body>
<h1>Tool-use eval <span class="verdict ${report.passed ? 'ok' : 'ko'}">${report.passed ? 'PASSED' : 'FAILED'}</span></h1>
<div class="meta">${escape(report.at)} · model: ${escape(report.model)} · target: ${escape(report.target)} · threshold: pass rate ${percent(report.threshold)}</div>
<div class="tiles">
<div class="tile"><b>${percent(report.overall.passRate)}</b>pass rate</div>
<div class="tile"><b>${percent(report.overall.selectionAccuracy)}</b>tool selection</div>
<div class="tile"><b>${percent(report.overall.argumentMatchRate)}</b>argument match</div>
<div class="tile"><b>${report.overall.cases}</b>cases, ${report.overall.repetitions} runs</div>
<div class="tile"><b>${usd(report.overall.costUsd)}</b>mean cost per run</div>
<div class="tile"><b>${report.overall.latencyP50Ms.toFixed(0)} ms</b>p50 latency</div>
</div>
<h2>Pass rate per case <small>(bar: pass rate; outline: tool selection)</small></h2>
${chart(report.cases)}
<table>
<thead><tr><th>case</th><th>role</th>${FIGURE_COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr></thead>
<tbody>
${report.cases
  .map(
    (c) =>
      `<tr><td>${escape(c.name)}${c.failures.length > 0 ? `<div class="failures">${c.failures.map(escape).join('<br>')}</div>` : ''}</td><td>${escape(c.role)}</td>${cells(c)}</tr>`,
  )
  .join('\n')}
<tr class="overall"><td>overall</td><td></td>${cells(report.overall)}</tr>
</tbody>
</table>
<p class="meta">Refused, approval and iterations are means per run. Tokens are as the provider reported them; cost is tokens times the prices given to <code>npm run eval</code>.</p>
</body>
</html>
`;
