// The audit trail: the selected run's records, and the admins' search and export.
import { api } from './api.js';
import { $, fillRows, state, statusCell, styled } from './page.js';

/**
 * What the deployment's policies decided for a call, from its audit record: the effect and the
 * deciding policies, then what shadow policies would have decided (recorded, never enforced).
 */
const policyText = (policy) => {
  if (!policy) return '';
  const decided = policy.deciding?.length ? `${policy.effect}: ${policy.deciding.join(', ')}` : policy.effect;
  const shadow = policy.shadow?.length ? ` · shadow: ${policy.shadow.map((s) => `${s.id} → ${s.effect}`).join(', ')}` : '';
  return `${decided}${shadow}`;
};

// A decision's record carries the call's summary, already text: shown as it is, not encoded again.
const argumentsText = (record) => (typeof record.arguments === 'string' ? record.arguments : JSON.stringify(record.arguments));

export const loadAudit = async () => {
  if (!state.selected) return;
  const token = state.started.get(state.selected)?.token ?? state.token;
  const { records } = await api('GET', `/runs/${encodeURIComponent(state.selected)}/audit`, undefined, token);
  fillRows($('#audit tbody'), records, (record) => [
    record.at.slice(11, 19),
    record.tool,
    record.userId,
    statusCell(record.status),
    record.code,
    argumentsText(record),
    styled(policyText(record.policy), 'policy'),
  ]);
};

// The audit search (admins): the filters as GET /audit's query; the same query downloads as JSON
// Lines or CSV (fetched with the token, then saved from a blob: a link alone could not carry it).
const auditQuery = (format) => {
  const query = new URLSearchParams({ since: $('#audit-since').value, format });
  for (const [name, id] of [
    ['runId', '#audit-run'],
    ['user', '#audit-user'],
    ['tool', '#audit-tool'],
    ['status', '#audit-status'],
  ])
    if ($(id).value.trim()) query.set(name, $(id).value.trim());
  return query;
};

export const searchAudit = async () => {
  const body = $('#audit-results tbody');
  try {
    const found = await api('GET', `/audit?${auditQuery('json')}`);
    // The shadow log: the records where a shadow policy would have decided something.
    const records = $('#audit-shadow').checked ? found.records.filter((r) => r.policy?.shadow?.length) : found.records;
    const { truncated } = found;
    $('#audit-note').textContent = `${records.length} records${truncated ? ' (more in the range: narrow it)' : ''}.`;
    fillRows(body, records, (record) => [
      record.at.replace('T', ' ').slice(0, 19),
      record.runId,
      record.tool,
      record.userId,
      statusCell(record.status),
      record.code,
      record.durationMs,
      argumentsText(record),
      styled(policyText(record.policy), 'policy'),
    ]);
  } catch (error) {
    body.replaceChildren();
    $('#audit-note').textContent = error.message;
  }
};

export const downloadAudit = async (format) => {
  const response = await fetch(`/audit?${auditQuery(format)}`, { headers: { authorization: `Bearer ${state.token}` } });
  if (!response.ok) {
    $('#audit-note').textContent = `HTTP ${response.status}: only admins may export the audit trail.`;
    return;
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `audit.${format === 'csv' ? 'csv' : 'jsonl'}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
};
