// The usage report (GET /usage): per tool, what was called, how it went, and what to change.
import { api } from './api.js';
import { $, fillRows, styled } from './page.js';

const listItems = (selector, texts) => {
  $(selector).replaceChildren(
    ...texts.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }),
  );
};

// The usage report is an admin's: as anyone else the API's 403 is shown as it comes.
export const loadUsage = async () => {
  const body = $('#usage tbody');
  try {
    const report = await api('GET', `/usage?since=${encodeURIComponent($('#usage-since').value)}`);
    $('#usage-note').textContent =
      `${report.records} audit records from ${report.since.slice(0, 16)} to ${report.until.slice(0, 16)} (UTC).${
        report.neverCalled.length > 0 ? ` Never called: ${report.neverCalled.join(', ')}.` : ''
      }`;
    fillRows(
      body,
      report.tools,
      (tool) => [
        tool.tool,
        tool.calls,
        tool.successRate === null ? '-' : `${Math.round(tool.successRate * 100)}%`,
        Object.entries(tool.errorsByCode)
          .map(([code, n]) => `${code} ${n}`)
          .join(', '),
        tool.throttles,
        styled(tool.breakerOpenings, tool.breakerOpenings > 0 ? 'status-failed' : undefined),
        `${tool.approvals.approved} / ${tool.approvals.denied} / ${tool.approvals.expired}`,
        tool.durationMs?.p50 ?? '-',
        tool.durationMs?.p95 ?? '-',
      ],
      (row, tool) => (row.dataset.tool = tool.tool),
    );
    listItems(
      '#usage-arguments',
      report.tools.flatMap((t) => t.failingArguments.map((a) => `${t.tool}.${a.argument}: ${a.rule} (${a.count})`)),
    );
    listItems(
      '#usage-suggestions',
      report.suggestions.map((s) => s.text),
    );
  } catch (error) {
    body.replaceChildren();
    $('#usage-note').textContent = error.message;
  }
};
