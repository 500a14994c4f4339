// The graphs: the dashboard's figures over a range, from the local metrics.
import { fetchLocal } from './api.js';
import { $ } from './page.js';

// uPlot (vendored from npm, served from this origin) draws each graph; one plot per graph, its data
// replaced on refresh, rebuilt only when its series change (a tool's first call, a new error code).
const PALETTE = ['#3d6fd6', '#17863f', '#c0322b', '#b9892b', '#7a4fb5', '#0f8b8d', '#d4572a', '#6b7a90', '#9c2f74', '#4a7c12'];
const plots = new Map();
const drawGraph = (id, times, series) => {
  const element = $(`#${id}`);
  const labels = Object.keys(series);
  const key = labels.join('|');
  const shown = plots.get(id);
  if (labels.length === 0) {
    shown?.plot.destroy();
    plots.delete(id);
    const empty = document.createElement('p');
    empty.className = 'graph-empty';
    empty.textContent = 'Nothing in this range.';
    element.replaceChildren(empty);
    return;
  }
  const data = [times, ...labels.map((label) => series[label])];
  if (shown?.key === key) return shown.plot.setData(data);
  shown?.plot.destroy();
  element.replaceChildren();
  const options = {
    width: Math.max(280, element.clientWidth),
    height: 180,
    scales: { x: { time: true } },
    axes: [{}, { size: 44 }],
    // Points shown: a range with one busy minute is one point, which a line alone would not draw.
    series: [
      {},
      ...labels.map((label, i) => ({
        label,
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        spanGaps: true,
        points: { show: true, size: 5 },
      })),
    ],
  };
  plots.set(id, { key, plot: new uPlot(options, data, element) });
};

/** Series with at least one point above zero: a graph shows what happened, not every tool there is. */
const nonZero = (entries) => Object.fromEntries(entries.filter(([, values]) => values.some((v) => v)));

export const refreshGraphs = async () => {
  const metrics = await fetchLocal(`/local/metrics?range=${encodeURIComponent($('#graphs-range').value)}`);
  if (!metrics?.times) return;
  const tools = Object.entries(metrics.tools);
  drawGraph('graph-calls', metrics.times, nonZero(tools.map(([tool, s]) => [tool, s.calls])));
  drawGraph('graph-tool-errors', metrics.times, nonZero(tools.map(([tool, s]) => [tool, s.errors])));
  drawGraph('graph-errors', metrics.times, nonZero(Object.entries(metrics.errorsByCode)));
  drawGraph(
    'graph-throttles',
    metrics.times,
    nonZero(
      tools.flatMap(([tool, s]) => [
        [`${tool} throttled`, s.throttles],
        [`${tool} breaker opened`, s.breakerOpened],
      ]),
    ),
  );
  drawGraph(
    'graph-duration',
    metrics.times,
    nonZero([
      ['p50', metrics.durationMs.p50],
      ['p95', metrics.durationMs.p95],
    ]),
  );
  drawGraph('graph-runs', metrics.times, nonZero(Object.entries(metrics.runsByStatus)));
  drawGraph('graph-approvals', metrics.times, nonZero(Object.entries(metrics.approvals)));
};
