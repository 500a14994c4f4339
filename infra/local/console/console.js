// The local console: a stand-in for Slack (approvals) and for the CloudWatch dashboard (counters).
// Everything shown comes from the same HTTP API as deployed; text from the API, which includes
// model output, is only ever set with textContent, never parsed as HTML.
'use strict';

const $ = (selector) => document.querySelector(selector);
// runs: the current identity's listing (GET /runs: own runs, everyone's for an admin); started: the
// runs started from this page, with the token they were started with (a run is shown as its owner sees it).
const state = { users: [], token: '', runs: [], started: new Map(), selected: '', timer: 0 };

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

// As `token` (default: the selected user's). Passed, never swapped into the state: refreshes run
// concurrently, and one reading another's swapped token showed an approver an empty list.
const api = async (method, path, body, token = state.token) => {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new Error(json.error ? `${response.status} ${json.error.code}: ${json.error.message}` : `HTTP ${response.status}`);
  return json;
};

// The local services' own routes (no token: local mode only); a failed read shows as empty.
const fetchLocal = (path) =>
  fetch(path)
    .then((r) => r.json())
    .catch(() => ({}));

const cell = (row, text, className) => {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (className) td.className = className;
  return td;
};

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

const currentUser = () => state.users.find((u) => u.token === state.token);

const time = (iso) => (iso ? iso.slice(11, 19) : '');

const renderRuns = () => {
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

const refreshRuns = async () => {
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

const renderTrace = (run) => {
  $('#trace-id').textContent = run.runId;
  // A run a budget stopped says whose: the run's own, the user's or the tenant's.
  $('#trace-status').textContent = run.stoppedBy ? `${run.status}: stopped by ${run.stoppedBy.budget}` : run.status;
  $('#trace-iterations').textContent = String(run.iterations);
  $('#trace-transitions').textContent = run.stateTransitions === undefined ? '-' : String(run.stateTransitions);
  $('#trace-output').textContent = run.output ? `Answer: ${run.output}` : '';
  $('#trace-cost').textContent = `Cost: ${
    run.usage
      ? `${run.usage.inputTokens} input and ${run.usage.outputTokens} output tokens over ${run.usage.modelCalls} model calls`
      : 'no token usage reported by this model'
  }${run.stateTransitions === undefined ? '' : `; ${run.stateTransitions} state transitions ($${(run.stateTransitions * 0.000025).toFixed(6)})`}.${
    run.budget
      ? ` Budget: ${Object.entries(run.budget)
          .map(([cap, limit]) => `${run.spent?.[cap] ?? 0} of ${limit} ${cap}`)
          .join(', ')}.`
      : ''
  }`;
  $('#turns').replaceChildren(
    ...(run.turns ?? []).map((turn, i) => {
      const li = document.createElement('li');
      li.textContent = `Turn ${i + 1}: ${turn.text || '(no text)'}${turn.toolCalls.length ? ` → asks for ${turn.toolCalls.join(', ')}` : ''}`;
      return li;
    }),
  );
  const body = $('#calls tbody');
  body.replaceChildren();
  for (const call of run.calls) {
    const row = body.insertRow();
    row.dataset.status = call.status;
    cell(row, call.callId);
    cell(row, call.tool);
    cell(row, call.status, `status-${call.status}`);
    cell(row, call.code);
    cell(row, call.durationMs);
  }
};

// What a span's bar is coloured by, from its name (and red when it failed).
const spanClass = (span) =>
  span.status === 2
    ? 'span-error'
    : span.name === 'invoke_agent'
      ? 'span-run'
      : span.name.startsWith('chat ')
        ? 'span-chat'
        : span.name.startsWith('execute_tool ')
          ? 'span-tool'
          : span.name.startsWith('guard ')
            ? 'span-guard'
            : span.name === 'approval_wait'
              ? 'span-wait'
              : span.name.startsWith('DynamoDB.')
                ? 'span-db'
                : '';

// The few attributes that say what a span decided or cost.
const spanDetail = ({ attributes: a }) =>
  [
    a['error.type'],
    a['guarded_agents.guard.decision'],
    a['guarded_agents.approval.decision'],
    a['guarded_agents.run.status'],
    a['gen_ai.usage.input_tokens'] === undefined
      ? undefined
      : `${a['gen_ai.usage.input_tokens']}→${a['gen_ai.usage.output_tokens']} tokens`,
    a['aws.dynamodb.table_names']?.join(', '),
  ]
    .filter((part) => part !== undefined && part !== '')
    .join(' · ');

// The run's spans as a waterfall: each under its parent, bars placed on the run's time line. Sizes
// and offsets are set through the DOM (CSSOM), which the page's CSP allows; no inline style markup.
const renderWaterfall = (trace) => {
  const spans = trace.spans;
  $('#spans-note').textContent = spans.length
    ? `${spans.length} spans · trace ${trace.traceId}`
    : trace.kept
      ? 'none yet'
      : `exported, not kept here: trace ${trace.traceId}`;
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map();
  for (const span of spans) {
    const parent = ids.has(span.parentSpanId) ? span.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered = [];
  const walk = (parent, depth) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => a.startMs - b.startMs)) {
      ordered.push({ span, depth });
      walk(span.spanId, depth + 1);
    }
  };
  walk('', 0);
  const start = Math.min(...spans.map((s) => s.startMs));
  const total = Math.max(1, Math.max(...spans.map((s) => s.endMs)) - start);
  $('#waterfall').replaceChildren(
    ...ordered.map(({ span, depth }) => {
      const row = document.createElement('div');
      row.className = 'span-row';
      row.dataset.name = span.name;
      row.dataset.depth = String(depth);
      const name = document.createElement('span');
      name.className = 'span-name';
      name.style.paddingLeft = `${depth * 12}px`;
      name.textContent = span.name;
      const detail = document.createElement('span');
      detail.className = 'span-detail';
      detail.textContent = spanDetail(span);
      name.append(detail);
      name.title = `${span.name} ${detail.textContent}`;
      const track = document.createElement('div');
      track.className = 'span-track';
      const bar = document.createElement('div');
      bar.className = `span-bar ${spanClass(span)}`;
      bar.style.left = `${((span.startMs - start) / total) * 100}%`;
      bar.style.width = `${((span.endMs - span.startMs) / total) * 100}%`;
      track.append(bar);
      const ms = document.createElement('span');
      ms.className = 'span-ms';
      ms.textContent = `${(span.endMs - span.startMs).toFixed(1)} ms`;
      row.append(name, track, ms);
      return row;
    }),
  );
};

