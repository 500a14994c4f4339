import { describe, expect, it } from 'vitest';
import { pseudonymOf, runTraceIds, type SpanRecord } from '../../../shared/tracing/index.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

const world = useLocalServer();

const api = async (method: string, path: string, token: string, body?: unknown) => (await world.api(method, path, token, body)).body;
/** Starts a scripted run as adam (admin) and decides its one approval, if any, as pat. */
const tracedRun = async (turns: unknown[], decision?: 'approve' | 'deny') => {
  const runId = (await api('POST', '/runs', world.tokenOf('adam'), { input: 'trace me', model: { provider: 'scripted', turns } }))
    .runId as string;
  if (decision) {
    const approval = await until(async () =>
      (
        (await api('GET', '/approvals?status=pending', world.tokenOf('pat'))).approvals as Array<{ approvalId: string; runId: string }>
      ).find((a) => a.runId === runId),
    );
    await api('POST', `/approvals/${approval.approvalId}`, world.tokenOf('pat'), { decision, reason: 'checked' });
  }
  // The run's root span is written when it ends: then its trace is whole.
  const spans = await until(() => {
    const all = world.system.traceOf(runId);
    return all.some((s) => s.name === 'invoke_agent') ? all : undefined;
  });
  return { runId, spans };
};
const named = (spans: readonly SpanRecord[], name: string) => spans.filter((s) => s.name === name);
const one = (spans: readonly SpanRecord[], name: string) => {
  const found = named(spans, name);
  expect(found, name).toHaveLength(1);
  return found[0] as SpanRecord;
};
const childrenOf = (spans: readonly SpanRecord[], parent: SpanRecord) => spans.filter((s) => s.parentSpanId === parent.spanId);

const search = { name: 'search_knowledge_base', arguments: { query: 'return an item' } };
const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Hello', body: 'Hi Jane.' } };

describe('traces: one per run, named and nested by the GenAI conventions', () => {
  it('puts every span of a run into one trace under its invoke_agent span', async () => {
    const { runId, spans } = await tracedRun([{ toolCalls: [search, { name: 'no_such_tool', arguments: {} }] }, { text: 'Here you are.' }]);
    const ids = runTraceIds(runId);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([ids.traceId]));

    const root = one(spans, 'invoke_agent');
    expect(root.spanId).toBe(ids.spanId);
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.conversation.id': runId,
      'guarded_agents.run.status': 'SUCCEEDED',
      'guarded_agents.run.iterations': 2,
      'enduser.pseudo.id': pseudonymOf('adam'),
    });
    expect(JSON.stringify(spans)).not.toContain('adam');

    const chats = named(spans, 'chat scripted');
    expect(chats).toHaveLength(2);
    for (const chat of chats) {
      expect(chat.parentSpanId).toBe(ids.spanId);
      expect(chat.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'scripted',
        'gen_ai.request.model': 'scripted',
      });
    }
    expect(chats.map((c) => c.attributes['gen_ai.response.finish_reasons'])).toEqual([['tool_call'], ['stop']]);

    // The executed call: its guards beneath it, each with what it decided, and their DynamoDB requests beneath them.
    const executed = one(spans, 'execute_tool search_knowledge_base');
    expect(executed.parentSpanId).toBe(ids.spanId);
    expect(executed.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_knowledge_base',
      'gen_ai.tool.call.id': 'c1-1',
      'gen_ai.tool.type': 'function',
      'guarded_agents.tool.risk_class': 'read',
      'guarded_agents.tool.outcome': 'executed',
    });
    const guards = childrenOf(spans, executed).filter((s) => s.name.startsWith('guard '));
    expect(guards.map((g) => [g.name, g.attributes['guarded_agents.guard.decision']]).sort()).toEqual([
      ['guard breaker', 'pass'],
      ['guard idempotency', 'pass'],
      ['guard rate-limit', 'pass'],
    ]);
    const claim = childrenOf(spans, guards.find((g) => g.name === 'guard idempotency') as SpanRecord);
    expect(claim.map((s) => s.name)).toContain('DynamoDB.PutItem');
    expect(claim[0]?.attributes).toMatchObject({ 'rpc.system': 'aws-api', 'rpc.service': 'DynamoDB', 'db.system.name': 'aws.dynamodb' });
    // The audit record and stored result, after the handler: DynamoDB beneath the call itself.
    expect(childrenOf(spans, executed).some((s) => s.name.startsWith('DynamoDB.'))).toBe(true);

    // The call the screening refused never reached a tool: its span says who stopped it.
    const refused = one(spans, 'execute_tool no_such_tool');
    expect(refused.parentSpanId).toBe(ids.spanId);
    expect(refused.status).toBe(2);
    expect(refused.attributes).toMatchObject({ 'error.type': 'UNKNOWN_TOOL', 'guarded_agents.guard.refused_by': 'screening' });
  });

  it('shows the approval wait beneath the approved call, and beneath a denied one', async () => {
    const approved = await tracedRun([{ toolCalls: [email] }, { text: 'Sent.' }], 'approve');
    const call = one(approved.spans, 'execute_tool send_email');
    const gate = childrenOf(approved.spans, call).find((s) => s.name === 'guard approval') as SpanRecord;
    expect(gate.attributes['guarded_agents.guard.decision']).toBe('pass');
    const wait = one(approved.spans, 'approval_wait');
    expect(wait.parentSpanId).toBe(gate.spanId);
    expect(wait.attributes).toMatchObject({
      'guarded_agents.approval.decision': 'approved',
      'guarded_agents.approval.approver_pseudo_id': pseudonymOf('pat'),
    });
    expect(wait.endMs).toBeGreaterThanOrEqual(wait.startMs);

    const denied = await tracedRun([{ toolCalls: [email] }, { text: 'Not sent.' }], 'deny');
    const deniedCall = one(denied.spans, 'execute_tool send_email');
    expect(deniedCall.attributes).toMatchObject({ 'error.type': 'APPROVAL_DENIED', 'guarded_agents.guard.refused_by': 'approval' });
    expect(childrenOf(denied.spans, deniedCall).map((s) => [s.name, s.attributes['guarded_agents.approval.decision']])).toEqual([
      ['approval_wait', 'denied'],
    ]);
    // The tool never ran: no guard of its own decided anything.
    expect(denied.spans.some((s) => s.name.startsWith('guard '))).toBe(false);
  });
});

