import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from '#shared/model/index.ts';
import { statusOfCode, TOOL_CRASHED_FAILURE } from '#shared/tool-result/index.ts';
import type { LoopState } from '#functions/orchestration/call-model/loop-state.ts';
import { scripted, harness, afterTwoLookups, executeOf, toolMessage, waitingForDeletion } from './call-model-harness.ts';

// How CallModel pairs the Map's answers with the calls they answer (turn-results.ts).

describe('CallModel pairs answers with calls by call id', () => {
  it('gives each call its own answer whatever order the Map hands them back in', async () => {
    const { model } = scripted({ text: 'Done.', toolCalls: [], stopReason: 'end_turn' });
    const { callModel, store, complete } = harness(afterTwoLookups(), model);
    complete('lookup_order', 'c1-1', { order: 'first' });
    const state: LoopState = {
      runId: 'run-1',
      iteration: 1,
      execute: executeOf('c1-1', 'c1-2'),
      // Reversed: the second call's failure comes first.
      executed: [
        {
          result: {
            ok: false,
            error: { code: 'TOOL_FAILED' as const, message: 'no such order', suggestion: 'Check the id.', retryable: false },
            callId: 'c1-2',
          },
        },
        { result: { ok: true, receipt: true, callId: 'c1-1' } },
      ],
    };
    expect(await callModel(state)).toEqual({ runId: 'run-1', done: true });
    expect(toolMessage(store.current())).toEqual({
      role: 'tool',
      results: [
        { callId: 'm1', result: { ok: true, data: { order: 'first' } } },
        {
          callId: 'm2',
          result: {
            ok: false,
            error: { code: 'TOOL_FAILED' as const, message: 'no such order', suggestion: 'Check the id.', retryable: false },
          },
        },
      ],
    });
    expect(store.current().calls.map((c) => `${c.callId}:${c.status}`)).toEqual(['c1-1:executed', `c1-2:${statusOfCode.TOOL_FAILED}`]);
  });

  it('never takes an answer that names no call for another call: the call is settled from what its function left', async () => {
    const { model } = scripted({ text: 'Done.', toolCalls: [], stopReason: 'end_turn' });
    const { callModel, store, audit, complete } = harness(afterTwoLookups(), model);
    complete('lookup_order', 'c1-2', { order: 'second' });
    const state: LoopState = {
      runId: 'run-1',
      iteration: 1,
      execute: executeOf('c1-1', 'c1-2'),
      // The first answer names no call; by position it would have been c1-1's.
      executed: [{ result: { ok: true, receipt: true } }, { result: { ok: true, receipt: true, callId: 'c1-2' } }],
    };
    await callModel(state);
    const results = (toolMessage(store.current()) as Extract<ConversationMessage, { role: 'tool' }>).results;
    expect(results[0]).toEqual({ callId: 'm1', result: { ok: false, error: TOOL_CRASHED_FAILURE } });
    expect(results[1]).toEqual({ callId: 'm2', result: { ok: true, data: { order: 'second' } } });
    // c1-1 left no record: audited as an attempt interrupted before it could do anything.
    expect(audit.map((r) => `${r.callId}:${r.status}`)).toEqual(['c1-1:interrupted']);
  });

  it('hands the model an approved call’s answer without the call id its function named', async () => {
    const { model } = scripted({ text: 'It failed.', toolCalls: [], stopReason: 'end_turn' });
    const snapshot = waitingForDeletion();
    const { callModel, store } = harness(snapshot, model);
    const error = { code: 'TOOL_FAILED' as const, message: 'No document at old.md.', suggestion: 'Check the path.', retryable: false };
    await callModel({
      runId: 'run-1',
      iteration: 1,
      approvals: [
        { invocation: { callId: 'c1-1' }, decision: { decision: 'approve' }, outcome: { result: { ok: false, error, callId: 'c1-1' } } },
      ],
    });
    expect(toolMessage(store.current())).toEqual({ role: 'tool', results: [{ callId: 'm1', result: { ok: false, error } }] });
  });

  it('hands the model a crashed call’s stored result and audits the attempt it died before recording', async () => {
    const { model } = scripted({ text: 'Done.', toolCalls: [], stopReason: 'end_turn' });
    const { callModel, store, audit, complete } = harness(afterTwoLookups(), model);
    complete('lookup_order', 'c1-1', { order: 'done before the crash' });
    complete('lookup_order', 'c1-2', { order: 'second' });
    await callModel({
      runId: 'run-1',
      iteration: 1,
      execute: executeOf('c1-1', 'c1-2'),
      executed: [
        { result: { ok: false, error: TOOL_CRASHED_FAILURE, callId: 'c1-1' } },
        { result: { ok: true, receipt: true, callId: 'c1-2' } },
      ],
    });
    const results = (toolMessage(store.current()) as Extract<ConversationMessage, { role: 'tool' }>).results;
    expect(results[0]?.result).toEqual({ ok: true, data: { order: 'done before the crash' } });
    expect(audit.map((r) => `${r.callId}:${r.status}`)).toEqual(['c1-1:executed']);
  });
});