// The state machine CDK synthesized, as the run went through it: every state in the order a run
// meets them (a Map's item states indented under it), those the run entered marked with how often.
const renderPath = (path) => {
  $('#path-note').textContent = `${path.transitions} state transitions · $${path.costUsd.toFixed(6)} at Standard workflow prices`;
  $('#path').replaceChildren(
    ...path.states.map((state) => {
      const box = document.createElement('div');
      box.className = `state depth-${state.depth}${state.entered > 0 ? ' entered' : ''}`;
      box.dataset.state = state.name;
      box.dataset.entered = String(state.entered);
      const count = document.createElement('span');
      count.className = 'state-count';
      count.textContent = state.entered > 0 ? `×${state.entered}` : '';
      const name = document.createElement('span');
      name.className = 'state-name';
      name.textContent = state.name;
      const next = document.createElement('span');
      next.className = 'state-next';
      next.textContent = `${state.type} → ${state.next.join(' | ')}`;
      box.append(count, name, next);
      return box;
    }),
  );
};

const ENDED = new Set(['SUCCEEDED', 'MAX_ITERATIONS', 'BUDGET_EXHAUSTED', 'FAILED']);

const refreshTrace = async () => {
  if (!state.selected) return;
  // A run started here is shown as its owner sees it; one from the listing, as the current identity.
  const token = state.started.get(state.selected)?.token ?? state.token;
  const path = `/runs/${encodeURIComponent(state.selected)}`;
  try {
    const run = await api('GET', path, undefined, token);
    renderTrace(run);
    // An ended run's path and spans no longer change once its root span is in: read them until then only.
    if (state.complete === state.selected) return;
    renderPath(await api('GET', `${path}/path`, undefined, token));
    const trace = await api('GET', `${path}/trace`, undefined, token);
    renderWaterfall(trace);
    if (ENDED.has(run.status) && trace.spans.some((s) => s.name === 'invoke_agent')) state.complete = state.selected;
  } catch (error) {
    $('#trace-status').textContent = error.message;
  }
};

const select = async (runId) => {
  state.selected = runId;
  renderRuns();
  $('#audit tbody').replaceChildren();
  await refreshTrace();
};

const line = (className, text) => {
  const div = document.createElement('div');
  div.className = className;
  div.textContent = text;
  return div;
};