describe('traces: what each guard decided', () => {
  it('shows an idempotent replay as the idempotency guard answering, and a refusal as the guard that refused', async () => {
    const call = { tool: 'search_knowledge_base', arguments: { query: 'returns' }, caller: { userId: 'uma', groups: ['user'] } };
    const runId = `run-replay-${Date.now()}`;
    await world.system.callTool({ ...call, runId, callId: 'c1-1' });
    await world.system.callTool({ ...call, runId, callId: 'c1-1' });
    await world.system.callTool({ ...call, arguments: { query: 'x', extra: true }, runId, callId: 'c1-2' });
    const spans = await until(() => {
      const all = world.system.traceOf(runId);
      return all.filter((s) => s.name === 'execute_tool search_knowledge_base').length === 3 ? all : undefined;
    });
    const [first, replay, invalid] = named(spans, 'execute_tool search_knowledge_base').sort((a, b) => a.startMs - b.startMs) as [
      SpanRecord,
      SpanRecord,
      SpanRecord,
    ];
    const decisions = (span: SpanRecord) =>
      Object.fromEntries(
        childrenOf(spans, span)
          .filter((s) => s.name.startsWith('guard '))
          .map((g) => [g.name, g.attributes['guarded_agents.guard.decision']]),
      );
    expect(decisions(first)).toEqual({ 'guard idempotency': 'pass', 'guard rate-limit': 'pass', 'guard breaker': 'pass' });
    // The replay is answered by the idempotency guard; the limits and the breaker are never consulted.
    expect(decisions(replay)).toEqual({ 'guard idempotency': 'answer', 'guard rate-limit': 'not_reached', 'guard breaker': 'not_reached' });
    expect(replay.attributes['guarded_agents.tool.outcome']).toBe('executed');
    // Unknown keys are refused by validation, before any guard's request goes out.
    expect(decisions(invalid)).toEqual({});
    expect(invalid.attributes).toMatchObject({ 'error.type': 'VALIDATION_FAILED', 'guarded_agents.guard.refused_by': 'validation' });
    expect(invalid.status).toBe(2);
  });
});

describe('GET /runs/{id}/trace', () => {
  it("gives the run's owner (and admins) its spans and trace id; anyone else gets 404, as for the run itself", async () => {
    const { runId } = await tracedRun([{ text: 'Hello.' }]);
    const asOwner = await fetch(`${world.base}/runs/${runId}/trace`, { headers: { authorization: `Bearer ${world.tokenOf('adam')}` } });
    const body = (await asOwner.json()) as { traceId: string; kept: boolean; spans: SpanRecord[] };
    expect(asOwner.status).toBe(200);
    expect(body.traceId).toBe(runTraceIds(runId).traceId);
    expect(body.kept).toBe(true);
    expect(body.spans.map((s) => s.name).sort()).toEqual(['chat scripted', 'invoke_agent']);
    const asOther = await fetch(`${world.base}/runs/${runId}/trace`, { headers: { authorization: `Bearer ${world.tokenOf('uma')}` } });
    expect(asOther.status).toBe(404);
  });
});

describe('GET /runs/{id}/path', () => {
  it("gives the run's owner its path through the synthesized machine; anyone else gets 404", async () => {
    const { runId } = await tracedRun([{ toolCalls: [search] }, { text: 'Here.' }]);
    const asOwner = await fetch(`${world.base}/runs/${runId}/path`, { headers: { authorization: `Bearer ${world.tokenOf('adam')}` } });
    const body = (await asOwner.json()) as { transitions: number; states: Array<{ name: string; entered: number }> };
    expect(asOwner.status).toBe(200);
    expect(body.transitions).toBe(7);
    expect(body.states.find((s) => s.name === 'InvokeTool')?.entered).toBe(1);
    const asOther = await fetch(`${world.base}/runs/${runId}/path`, { headers: { authorization: `Bearer ${world.tokenOf('uma')}` } });
    expect(asOther.status).toBe(404);
  });
});

describe('traces of MCP calls', () => {
  it('makes each call of an MCP session a trace of its own, grouped by the session (which never ends)', async () => {
    const call = { tool: 'search_knowledge_base', arguments: { query: 'returns' }, caller: { userId: 'uma', groups: ['user'] } };
    await world.system.callTool({ ...call, runId: 'mcp-session-trace', callId: 'mcp-1' });
    await world.system.callTool({ ...call, runId: 'mcp-session-trace', callId: 'mcp-2' });
    const spans = await until(() => {
      const found = world.system.conversationSpans('mcp-session-trace');
      return found.length === 2 ? found : undefined;
    });
    expect(spans.map((s) => [s.name, s.parentSpanId])).toEqual([
      ['execute_tool search_knowledge_base', undefined],
      ['execute_tool search_knowledge_base', undefined],
    ]);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(2);
    expect(spans.map((s) => s.attributes['gen_ai.tool.call.id']).sort()).toEqual(['mcp-1', 'mcp-2']);
  });
});
