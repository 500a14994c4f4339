// The smaller panels: the tools' counters (the local stand-in for the dashboard), budgets, the MCP
// label, and what the embedded SES and S3 hold.
import { api, fetchLocal } from './api.js';
import { $, currentUser, fillRows, styled } from './page.js';

export const refreshTools = async () => {
  const stats = await fetchLocal('/local/tools/stats');
  // The runs filter offers the deployed tools (filled once: a choice made there stays).
  const toolFilter = $('#runs-tool');
  if (toolFilter.options.length === 1)
    for (const tool of Object.keys(stats)) {
      const option = document.createElement('option');
      option.textContent = tool;
      toolFilter.append(option);
    }
  fillRows($('#tools tbody'), Object.entries(stats), ([tool, counters]) => [
    tool,
    counters.calls,
    counters.errors,
    counters.throttles,
    styled(counters.breaker, counters.breaker === 'OPEN' ? 'status-failed' : 'status-executed'),
  ]);
};

/** The acting user's budgets over days and months (GET /budgets): empty where the deployment declares none. */
export const refreshBudgets = async () => {
  const { budgets = [] } = await api('GET', '/budgets').catch(() => ({ budgets: [] }));
  $('#budgets-panel').hidden = budgets.length === 0;
  // A row per cap: a budget may limit tokens and dollars both.
  const caps = budgets.flatMap((budget) => Object.entries(budget.limit).map(([cap, limit]) => ({ budget, cap, limit })));
  fillRows($('#budgets tbody'), caps, ({ budget, cap, limit }) => [
    `${budget.scope} ${budget.subject}`,
    budget.period,
    cap,
    styled(`${budget.spent[cap]} of ${limit}`, budget.spent[cap] >= limit ? 'status-failed' : 'status-executed'),
  ]);
};

/**
 * The acting user's MCP label (GET /users/{userId}/mcp-label): while it holds, every MCP session
 * of theirs asks a person before a sink's call. Clearing it says the model's context is clean again.
 */
export const refreshMcpLabel = async () => {
  const userId = currentUser()?.userId;
  const { label = null } = userId ? await api('GET', `/users/${encodeURIComponent(userId)}/mcp-label`).catch(() => ({})) : {};
  $('#mcp-label-panel').hidden = label === null;
  if (label)
    $('#mcp-label').textContent =
      `From ${label.tool} (${label.callId}) in ${label.session}, since ${label.since}; lapses at ${label.expiresAt}.`;
};
export const clearMcpLabel = async () => {
  const userId = currentUser()?.userId;
  if (userId) await api('DELETE', `/users/${encodeURIComponent(userId)}/mcp-label`).catch(() => undefined);
  await refreshMcpLabel();
};

export const refreshMail = async () => {
  const { mail = [] } = await fetchLocal('/local/mail');
  fillRows(
    $('#mail tbody'),
    mail,
    (message) => [message.sentAt.slice(11, 19), message.to.join(', '), message.subject],
    (row, message) => (row.title = message.text),
  );
};

export const refreshDocuments = async () => {
  const { documents = [] } = await fetchLocal('/local/documents');
  fillRows(
    $('#documents tbody'),
    documents,
    (document_) => [document_.path, document_.bytes, document_.modifiedAt.replace('T', ' ').slice(0, 16)],
    (row, document_) => (row.dataset.path = document_.path),
  );
};
