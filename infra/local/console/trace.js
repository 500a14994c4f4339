// The selected run as its owner sees it: its answer and cost, its turns and calls, the path it took
// through the state machine and its spans.
import { api } from './api.js';
import { $, fillRows, state, statusCell } from './page.js';

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
  fillRows(
    $('#calls tbody'),
    run.calls,
    (call) => [call.callId, call.tool, statusCell(call.status), call.code, call.durationMs],
    (row, call) => (row.dataset.status = call.status),
  );
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

export const refreshTrace = async () => {
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
