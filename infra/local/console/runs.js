// The runs list: the acting identity's runs (everyone's for an admin) and those started from this page.
import { api } from './api.js';
import { $, state, time } from './page.js';
import { refreshTrace } from './trace.js';

export const renderRuns = () => {
  const listed = new Set(state.runs.map((r) => r.runId));
  const fromPage = [...(state.filtered ? [] : state.started.entries())]
    .filter(([runId]) => !listed.has(runId))
    .map(([runId, run]) => ({ runId, userId: run.userId, status: '', startedAt: run.startedAt, input: run.input }));
  const runs = [...fromPage, ...state.runs];
  $('#runs').replaceChildren(
    ...runs.map((run) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      const took = run.updatedAt ? ` ${((Date.parse(run.updatedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s` : '';
      const iterations = run.iterations === undefined ? '' : ` ${run.iterations} it. ${run.calls} call${run.calls === 1 ? '' : 's'}`;
      button.textContent = `${time(run.startedAt)} ${run.userId} ${run.status ? `[${run.status}${iterations}${took}] ` : ''}${run.input.slice(0, 40)}`;
      button.title = run.runId;
      button.dataset.runId = run.runId;
      if (run.runId === state.selected) button.className = 'selected';
      button.addEventListener('click', () => select(run.runId));
      li.append(button);
      return li;
    }),
  );
};

// The listing as filtered (GET /runs?status=&user=): a filter shows only what the API gives back,
// so the runs started from this page are listed only while no filter is set.
const runFilters = () => {
  const query = new URLSearchParams({ limit: '20' });
  if ($('#runs-status').value) query.set('status', $('#runs-status').value);
  if ($('#runs-user').value.trim()) query.set('user', $('#runs-user').value.trim());
  if ($('#runs-tool').value) query.set('tool', $('#runs-tool').value);
  return query;
};

export const refreshRuns = async () => {
  const query = runFilters();
  try {
    state.runs = (await api('GET', `/runs?${query}`)).runs;
    $('#runs-error').textContent = '';
  } catch (error) {
    state.runs = [];
    $('#runs-error').textContent = error.message;
  }
  state.filtered = query.size > 1;
  renderRuns();
};

export const select = async (runId) => {
  state.selected = runId;
  renderRuns();
  $('#audit tbody').replaceChildren();
  await refreshTrace();
};
