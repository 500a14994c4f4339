import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { boundedText } from '#shared/argument-types/index.ts';
import { DynamoDbApprovalStore } from '#shared/approval/index.ts';
import { AuditWriteError, DynamoDbAuditStore } from '#shared/audit/index.ts';
import { DynamoDbBreakerStore } from '#shared/breaker/index.ts';
import { DynamoDbIdempotencyStore } from '#shared/idempotency/index.ts';
import { DynamoDbBucketStore, planBucket } from '#shared/rate-limit/index.ts';
import { defineTool } from '#shared/tool/index.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { unreachableDynamoDb } from '../../support/embedded-dynamodb.ts';
import { guard } from '../../support/guard-harness.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();

describe('every guard store fails closed on its own', () => {
  const down = unreachableDynamoDb();
  afterAll(() => down.destroy());
  const cases: Array<[string, () => Promise<unknown>]> = [
    [
      'rate-limit take',
      () => new DynamoDbBucketStore({ client: down, tableName: 'GuardState' }).take('k', planBucket({ capacity: 1, refillPerMinute: 1 })),
    ],
    ['breaker read', () => new DynamoDbBreakerStore({ client: down, tableName: 'GuardState' }).read('t')],
    ['breaker claim', () => new DynamoDbBreakerStore({ client: down, tableName: 'GuardState' }).claimProbe('t', 1)],
    ['idempotency begin', () => new DynamoDbIdempotencyStore({ client: down, tableName: 'Idempotency' }).begin('k', 'h', 1)],
    ['approval get', () => new DynamoDbApprovalStore({ client: down, tableName: 'Approvals' }).get('a')],
  ];
  for (const [what, op] of cases) {
    it(`${what} raises GuardUnavailableError`, async () => {
      await expect(op()).rejects.toBeInstanceOf(GuardUnavailableError);
    });
  }
  it('audit put raises AuditWriteError', async () => {
    const store = new DynamoDbAuditStore({ client: down, tableName: 'Audit' });
    await expect(
      store.put({
        runId: 'r',
        callId: 'c',
        attemptId: 'a',
        tool: 't',
        userId: 'u',
        status: 'executed',
        durationMs: 0,
        at: '',
        arguments: {},
        result: '',
      }),
    ).rejects.toBeInstanceOf(AuditWriteError);
  });
});

describe('a missing table fails the call closed', () => {
  const make = (risk: 'read' | 'destructive') => {
    const executions: unknown[] = [];
    const tool = defineTool({
      name: risk === 'read' ? 'read_note' : 'delete_note',
      description: 'Work on a note for the fail-closed tests. Returns the note text.',
      input: z.strictObject({ text: boundedText({ description: 'The note text, plain words. Max 20 characters.', max: 20 }) }),
      risk,
      limits: { perUser: { capacity: 10, refillPerMinute: 1 }, perTool: { capacity: 10, refillPerMinute: 1 } },
      timeoutMs: 300,
      breaker: { failureThreshold: 3, windowMs: 1000, cooldownMs: 1000 },
      handler: async (input) => (executions.push(input), input),
    });
    return { tool, executions };
  };

  for (const table of ['guard', 'idempotency'] as const) {
    it(`runs nothing when the ${table} table is missing`, async () => {
      const { tool, executions } = make('read');
      const result = await guard(tool, {}, world.db.client, { ...world.tables, [table]: 'NoSuchTable' }).call({ text: 'a' });
      expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', retryable: true } });
      expect(executions).toHaveLength(0);
    });
  }

  it('runs no destructive tool when the approvals table is missing', async () => {
    const { tool, executions } = make('destructive');
    const result = await guard(tool, {}, world.db.client, { ...world.tables, approvals: 'NoSuchTable' }).call(
      { text: 'a' },
      { approvalId: 'appr-1' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(executions).toHaveLength(0);
  });

  it('reports a call whose audit record cannot be written as failed, and its retry replays without running again', async () => {
    const { tool, executions } = make('read');
    const broken = guard(tool, {}, world.db.client, { ...world.tables, audit: 'NoSuchTable' });
    expect(await broken.call({ text: 'a' }, { callId: 'audit-1' })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', retryable: true },
    });
    const healthy = guard(tool, {}, world.db.client, world.tables);
    expect(await healthy.call({ text: 'a' }, { callId: 'audit-1' })).toEqual({ ok: true, data: { text: 'a' } });
    expect(executions).toHaveLength(1);
  });
});
