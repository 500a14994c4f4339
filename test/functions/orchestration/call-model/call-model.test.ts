import { describe, expect, it } from 'vitest';
import { type CallRecord, RunChangedError, type RunSnapshot, RunStatus } from '#shared/runs/index.ts';
import type { LoopState } from '#functions/orchestration/call-model/loop-state.ts';
import { T0, runOf, scripted, harness, user, lookupCall, executeOf, toolMessage, waitingForDeletion } from './call-model-harness.ts';

// CallModel: every exit of a step (call-model.ts).

describe('CallModel: every exit of a step', () => {
  it('ends the run SUCCEEDED when the model asks for nothing, and says so once', async () => {
    const { model } = scripted({ text: 'Hello.', toolCalls: [], stopReason: 'end_turn' });
    const { callModel, store, events } = harness({ run: runOf(), messages: [user], calls: [] }, model);
    expect(await callModel({ runId: 'run-1' })).toEqual({ runId: 'run-1', done: true });
    expect(store.current().run).toMatchObject({
      status: 'SUCCEEDED',
      iteration: 1,
      output: 'Hello.',
      updatedAt: new Date(T0 + 1000).toISOString(),
    });
    expect(events).toEqual(['runEnded:SUCCEEDED:1']);
  });

  it('stops at the iteration limit with the last text, without asking the model', async () => {
    const { model, asked } = scripted();
    const snapshot: RunSnapshot = {
      run: runOf({ iteration: 2, maxIterations: 2 }),
      messages: [user, { role: 'assistant', text: 'Looking.', toolCalls: [lookupCall('m1', 'ORD-100001')] }],
      calls: [{ callId: 'c2-1', modelCallId: 'm1', tool: 'lookup_order', iteration: 2, status: 'running' as CallRecord['status'] }],
    };
    const { callModel, store, events, complete } = harness(snapshot, model);
    complete('lookup_order', 'c2-1', { order: 1 });
    await callModel({
      runId: 'run-1',
      iteration: 2,
      execute: executeOf('c2-1'),
      executed: [{ result: { ok: true, receipt: true, callId: 'c2-1' } }],
    });
    expect(asked).toEqual([]);
    expect(store.current().run).toMatchObject({ status: 'MAX_ITERATIONS', output: 'Looking.' });
    expect(toolMessage(store.current())).toBeDefined();
    expect(events).toEqual(['runEnded:MAX_ITERATIONS:2']);
  });

  it('screens a turn: a read goes to the Map, a destructive call waits for approval, an unknown tool is refused and audited', async () => {
    const { model, asked } = scripted({
      toolCalls: [
        lookupCall('m1', 'ORD-100001'),
        { id: 'm2', name: 'delete_document', arguments: { path: 'old.md' } },
        { id: 'm3', name: 'rm_rf', arguments: {} },
      ],
      stopReason: 'tool_use',
    });
    const { callModel, store, audit } = harness({ run: runOf(), messages: [user], calls: [] }, model);
    const out = await callModel({ runId: 'run-1' });
    expect(out).toMatchObject({
      runId: 'run-1',
      iteration: 1,
      done: false,
      execute: [{ functionName: 'fn-lookup_order', invocation: { callId: 'c1-1', receipt: true } }],
      approve: [{ functionName: 'fn-delete_document', invocation: { callId: 'c1-2' }, summary: '{"path":"old.md"}' }],
    });
    expect(asked[0]?.tools).toContain('delete_document');
    expect(store.current().run).toMatchObject({
      status: 'WAITING_FOR_APPROVAL',
      iteration: 1,
      callCount: 3,
      tools: ['lookup_order', 'delete_document'],
    });
    expect(store.current().calls.map((c) => `${c.callId}:${c.tool}:${c.status}`)).toEqual([
      'c1-1:lookup_order:running',
      'c1-2:delete_document:awaiting_approval',
      expect.stringMatching(/^c1-3:rm_rf:/),
    ]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ callId: 'c1-3', tool: 'rm_rf' });
  });

  it('marks a run FAILED when the state machine caught a failure, once, even when told twice', async () => {
    const { model, asked } = scripted();
    const { callModel, store, events } = harness({ run: runOf({ iteration: 1 }), messages: [user], calls: [] }, model);
    expect(await callModel({ runId: 'run-1', iteration: 1, failed: true })).toEqual({ runId: 'run-1', done: true });
    expect(await callModel({ runId: 'run-1', iteration: 1, failed: true })).toEqual({ runId: 'run-1', done: true });
    expect(store.current().run.status).toBe('FAILED');
    expect(events).toEqual(['runEnded:FAILED:1']);
    expect(asked).toEqual([]);
  });

  it('refuses a step from another iteration', async () => {
    const { model } = scripted();
    const { callModel } = harness({ run: runOf({ iteration: 3 }), messages: [user], calls: [] }, model);
    await expect(callModel({ runId: 'run-1', iteration: 1 })).rejects.toBeInstanceOf(RunChangedError);
  });

  it('answers as the step that saved first when another got there first, writing nothing of its own', async () => {
    const { model } = scripted({ text: 'Mine.', toolCalls: [], stopReason: 'end_turn' });
    const { callModel, store, events } = harness({ run: runOf(), messages: [user], calls: [] }, model);
    store.overtakeWith({
      run: runOf({ iteration: 1 }),
      messages: [user, { role: 'assistant', toolCalls: [lookupCall('m9', 'ORD-100009')] }],
      calls: [{ callId: 'c1-1', modelCallId: 'm9', tool: 'lookup_order', iteration: 1, status: 'running' as CallRecord['status'] }],
    });
    const out = await callModel({ runId: 'run-1' });
    expect(out).toMatchObject({
      iteration: 1,
      done: false,
      execute: [{ invocation: { callId: 'c1-1', arguments: { orderId: 'ORD-100009' } } }],
    });
    expect(store.saves).toEqual([]);
    expect(events).toEqual([]);
  });

  it('audits an expired approval, tells its approvers, and goes on when telling them fails', async () => {
    const { model } = scripted({ text: 'It was not approved in time.', toolCalls: [], stopReason: 'end_turn' });
    const snapshot = waitingForDeletion();
    const { callModel, store, audit, events } = harness(snapshot, model, {
      onApprovalClosed: async () => {
        throw new Error('Slack is down');
      },
    });
    const expired = {
      ok: false as const,
      error: { code: 'APPROVAL_EXPIRED' as const, message: 'late', suggestion: 'Ask again.', retryable: false },
    };
    await callModel({ runId: 'run-1', iteration: 1, approvals: [{ invocation: { callId: 'c1-1' }, outcome: { result: expired } }] });
    expect(audit.map((r) => `${r.callId}:${r.status}:${r.code}`)).toEqual(['c1-1:expired:APPROVAL_EXPIRED']);
    expect(events).toEqual(['approvalExpired:delete_document', 'runEnded:SUCCEEDED:2']);
    expect(store.current().calls[0]?.status).toBe('expired');
  });

  /** A run whose approval wait failed (the RequestApproval task: ApprovalFailed), its approval perhaps still pending. */
  const afterFailedWait = waitingForDeletion;
  const waitFailed: LoopState = {
    runId: 'run-1',
    iteration: 1,
    approvals: [
      {
        invocation: { callId: 'c1-1' },
        outcome: {
          result: {
            ok: false,
            error: {
              code: 'INTERNAL',
              message: 'The approval could not be requested, so the call was not made.',
              suggestion: '',
              retryable: true,
            },
          },
        },
      },
    ],
  };

  it('closes an approval whose wait failed before it saves the step, so no late decision is taken for a call that never runs', async () => {
    const { model } = scripted({ text: 'The approval could not be requested.', toolCalls: [], stopReason: 'end_turn' });
    const { callModel, store, events } = harness(afterFailedWait(), model);
    await callModel(waitFailed);
    expect(events).toEqual(['failed:run-1.c1-1', 'runEnded:SUCCEEDED:2']);
    expect(store.current().calls[0]?.status).toBe('failed');
  });

  it("fails the step, saving nothing, when the failed wait's approval cannot be closed (the state machine retries it)", async () => {
    const { model } = scripted({ text: 'The approval could not be requested.', toolCalls: [], stopReason: 'end_turn' });
    const { callModel, store } = harness(afterFailedWait(), model, {
      onApprovalClosed: async () => {
        throw new Error('The approval could not be expired.');
      },
    });
    await expect(callModel(waitFailed)).rejects.toThrow('The approval could not be expired.');
    expect(store.current().run.iteration).toBe(1);
    expect(store.current().calls[0]?.status).toBe('awaiting_approval');
  });

  it('closes the approvals a failed run leaves pending before it marks the run FAILED, and marks nothing while it cannot close them', async () => {
    const { model } = scripted();
    // The step after the failed wait failed itself (its table down through every retry): MarkFailed runs instead.
    const refused = harness(afterFailedWait(), model, {
      onApprovalClosed: async () => {
        throw new Error('The approval could not be expired.');
      },
    });
    await expect(refused.callModel({ runId: 'run-1', iteration: 1, failed: true })).rejects.toThrow('The approval could not be expired.');
    expect(refused.store.current().run.status).toBe(RunStatus.WAITING_FOR_APPROVAL);
    const { callModel, store, events } = harness(afterFailedWait(), model);
    expect(await callModel({ runId: 'run-1', iteration: 1, failed: true })).toEqual({ runId: 'run-1', done: true });
    expect(events).toEqual(['failed:run-1.c1-1', 'runEnded:FAILED:1']);
    expect(store.current().run.status).toBe('FAILED');
  });
});
