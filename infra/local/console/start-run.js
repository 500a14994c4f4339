// Starting a run: the demo model, a preset script or the user's own.
import { api } from './api.js';
import { $, currentUser, state } from './page.js';
import { renderRuns, select } from './runs.js';

const PRESETS = {
  order: {
    provider: 'scripted',
    turns: [{ toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }] }, { text: 'Your order is on its way.' }],
  },
  email: {
    provider: 'scripted',
    turns: [
      {
        toolCalls: [
          { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Hello', body: 'Hi Jane, your refund is on its way.' } },
        ],
      },
      { text: 'The email was handled.' },
    ],
  },
  bad: {
    provider: 'scripted',
    turns: [
      {
        toolCalls: [
          { name: 'drop_database', arguments: {} },
          { name: 'read_document', arguments: { path: '../../etc/passwd' } },
          { name: 'delete_document', arguments: { path: 'policies/leave-policy.md' } },
        ],
      },
      { text: 'Done.' },
    ],
  },
};

export const start = async () => {
  $('#start-error').textContent = '';
  const preset = $('#preset').value;
  let model;
  try {
    model = preset === 'demo' ? undefined : preset === 'custom' ? JSON.parse($('#script').value) : PRESETS[preset];
  } catch {
    $('#start-error').textContent = 'The script is not valid JSON.';
    return;
  }
  try {
    const input = $('#input').value;
    const { runId } = await api('POST', '/runs', { input, ...(model ? { model } : {}) });
    state.started.set(runId, { input, token: state.token, userId: currentUser()?.userId ?? '', startedAt: new Date().toISOString() });
    renderRuns();
    await select(runId);
  } catch (error) {
    $('#start-error').textContent = error.message;
  }
};
