import { describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '#shared/audit/index.ts';
import { promptTokenBound } from '#shared/model/index.ts';
import { type CallRecord, type RunSnapshot } from '#shared/runs/index.ts';
import { runOf, scripted, harness, user, lookupCall, executeOf, toolMessage } from './call-model-harness.ts';

// CallModel and the run's budget: the model never called, nor a turn's calls made, past it (budget-refusals.ts).

describe('CallModel: budgets', () => {
  it('never calls the model when the next call would overspend the run’s tokens, and ends BUDGET_EXHAUSTED with what it has', async () => {
    const { model, asked } = scripted();
    const snapshot: RunSnapshot = {
      run: runOf({ iteration: 1, budget: { tokens: 1000 }, usage: { inputTokens: 600, outputTokens: 100, modelCalls: 1 } }),
      messages: [user, { role: 'assistant', text: 'Looking it up.', toolCalls: [lookupCall('m1', 'ORD-100001')] }],
      calls: [{ callId: 'c1-1', modelCallId: 'm1', tool: 'lookup_order', iteration: 1, status: 'running' as CallRecord['status'] }],
    };
    const { callModel, store, events, complete, audit } = harness(snapshot, model);
    complete('lookup_order', 'c1-1', { order: 1 });
    expect(
      await callModel({
        runId: 'run-1',
        iteration: 1,
        execute: executeOf('c1-1'),
        executed: [{ result: { ok: true, receipt: true, callId: 'c1-1' } }],
      }),
    ).toEqual({
      runId: 'run-1',
      done: true,
    });
    expect(asked).toEqual([]);
    // The output names the budget after what the model last wrote; the run says whose it was; the model call not made is audited.
    expect(store.current().run).toMatchObject({
      status: 'BUDGET_EXHAUSTED',
      output: expect.stringMatching(
        /^Looking it up\.\n\nStopped: its token budget \(1000\) has no room for the next model call \(a prompt of up to \d+ tokens and an answer of at least 256\)\.$/,
      ),
      stoppedBy: { kind: 'run', budget: 'its token budget (1000)' },
    });
    expect(audit).toEqual([expect.objectContaining({ tool: 'model_call', code: 'BUDGET_EXHAUSTED', status: 'rate_limited' })]);
    // The result that came in is kept: the run ends with what it has so far.
    expect(toolMessage(store.current())).toBeDefined();
    expect(events).toEqual(['runEnded:BUDGET_EXHAUSTED:1']);
    // The step taken again finds the run ended and writes the same record (same key) before its seal.
    expect(await callModel({ runId: 'run-1', iteration: 1 })).toEqual({ runId: 'run-1', done: true });
    expect(audit.map((r) => `${r.at}#${r.attemptId}`)).toEqual([
      `${audit[0]!.at}#${audit[0]!.attemptId}`,
      `${audit[0]!.at}#${audit[0]!.attemptId}`,
    ]);
    expect(audit[1]).toEqual(audit[0]);
  });

  it('makes the call with the answer’s cap its token budget leaves room for: its ceiling fits what is left', async () => {
    const { model, asked } = scripted({ text: 'Done.', toolCalls: [], stopReason: 'end_turn' });
    const prompt = { system: 'x', messages: [user], tools: [] };
    // A budget that leaves room for the prompt's bound and 300 tokens of answer, not the default 2,048.
    const { callModel, store } = harness({ run: runOf({ budget: { tokens: 999_999 } }), messages: [user], calls: [] }, model);
    await callModel({ runId: 'run-1' });
    const bound = asked[0]?.promptTokens ?? 0;
    expect(bound).toBeGreaterThan(promptTokenBound(prompt));
    expect(asked[0]?.maxTokens).toBe(2048);
    const tight = scripted({ text: 'Done.', toolCalls: [], stopReason: 'end_turn' });
    const second = harness({ run: runOf({ budget: { tokens: bound + 300 } }), messages: [user], calls: [] }, tight.model);
    await second.callModel({ runId: 'run-1' });
    expect(tight.asked[0]?.maxTokens).toBe(300);
    expect(second.store.current().run.status).toBe('SUCCEEDED');
    expect(store.current().run.status).toBe('SUCCEEDED');
  });

  it('makes none of a turn’s calls when they would overspend the run’s tool calls, and ends before them', async () => {
    const { model } = scripted({
      text: 'Three lookups.',
      toolCalls: [lookupCall('m1', 'ORD-1'), lookupCall('m2', 'ORD-2'), lookupCall('m3', 'ORD-3')],
      stopReason: 'tool_use',
    });
    const { callModel, store, audit } = harness({ run: runOf({ budget: { toolCalls: 2 } }), messages: [user], calls: [] }, model);
    expect(await callModel({ runId: 'run-1' })).toEqual({ runId: 'run-1', done: true });
    expect(store.current().run).toMatchObject({
      status: 'BUDGET_EXHAUSTED',
      output: 'Three lookups.\n\nStopped: its budget of 2 tool calls would be exceeded (0 made, 3 more asked for).',
      iteration: 1,
      stoppedBy: { kind: 'run', budget: 'its budget of 2 tool calls' },
    });
    // None was made; each is on the run's calls and on the audit record as refused by the budget.
    expect(store.current().calls.map((c) => [c.callId, c.status, c.code])).toEqual([
      ['c1-1', 'rate_limited', 'BUDGET_EXHAUSTED'],
      ['c1-2', 'rate_limited', 'BUDGET_EXHAUSTED'],
      ['c1-3', 'rate_limited', 'BUDGET_EXHAUSTED'],
    ]);
    expect(audit.map((r) => [r.callId, r.tool, r.code])).toEqual([
      ['c1-1', 'lookup_order', 'BUDGET_EXHAUSTED'],
      ['c1-2', 'lookup_order', 'BUDGET_EXHAUSTED'],
      ['c1-3', 'lookup_order', 'BUDGET_EXHAUSTED'],
    ]);
  });

  it('writes a budget’s refusals again when the step that ended the run failed before they landed, and no write outlives its step', async () => {
    const { model } = scripted({
      text: 'Three lookups.',
      toolCalls: [lookupCall('m1', 'ORD-1'), lookupCall('m2', 'ORD-2'), lookupCall('m3', 'ORD-3')],
      stopReason: 'tool_use',
    });
    const written: AuditRecord[] = [];
    let failing = true;
    let slowWrite: (() => void) | undefined;
    const { callModel, store } = harness({ run: runOf({ budget: { toolCalls: 2 } }), messages: [user], calls: [] }, model, {
      audit: {
        // The first step's second write fails at once while its third is still in flight.
        put: async (record) => {
          if (failing && record.callId === 'c1-2') throw new Error('ProvisionedThroughputExceededException');
          if (failing && record.callId === 'c1-3') await new Promise<void>((resolve) => (slowWrite = resolve));
          written.push(record);
        },
        putIfAbsent: async () => true,
        listByRun: async () => written,
        countCallsSince: async () => 0,
      },
    });
    const first = callModel({ runId: 'run-1' });
    let settled = false;
    void first.catch(() => undefined).finally(() => (settled = true));
    await vi.waitFor(() => expect(slowWrite).toBeDefined());
    // The step has not failed while one of its writes is still going (Promise.all would have).
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    slowWrite!();
    await expect(first).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(store.current().run.status).toBe('BUDGET_EXHAUSTED');
    expect(written.map((r) => r.callId)).toEqual(['c1-1', 'c1-3']);
    // Step Functions takes the step again: the run has ended, and its refusals are written with the same keys.
    failing = false;
    expect(await callModel({ runId: 'run-1' })).toEqual({ runId: 'run-1', done: true });
    expect(written.map((r) => r.callId).sort()).toEqual(['c1-1', 'c1-1', 'c1-2', 'c1-3', 'c1-3']);
    expect(new Set(written.map((r) => `${r.at}#${r.attemptId}`)).size).toBe(3);
  });

  it('stops on a dollar cap with the deployment’s prices', async () => {
    const { model, asked } = scripted();
    const { callModel, store } = harness(
      { run: runOf({ budget: { usd: 0.001 }, usage: { inputTokens: 300, outputTokens: 20, modelCalls: 1 } }), messages: [user], calls: [] },
      model,
      { prices: { inputPerMillion: 3, outputPerMillion: 15 } },
    );
    await callModel({ runId: 'run-1' });
    expect(asked).toEqual([]);
    expect(store.current().run).toMatchObject({ status: 'BUDGET_EXHAUSTED', output: expect.stringContaining('$0.001') });
  });
});
