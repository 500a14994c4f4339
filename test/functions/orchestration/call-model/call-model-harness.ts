import type { AuditRecord } from '#shared/audit/index.ts';
import { type IdempotencyRecord, RecordStatus } from '#shared/idempotency/index.ts';
import {
  type ConversationMessage,
  type ModelProvider,
  type ModelTurn,
  promptTokenBound,
  type ToolCallRequest,
} from '#shared/model/index.ts';
import { type CallRecord, RunChangedError, type RunRecord, type RunSnapshot, RunStatus } from '#shared/runs/index.ts';
import { createCallModel, type CallModelDeps } from '#functions/orchestration/call-model/call-model.ts';
import { storedCalls } from '#functions/orchestration/call-model/stored-call.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';

// CallModel alone, with fake dependencies: the run store, the model, the stores it audits and
// approves through. The same function against a real DynamoDB (conditional writes, races) is in test/shared/runs.

export const T0 = Date.parse('2026-11-30T12:00:00.000Z');

export const runOf = (overrides: Partial<RunRecord> = {}): RunRecord => ({
  runId: 'run-1',
  owner: 'ann',
  groups: ['admin'],
  input: 'Tidy up',
  maxIterations: 5,
  iteration: 0,
  status: RunStatus.RUNNING,
  createdAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
  ...overrides,
});

/** An in-memory run store with the real one's contract: writes conditioned on the status and iteration loaded. */
export const fakeRuns = (initial: RunSnapshot) => {
  let snapshot = structuredClone(initial);
  const saves: Array<{ run: RunRecord; appended: readonly ConversationMessage[]; calls: readonly CallRecord[] }> = [];
  let beforeAdvance: (() => void) | undefined;
  const runs: CallModelDeps['runs'] = {
    load: async () => structuredClone(snapshot),
    advance: async (run, appended, _firstSeq, calls, expected) => {
      beforeAdvance?.();
      if (snapshot.run.status !== expected.status || snapshot.run.iteration !== expected.iteration)
        throw new RunChangedError(run.runId, expected);
      saves.push({ run, appended, calls });
      const byId = new Map(snapshot.calls.map((c) => [c.callId, c]));
      for (const call of calls) byId.set(call.callId, call);
      snapshot = { run, messages: [...snapshot.messages, ...appended], calls: [...byId.values()] };
    },
    finish: async (run, status, output) => {
      if (snapshot.run.status !== RunStatus.RUNNING && snapshot.run.status !== RunStatus.WAITING_FOR_APPROVAL) return snapshot.run;
      snapshot = { ...snapshot, run: { ...run, status, ...(output === undefined ? {} : { output }) } };
      return snapshot.run;
    },
  };
  return {
    runs,
    saves,
    current: () => snapshot,
    /** Another step saves first: the next advance finds the run moved on. */
    overtakeWith: (other: RunSnapshot) => {
      beforeAdvance = () => {
        snapshot = structuredClone(other);
        beforeAdvance = undefined;
      };
    },
  };
};

/** A model that answers from a list and records what it was asked. */
export const scripted = (...turns: ModelTurn[]) => {
  const asked: Array<{ tools: string[]; messages: readonly ConversationMessage[]; maxTokens?: number; promptTokens: number }> = [];
  const model: ModelProvider = {
    name: 'fake',
    converse: async (request) => {
      asked.push({
        tools: request.tools.map((t) => t.name),
        messages: request.messages,
        ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
        promptTokens: promptTokenBound(request),
      });
      const turn = turns.shift();
      if (!turn) throw new Error('the model was asked more often than the test expected');
      return turn;
    },
  };
  return { model, asked };
};

export const harness = (snapshot: RunSnapshot, model: ModelProvider, overrides: Partial<CallModelDeps> = {}) => {
  const store = fakeRuns(snapshot);
  const audit: AuditRecord[] = [];
  const events: string[] = [];
  const stored = new Map<string, IdempotencyRecord>();
  const deps: CallModelDeps = {
    runs: store.runs,
    registry: toolCatalog,
    modelFor: () => model,
    openBreakers: async () => new Set(),
    storedCallsOf: storedCalls({
      readMany: async (keys) => new Map(keys.flatMap((key) => (stored.has(key) ? [[key, stored.get(key)!]] : []))),
    }),
    functionNameOf: (tool) => `fn-${tool}`,
    systemPrompt: 'system',
    now: () => T0 + 1000,
    audit: {
      put: async (record) => void audit.push(record),
      putIfAbsent: async (record) => {
        if (audit.some((r) => r.runId === record.runId && r.attemptId === record.attemptId)) return false;
        audit.push(record);
        return true;
      },
      listByRun: async (runId) => audit.filter((r) => r.runId === runId),
      countCallsSince: async () => 0,
    },
    events: {
      runEnded: (status, iterations) => events.push(`runEnded:${status}:${iterations}`),
      approvalExpired: (tool) => events.push(`approvalExpired:${tool}`),
    },
    onApprovalClosed: async (approvalId, _tool, why) => void events.push(`${why}:${approvalId}`),
    ...overrides,
  };
  const complete = (tool: string, callId: string, result: unknown) =>
    stored.set(`${tool}#run-1#${callId}`, { status: RecordStatus.COMPLETED, argsHash: 'h', result, inProgressUntil: 0 });
  return { callModel: createCallModel(deps), store, audit, events, complete };
};

export const user: ConversationMessage = { role: 'user', text: 'Tidy up' };
export const lookupCall = (id: string, orderId: string): ToolCallRequest => ({ id, name: 'lookup_order', arguments: { orderId } });

/** A run whose first turn asked for two lookups, both sent to the Map state. */
export const afterTwoLookups = (): RunSnapshot => ({
  run: runOf({ iteration: 1 }),
  messages: [user, { role: 'assistant', toolCalls: [lookupCall('m1', 'ORD-100001'), lookupCall('m2', 'ORD-100002')] }],
  calls: [
    { callId: 'c1-1', modelCallId: 'm1', tool: 'lookup_order', iteration: 1, status: 'running' as CallRecord['status'] },
    { callId: 'c1-2', modelCallId: 'm2', tool: 'lookup_order', iteration: 1, status: 'running' as CallRecord['status'] },
  ],
});
export const executeOf = (...callIds: string[]) =>
  callIds.map((callId) => ({
    functionName: 'fn-lookup_order',
    invocation: {
      runId: 'run-1',
      callId,
      tool: 'lookup_order',
      caller: { userId: 'ann', groups: ['admin'] },
      arguments: {},
      receipt: true as const,
    },
  }));
export const toolMessage = (snapshot: RunSnapshot) => snapshot.messages.find((m) => m.role === 'tool');

/** A run waiting for a person's decision on its one call: delete_document on old.md. */
export const waitingForDeletion = (): RunSnapshot => ({
  run: runOf({ iteration: 1, status: RunStatus.WAITING_FOR_APPROVAL }),
  messages: [user, { role: 'assistant', toolCalls: [{ id: 'm1', name: 'delete_document', arguments: { path: 'old.md' } }] }],
  calls: [
    { callId: 'c1-1', modelCallId: 'm1', tool: 'delete_document', iteration: 1, status: 'awaiting_approval' as CallRecord['status'] },
  ],
});
