import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelProvider, ModelRequest, ModelTurn } from '#shared/model/index.ts';
import { DynamoDbRunStore } from '#shared/runs/dynamodb-run-store.ts';
import { RunChangedError } from '#shared/runs/errors.ts';
import { RunStatus, type RunRecord } from '#shared/runs/run-record.ts';
import { createEmbeddedTables, guardTableSpecs, orchestrationTableSpecs } from '#shared/tables/index.ts';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { createCallModel } from '#functions/orchestration/call-model/call-model.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { CallStatus } from '#shared/tool-result/index.ts';
import { embeddedClientConfig } from '../../../infra/local/embedded-aws.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';
import { countRequests } from '../../support/request-counter.ts';

let db: EmbeddedDynamoDb;
let runs: DynamoDbRunStore;
let runsTable: string;
let audit: DynamoDbAuditStore;
beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  const names = await createEmbeddedTables(db.client, [orchestrationTableSpecs.runs, guardTableSpecs.audit], uniquePrefix('runs'));
  runsTable = names.Runs as string;
  runs = new DynamoDbRunStore({ client: db.client, tableName: runsTable });
  audit = new DynamoDbAuditStore({ client: db.client, tableName: names.Audit as string });
});
afterAll(async () => db.stop());

let count = 0;
const newRun = async (): Promise<RunRecord> => {
  const now = new Date().toISOString();
  const run: RunRecord = {
    runId: `run-final-${process.pid}-${++count}`,
    owner: 'ann',
    groups: ['user'],
    input: 'Where is ORD-104233?',
    maxIterations: 5,
    iteration: 0,
    status: RunStatus.RUNNING,
    createdAt: now,
    updatedAt: now,
  };
  await runs.create(run);
  return run;
};

/** A model whose answers the test releases one by one, and counts how often it was asked. */
const heldModel = () => {
  const pending: Array<(turn: ModelTurn) => void> = [];
  let asked = 0;
  let notify: (() => void) | undefined;
  const model: ModelProvider = {
    name: 'held',
    converse: (_request: ModelRequest) =>
      new Promise<ModelTurn>((resolve) => {
        asked++;
        pending.push(resolve);
        notify?.();
      }),
  };
  return {
    model,
    asked: () => asked,
    /** Resolves once the model has been asked `n` times in all. */
    askedTimes: (n: number) =>
      new Promise<void>((resolve) => {
        notify = () => asked >= n && resolve();
        notify();
      }),
    answer: (turn: ModelTurn) => pending.shift()?.(turn),
  };
};

const callModelWith = (model: ModelProvider) =>
  createCallModel({
    runs,
    registry: toolCatalog,
    modelFor: () => model,
    openBreakers: async () => new Set(),
    storedCallsOf: async () => new Map(),
    functionNameOf: (tool) => tool,
    systemPrompt: 'test',
    audit,
  });
/** A new run, a model the test answers, and CallModel bound to both. */
const aRun = async () => {
  const held = heldModel();
  return { run: await newRun(), held, callModel: callModelWith(held.model) };
};
const lookup = { id: 'm1', name: 'lookup_order', arguments: { orderId: 'ORD-104233' } };