/** One pending approval with what an approver needs to judge it, a reason, and the two decisions. */
const approvalItem = (approval) => {
  const li = document.createElement('li');
  li.dataset.approvalId = approval.approvalId;
  approvalFacts(li, approval);
  const full = approvalFullView(li, approval);
  const left = line('muted approval-left', '');
  left.dataset.expiresAt = String(approval.expiresAt);
  li.append(left);
  // Edit, then approve (single-approver calls): the arguments to run with instead, as JSON; the tool's schema checks them.
  const edit = document.createElement('textarea');
  edit.className = 'approval-edit';
  edit.rows = 2;
  edit.placeholder = 'Edit arguments (JSON), then approve';
  edit.hidden = (approval.quorum ?? 1) > 1;
  li.append(edit);
  const reason = document.createElement('input');
  reason.placeholder = 'Reason (audited)';
  reason.className = 'approval-reason';
  li.append(reason);
  const outcome = line('error', '');
  approvalDecisions(li, approval, { full, edit, reason, outcome });
  approvalHandOver(li, approval, { reason, outcome });
  return li;
};

/** What the call is, who asked, why it waits, its risk, and what led to it. */
const approvalFacts = (li, approval) => {
  const { context } = approval;
  li.append(line('approval-call', `${approval.tool} for ${approval.requestedBy}${context?.via === 'mcp' ? ' (over MCP)' : ''}`));
  // Information flow: why a call that is not destructive waits (where untrusted content came in).
  if (approval.why) li.append(line('approval-why', approval.why));
  if (approval.quorum)
    li.append(
      line(
        'muted',
        `Approved by ${approval.approvedBy.length} of the ${approval.quorum} needed${approval.approvedBy.length ? ` (${approval.approvedBy.join(', ')})` : ''}`,
      ),
    );
  if (approval.risk) li.append(line('muted', `Risk: ${approval.risk}; ${approval.reversible ? 'can be undone' : 'cannot be undone'}`));
  if (context?.request) li.append(line('muted', `Asked: ${context.request}`));
  if (context?.modelSaid) li.append(line('muted', `The model said: ${context.modelSaid}`));
  if (context?.earlierCalls?.length)
    li.append(
      line('muted', `Before: ${context.earlierCalls.map((c) => `${c.tool} ${c.status}${c.code ? ` (${c.code})` : ''}`).join(', ')}`),
    );
};

/** The arguments, short at first; then the full view, with where the call sends and any masked secret. Resolves once shown. */
const approvalFullView = (li, approval) => {
  // The full view (GET /approvals/{id}): every argument as it will run, nothing cut, scrollable. Opening it is
  // what lets a yes count on a call whose short form leaves something out; approve waits until it is shown.
  const args = document.createElement('pre');
  args.className = 'approval-args';
  args.textContent = `Arguments (short form): ${approval.arguments}`;
  li.append(args);
  const destinations = document.createElement('ul');
  destinations.className = 'approval-destinations';
  li.append(destinations);
  return api('GET', `/approvals/${encodeURIComponent(approval.approvalId)}`)
    .then((view) => {
      args.textContent = JSON.stringify(view.arguments, null, 2);
      for (const d of view.destinations ?? [])
        destinations.append(line('approval-destination', `Sends to ${d.kind} ${d.value} (${d.host}) in ${d.argument}`));
      for (const secret of view.secrets ?? [])
        destinations.append(
          line('approval-secret', `A masked ${secret.kind} is in ${secret.argument}: a secret leaving in a call is a reason to deny.`),
        );
      return true;
    })
    .catch(() => false);
};

/** Approve (with edited arguments, if any) or deny, with the reason. */
const approvalDecisions = (li, approval, { full, edit, reason, outcome }) => {
  for (const decision of ['approve', 'deny']) {
    const button = document.createElement('button');
    button.textContent = decision === 'approve' ? 'Approve' : 'Deny';
    button.dataset.decision = decision;
    button.addEventListener('click', async () => {
      button.disabled = true;
      // Never blind: a yes goes out once the full view is on screen.
      if (decision === 'approve') await full;
      try {
        const edited = decision === 'approve' && edit.value.trim() ? JSON.parse(edit.value) : undefined;
        await api('POST', `/approvals/${encodeURIComponent(approval.approvalId)}`, {
          decision,
          ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
          ...(edited === undefined ? {} : { arguments: edited }),
        });
      } catch (error) {
        outcome.textContent = error.message;
        button.disabled = false;
        return;
      }
      await refreshApprovals();
    });
    li.append(button);
  }
};

