import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyStore, idempotencyKey } from '#shared/idempotency/index.ts';
import { DynamoDbRunStore, RunStatus, type RunRecord } from '#shared/runs/index.ts';
import { demoApp, synthesizeDemoStack } from '../../../../infra/local/demo-app.ts';
import { createTables, startDataServices, type DataServices, type LocalTables } from '../../../../infra/local/system/data-services.ts';
import { stateMachineOf } from '../../../../infra/local/system/executions.ts';
import { resumeUnfinished } from '../../../../infra/local/system/resume-runs.ts';

// The local system's named steps, each on its own: the data services and their tables, resuming
// what a stop left, and the synthesized state machine with the loop's tasks stood in for.
let dataDir: string;
let data: DataServices;
let stores: LocalTables;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-steps-'));
  data = await startDataServices({ dataDir });
  stores = await createTables(data, synthesizeDemoStack().agent, demoApp());
});
afterAll(async () => {
  await data?.inFlight.settled();
  await data?.stopEngine();
  await (await data?.aws)?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('startDataServices and createTables', () => {
  it("makes every table of the app's stack, named with the engine's prefix, and seeds the app's data", async () => {
    expect(Object.keys(stores.names).sort()).toEqual(
      ['Announcements', 'Approvals', 'Audit', 'GuardState', 'Idempotency', 'KnowledgeBase', 'Orders', 'Runs', 'Tickets'].sort(),
    );
    for (const name of Object.values(stores.names)) expect(name.startsWith(data.prefix)).toBe(true);
    const order = await data.client.send(
      new GetItemCommand({ TableName: stores.names.Orders, Key: { orderId: { S: 'ORD-104233' } }, ConsistentRead: true }),
    );
    expect(order.Item?.orderId?.S).toBe('ORD-104233');
  });
});

describe('resumeUnfinished', () => {
  it('starts an unfinished run again from its last saved step, its calls in flight abandoned, and leaves an ended one', async () => {
    const runs = new DynamoDbRunStore({ client: data.client, tableName: stores.runsTable });
    const claims = new DynamoDbIdempotencyStore({ client: data.client, tableName: stores.tables.idempotency });
    const now = new Date().toISOString();
    const base = { owner: 'uma', groups: ['user'], input: 'hello', maxIterations: 5, createdAt: now, updatedAt: now };
    const waiting: RunRecord = { ...base, runId: 'run-steps-waiting', iteration: 0, status: RunStatus.RUNNING };
    await runs.create(waiting);
    const call = { callId: 'c1-1', modelCallId: 'm1', tool: 'lookup_order', iteration: 1, status: 'running' as const };
    await runs.advance({ ...waiting, iteration: 1 }, [], 2, [call as never], { status: RunStatus.RUNNING, iteration: 0 });
    await claims.begin(idempotencyKey('lookup_order', waiting.runId, 'c1-1'), 'hash', 60_000);
    await runs.create({ ...base, runId: 'run-steps-ended', iteration: 1, status: RunStatus.SUCCEEDED });
    const started: Array<[string, number | undefined]> = [];
    const resumed = await resumeUnfinished(data.client, stores, async (runId, iteration) => void started.push([runId, iteration]));
    expect(resumed).toEqual(['run-steps-waiting']);
    expect(started).toEqual([['run-steps-waiting', 0]]);
    // The dead attempt's claim is abandoned: the resumed attempt takes it over at once.
    expect((await claims.read(idempotencyKey('lookup_order', waiting.runId, 'c1-1')))?.inProgressUntil).toBe(0);
  });
});

describe('stateMachineOf', () => {
  it("runs the synthesized definition on the loop's tasks and records the states it enters", async () => {
    const machine = stateMachineOf(synthesizeDemoStack(), {
      callModel: async () => ({ runId: 'run-steps-machine', done: true }),
      invokeTool: async () => ({ Payload: {} }),
      awaitApproval: async () => ({}),
    });
    await machine.startExecution('run-steps-machine');
    const execution = await machine.settledExecution('run-steps-machine', true);
    expect(execution?.states).toEqual(['CallModel', 'Route', 'RunEnded']);
    // An execution that succeeded is not redriven, as Step Functions answers.
    await expect(machine.redriveExecution('run-steps-machine')).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
    await machine.stop();
  });

  it('redrives a failed execution from the state it failed in, with its input, and nothing else', async () => {
    // CallModel fails (its catch goes to MarkFailed), then MarkFailed fails through its retries: the run's table is down.
    let down = true;
    const seen: unknown[] = [];
    const machine = stateMachineOf(
      synthesizeDemoStack(),
      {
        callModel: async (input: { runId: string; error?: unknown }) => {
          seen.push(input);
          if (down) throw Object.assign(new Error('DynamoDB is down'), { name: 'GuardUnavailableError' });
          return { runId: input.runId, done: true };
        },
        invokeTool: async () => ({ Payload: {} }),
        awaitApproval: async () => ({}),
      } as never,
      0,
    );
    await machine.startExecution('run-steps-redrive');
    const failed = await machine.settledExecution('run-steps-redrive', true);
    expect(failed?.failedAt?.state).toBe('MarkFailed');
    const markFailedInput = failed?.failedAt?.input;
    expect(markFailedInput).toMatchObject({ runId: 'run-steps-redrive', error: { Error: 'GuardUnavailableError' } });
    const before = failed?.states.length ?? 0;

    const markFailedTask = seen.at(-1);
    expect(markFailedTask).toEqual({ runId: 'run-steps-redrive', failed: true });
    down = false;
    seen.length = 0;
    await machine.redriveExecution('run-steps-redrive');
    const redriven = await machine.settledExecution('run-steps-redrive', true);
    // Only MarkFailed again, on the input it failed with; CallModel is not run again.
    expect(seen).toEqual([markFailedTask]);
    // It goes on from there as the definition says: the run marked failed, the execution ends in its Fail state.
    expect(redriven?.states.slice(before)).toEqual(['MarkFailed', 'RunFailed']);
    await machine.stop();
  });
});