describe('a finished run is final', () => {
  it('ignores a model answer that arrives after the run was marked FAILED (the task had timed out)', async () => {
    const { run, held, callModel } = await aRun();
    const late = callModel({ runId: run.runId });
    await held.askedTimes(1);
    await callModel({ runId: run.runId, failed: true });
    held.answer({ text: 'All done.', toolCalls: [], stopReason: 'end_turn' });
    expect(await late).toEqual({ runId: run.runId, done: true });
    const after = await runs.load(run.runId);
    expect(after?.run).toMatchObject({ status: 'FAILED', iteration: 0 });
    expect(after?.messages).toHaveLength(1);
  });

  it('answers a repeated CallModel as the first one did, without asking the model again or writing', async () => {
    const { run, held, callModel } = await aRun();
    const first = callModel({ runId: run.runId });
    await held.askedTimes(1);
    held.answer({ toolCalls: [lookup], stopReason: 'tool_use' });
    const firstOut = await first;
    expect(firstOut).toMatchObject({
      iteration: 1,
      done: false,
      execute: [{ functionName: 'lookup_order', invocation: { callId: 'c1-1', arguments: { orderId: 'ORD-104233' } } }],
    });
    const repeated = await callModel({ runId: run.runId });
    expect(repeated).toEqual(firstOut);
    expect(held.asked()).toBe(1);
    expect((await runs.load(run.runId))?.messages).toHaveLength(2);
  });

  it('lets only one of two concurrent CallModels of the same step write; the other answers as the winner did', async () => {
    const { run, held, callModel } = await aRun();
    const a = callModel({ runId: run.runId });
    const b = callModel({ runId: run.runId });
    await held.askedTimes(2);
    // Whichever of the two asked first gets this answer and writes; which one that is, is the engine's timing.
    held.answer({ toolCalls: [lookup], stopReason: 'tool_use' });
    const winner = await Promise.race([a, b]);
    held.answer({ text: 'A different answer that must not land.', toolCalls: [], stopReason: 'end_turn' });
    expect(await a).toEqual(winner);
    expect(await b).toEqual(winner);
    expect(winner).toMatchObject({ iteration: 1, done: false, execute: [{ functionName: 'lookup_order' }] });
    const after = await runs.load(run.runId);
    expect(after?.run).toMatchObject({ status: 'RUNNING', iteration: 1 });
    expect(after?.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('records a call refused at screening once, however often its step is repeated', async () => {
    const { run, held, callModel } = await aRun();
    const first = callModel({ runId: run.runId });
    await held.askedTimes(1);
    held.answer({ toolCalls: [{ id: 'm9', name: 'drop_tables', arguments: { all: true } }, lookup], stopReason: 'tool_use' });
    await first;
    await callModel({ runId: run.runId });
    await callModel({ runId: run.runId });
    expect(await audit.listByRun(run.runId)).toEqual([
      expect.objectContaining({ callId: 'c1-1', status: 'rejected', code: 'UNKNOWN_TOOL', attemptId: 'screening-c1-1', userId: 'ann' }),
    ]);
  });

  it('refuses a step from an iteration the run has left behind', async () => {
    const run = await newRun();
    await runs.advance({ ...run, iteration: 2 }, [], 2, [], { status: RunStatus.RUNNING, iteration: 0 });
    await expect(callModelWith(heldModel().model)({ runId: run.runId, iteration: 0 })).rejects.toBeInstanceOf(RunChangedError);
  });
});

describe('DynamoDbRunStore', () => {
  it('refuses a write that expects another status or iteration, and writes none of its messages', async () => {
    const run = await newRun();
    await runs.advance({ ...run, iteration: 1 }, [{ role: 'assistant', text: 'one', toolCalls: [] }], 2, [], {
      status: RunStatus.RUNNING,
      iteration: 0,
    });
    const stale = runs.advance(
      { ...run, iteration: 1, status: RunStatus.SUCCEEDED },
      [{ role: 'assistant', text: 'stale', toolCalls: [] }],
      2,
      [],
      { status: RunStatus.RUNNING, iteration: 0 },
    );
    await expect(stale).rejects.toBeInstanceOf(RunChangedError);
    const after = await runs.load(run.runId);
    expect(after?.run).toMatchObject({ status: 'RUNNING', iteration: 1 });
    expect(after?.messages.at(-1)).toMatchObject({ text: 'one' });
  });

  it('saves a step of many items whole, in one transaction where the engine has them, and asks dynalite for one only once', async () => {
    const client = createDynamoDbClient(embeddedClientConfig(db.endpoint));
    const { sent } = countRequests(client);
    const store = new DynamoDbRunStore({ client, tableName: runsTable });
    const run = await newRun();
    const callsOf = (iteration: number) =>
      Array.from({ length: 30 }, (_, i) => ({
        callId: `c${iteration}-${i}`,
        modelCallId: `m${i}`,
        tool: 'lookup_order',
        iteration,
        status: CallStatus.RUNNING,
      }));
    const turn = (text: string) => [{ role: 'assistant' as const, text, toolCalls: [] }];
    sent.length = 0;
    await store.advance({ ...run, iteration: 1 }, turn('one'), 2, callsOf(1), { status: RunStatus.RUNNING, iteration: 0 });
    const first = sent.splice(0).map((s) => s.command);
    await store.advance({ ...run, iteration: 2 }, turn('two'), 3, callsOf(2), { status: RunStatus.RUNNING, iteration: 1 });
    const second = sent.splice(0).map((s) => s.command);
    const saved = await store.load(run.runId);
    expect(saved?.run).toMatchObject({ iteration: 2 });
    expect(saved?.messages.map((m) => ('text' in m ? m.text : ''))).toEqual([run.input, 'one', 'two']);
    expect(saved?.calls.map((c) => c.callId).sort()).toEqual([...callsOf(1), ...callsOf(2)].map((c) => c.callId).sort());
    if (db.engine === 'dynalite') {
      // No transactions here: the first step learns it, and each step claims the run, writes its
      // 31 items (a put each, the actions the transaction's items ask for), then the run record.
      const claimPath = ['UpdateItemCommand', ...Array<string>(31).fill('PutItemCommand'), 'UpdateItemCommand'];
      expect(first).toEqual(['TransactWriteItemsCommand', ...claimPath]);
      expect(second).toEqual(claimPath);
    } else {
      expect([first, second]).toEqual([['TransactWriteItemsCommand'], ['TransactWriteItemsCommand']]);
    }
    client.destroy();
  });

  it('never changes a run that has ended', async () => {
    const run = await newRun();
    const succeeded = await runs.finish(run, RunStatus.SUCCEEDED, 'Yes.');
    expect(succeeded.status).toBe('SUCCEEDED');
    expect(await runs.finish(run, RunStatus.FAILED, 'late')).toMatchObject({ status: 'SUCCEEDED', output: 'Yes.' });
    await expect(
      runs.advance({ ...succeeded, status: RunStatus.RUNNING }, [], 2, [], { status: RunStatus.RUNNING, iteration: 0 }),
    ).rejects.toBeInstanceOf(RunChangedError);
    expect((await runs.load(run.runId))?.run).toMatchObject({ status: 'SUCCEEDED', output: 'Yes.' });
  });
});