/** Hand the approval to a named colleague, who may then decide it. */
const approvalHandOver = (li, approval, { reason, outcome }) => {
  const handTo = document.createElement('input');
  handTo.placeholder = 'Hand to (user id)';
  handTo.className = 'approval-hand-to';
  const hand = document.createElement('button');
  hand.textContent = 'Hand over';
  hand.dataset.decision = 'delegate';
  hand.addEventListener('click', async () => {
    hand.disabled = true;
    try {
      await api('POST', `/approvals/${encodeURIComponent(approval.approvalId)}/delegate`, {
        to: handTo.value.trim(),
        ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
      });
      outcome.textContent = `Handed to ${handTo.value.trim()}.`;
    } catch (error) {
      outcome.textContent = error.message;
    }
    hand.disabled = false;
  });
  if (approval.delegatedTo) li.append(line('muted', `Handed to ${approval.delegatedTo} by ${approval.delegatedBy}`));
  li.append(handTo, hand, outcome);
};

// Refreshed often: items already shown are kept (a reason being typed survives), new ones added, decided ones removed.
const refreshApprovals = async () => {
  const list = $('#approvals');
  const token = state.token;
  // Approvers see every pending approval; anyone else those handed to them (or escalated to their group).
  const { approvals } = await api('GET', '/approvals?status=pending', undefined, token).catch(() => ({ approvals: [] }));
  // An answer for the identity acted as before a switch is dropped; items are kept only for the identity they were built for.
  if (token !== state.token) return;
  if (list.dataset.token !== token) list.replaceChildren();
  list.dataset.token = token;
  $('#approvals-note').hidden = approvals.length > 0 || Boolean(currentUser()?.groups.includes('approver'));
  const shown = new Map([...list.children].map((li) => [li.dataset.approvalId, li]));
  list.replaceChildren(...approvals.map((approval) => shown.get(approval.approvalId) ?? approvalItem(approval)));
  for (const left of list.querySelectorAll('.approval-left')) {
    const seconds = Math.max(0, Math.round(Number(left.dataset.expiresAt) - Date.now() / 1000));
    left.textContent = `${Math.floor(seconds / 60)} min ${seconds % 60} s left to decide`;
  }
};

const refreshTools = async () => {
  const stats = await fetchLocal('/local/tools/stats');
  const body = $('#tools tbody');
  body.replaceChildren();
  // The runs filter offers the deployed tools (filled once: a choice made there stays).
  const toolFilter = $('#runs-tool');
  if (toolFilter.options.length === 1)
    for (const tool of Object.keys(stats)) {
      const option = document.createElement('option');
      option.textContent = tool;
      toolFilter.append(option);
    }
  for (const [tool, counters] of Object.entries(stats)) {
    const row = body.insertRow();
    cell(row, tool);
    cell(row, counters.calls);
    cell(row, counters.errors);
    cell(row, counters.throttles);
    cell(row, counters.breaker, counters.breaker === 'OPEN' ? 'status-failed' : 'status-executed');
  }
};

/** The acting user's budgets over days and months (GET /budgets): empty where the deployment declares none. */
const refreshBudgets = async () => {
  const { budgets = [] } = await api('GET', '/budgets').catch(() => ({ budgets: [] }));
  $('#budgets-panel').hidden = budgets.length === 0;
  const body = $('#budgets tbody');
  body.replaceChildren();
  for (const budget of budgets) {
    for (const [cap, limit] of Object.entries(budget.limit)) {
      const row = body.insertRow();
      cell(row, `${budget.scope} ${budget.subject}`);
      cell(row, budget.period);
      cell(row, cap);
      cell(row, `${budget.spent[cap]} of ${limit}`, budget.spent[cap] >= limit ? 'status-failed' : 'status-executed');
    }
  }
};

/**
 * The acting user's MCP label (GET /users/{userId}/mcp-label): while it holds, every MCP session
 * of theirs asks a person before a sink's call. Clearing it says the model's context is clean again.
 */
const refreshMcpLabel = async () => {
  const userId = currentUser()?.userId;
  const { label = null } = userId ? await api('GET', `/users/${encodeURIComponent(userId)}/mcp-label`).catch(() => ({})) : {};
  $('#mcp-label-panel').hidden = label === null;
  if (label)
    $('#mcp-label').textContent =
      `From ${label.tool} (${label.callId}) in ${label.session}, since ${label.since}; lapses at ${label.expiresAt}.`;
};
const clearMcpLabel = async () => {
  const userId = currentUser()?.userId;
  if (userId) await api('DELETE', `/users/${encodeURIComponent(userId)}/mcp-label`).catch(() => undefined);
  await refreshMcpLabel();
};

