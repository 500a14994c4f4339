// The local console: a stand-in for Slack (approvals) and for the CloudWatch dashboard (counters).
// Everything shown comes from the same HTTP API as deployed. This module wires the page's controls
// and refreshes the panels; each panel is a module of its own.
import { refreshApprovals } from './approvals.js';
import { downloadAudit, loadAudit, searchAudit } from './audit.js';
import { refreshGraphs } from './graphs.js';
import { $, state } from './page.js';
import { clearMcpLabel, refreshBudgets, refreshDocuments, refreshMail, refreshMcpLabel, refreshTools } from './panels.js';
import { refreshRuns } from './runs.js';
import { start } from './start-run.js';
import { refreshTrace } from './trace.js';
import { loadUsage } from './usage.js';

let ticks = 0;
const tick = async () => {
  // The graphs and the documents move slowly (the graphs' finest point is 15 s): every few ticks is enough.
  const slow = ticks++ % 6 === 0 ? [refreshGraphs(), refreshDocuments(), refreshBudgets(), refreshMcpLabel()] : [];
  await Promise.all([refreshRuns(), refreshTrace(), refreshApprovals(), refreshTools(), refreshMail(), ...slow]);
};

const init = async () => {
  state.users = await fetch('/local/users').then((r) => r.json());
  const userSelect = $('#user');
  for (const user of state.users) {
    const option = document.createElement('option');
    option.value = user.token;
    option.textContent = `${user.userId} (${user.groups.join(', ')})`;
    userSelect.append(option);
  }
  state.token = state.users[0]?.token ?? '';
  userSelect.addEventListener('change', () => {
    state.token = userSelect.value;
    void refreshApprovals();
    void refreshRuns();
    void refreshBudgets();
    void refreshMcpLabel();
  });
  $('#mcp-label-clear').addEventListener('click', () => void clearMcpLabel());
  $('#preset').addEventListener('change', () => {
    $('#script').hidden = $('#preset').value !== 'custom';
  });
  $('#start').addEventListener('click', () => void start());
  $('#load-audit').addEventListener('click', () => void loadAudit());
  $('#load-usage').addEventListener('click', () => void loadUsage());
  $('#graphs-range').addEventListener('change', () => void refreshGraphs());
  $('#runs-status').addEventListener('change', () => void refreshRuns());
  $('#runs-user').addEventListener('change', () => void refreshRuns());
  $('#runs-tool').addEventListener('change', () => void refreshRuns());
  $('#audit-search').addEventListener('click', () => void searchAudit());
  $('#audit-jsonl').addEventListener('click', () => void downloadAudit('jsonl'));
  $('#audit-csv').addEventListener('click', () => void downloadAudit('csv'));
  await tick();
  state.timer = setInterval(() => void tick(), 700);
};

void init();