const refreshMail = async () => {
  const { mail = [] } = await fetchLocal('/local/mail');
  const body = $('#mail tbody');
  body.replaceChildren();
  for (const message of mail) {
    const row = body.insertRow();
    row.title = message.text;
    cell(row, message.sentAt.slice(11, 19));
    cell(row, message.to.join(', '));
    cell(row, message.subject);
  }
};

const refreshDocuments = async () => {
  const { documents = [] } = await fetchLocal('/local/documents');
  const body = $('#documents tbody');
  body.replaceChildren();
  for (const document_ of documents) {
    const row = body.insertRow();
    row.dataset.path = document_.path;
    cell(row, document_.path);
    cell(row, document_.bytes);
    cell(row, document_.modifiedAt.replace('T', ' ').slice(0, 16));
  }
};

const start = async () => {
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

const loadAudit = async () => {
  if (!state.selected) return;
  const token = state.started.get(state.selected)?.token ?? state.token;
  const { records } = await api('GET', `/runs/${encodeURIComponent(state.selected)}/audit`, undefined, token);
  const body = $('#audit tbody');
  body.replaceChildren();
  for (const record of records) {
    const row = body.insertRow();
    cell(row, record.at.slice(11, 19));
    cell(row, record.tool);
    cell(row, record.userId);
    cell(row, record.status, `status-${record.status}`);
    cell(row, record.code);
    // A decision's record carries the call's summary, already text: shown as it is, not encoded again.
    cell(row, typeof record.arguments === 'string' ? record.arguments : JSON.stringify(record.arguments));
    cell(row, policyText(record.policy), 'policy');
  }
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

const searchAudit = async () => {
  const body = $('#audit-results tbody');
  try {
    const found = await api('GET', `/audit?${auditQuery('json')}`);
    // The shadow log: the records where a shadow policy would have decided something.
    const records = $('#audit-shadow').checked ? found.records.filter((r) => r.policy?.shadow?.length) : found.records;
    const { truncated } = found;
    $('#audit-note').textContent = `${records.length} records${truncated ? ' (more in the range: narrow it)' : ''}.`;
    body.replaceChildren();
    for (const record of records) {
      const row = body.insertRow();
      cell(row, record.at.replace('T', ' ').slice(0, 19));
      cell(row, record.runId);
      cell(row, record.tool);
      cell(row, record.userId);
      cell(row, record.status, `status-${record.status}`);
      cell(row, record.code);
      cell(row, record.durationMs);
      cell(row, typeof record.arguments === 'string' ? record.arguments : JSON.stringify(record.arguments));
      cell(row, policyText(record.policy), 'policy');
    }
  } catch (error) {
    body.replaceChildren();
    $('#audit-note').textContent = error.message;
  }
};

const downloadAudit = async (format) => {
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
const loadUsage = async () => {
  const body = $('#usage tbody');
  try {
    const report = await api('GET', `/usage?since=${encodeURIComponent($('#usage-since').value)}`);
    $('#usage-note').textContent =
      `${report.records} audit records from ${report.since.slice(0, 16)} to ${report.until.slice(0, 16)} (UTC).${
        report.neverCalled.length > 0 ? ` Never called: ${report.neverCalled.join(', ')}.` : ''
      }`;
    body.replaceChildren();
    for (const tool of report.tools) {
      const row = body.insertRow();
      row.dataset.tool = tool.tool;
      cell(row, tool.tool);
      cell(row, tool.calls);
      cell(row, tool.successRate === null ? '-' : `${Math.round(tool.successRate * 100)}%`);
      cell(
        row,
        Object.entries(tool.errorsByCode)
          .map(([code, n]) => `${code} ${n}`)
          .join(', '),
      );
      cell(row, tool.throttles);
      cell(row, tool.breakerOpenings, tool.breakerOpenings > 0 ? 'status-failed' : undefined);
      cell(row, `${tool.approvals.approved} / ${tool.approvals.denied} / ${tool.approvals.expired}`);
      cell(row, tool.durationMs?.p50 ?? '-');
      cell(row, tool.durationMs?.p95 ?? '-');
    }
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

const refreshGraphs = async () => {
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
