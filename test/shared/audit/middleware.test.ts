import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { PendingPut } from '#shared/aws/index.ts';
import type { AuditRecord } from '#shared/audit/audit-record.ts';
import { AuditWriteError } from '#shared/audit/errors.ts';
import { auditTrail } from '#shared/audit/middleware.ts';
import { IdempotentReplay } from '#shared/idempotency/index.ts';
import { RateLimitedError } from '#shared/rate-limit/index.ts';
import { deferPut } from '#shared/plumbing/index.ts';
import { ToolFailedError } from '#shared/tool-result/index.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

const event = {
  runId: 'run-1',
  callId: 'call-1',
  tool: 'lookup_note',
  caller: { userId: 'alice', groups: ['user'] },
  arguments: { text: 'a', apiKey: 'sk-should-never-be-stored-0123456789' },
};

/** An audit store that keeps what it was asked to put, or fails as told. */
const fakeStore = (fails?: Error) => {
  const puts: Array<{ record: AuditRecord; alongside: readonly PendingPut[] }> = [];
  return {
    puts,
    store: {
      put: async (record: AuditRecord, alongside: readonly PendingPut[] = []) => {
        puts.push({ record, alongside });
        if (fails) throw fails;
      },
    },
  };
};

/** The audit trail alone around a handler, on a clock that moves 25 ms per reading. */
const audited = (
  fake: ReturnType<typeof fakeStore>,
  handler: (context: Context) => Promise<unknown>,
  extra: { onStoreError?: (error: unknown, record: AuditRecord) => void } = {},
) => {
  let clock = Date.UTC(2026, 11, 1, 9);
  const seen: AuditRecord[] = [];
  const wrapped = middy<unknown, unknown, Error, Context>()
    .use(
      auditTrail({
        store: fake.store,
        tool: 'lookup_note',
        declaration: 'v-1',
        now: () => (clock += 25),
        onRecord: (record) => void seen.push(record),
        ...extra,
      }),
    )
    .handler((_event: unknown, context: Context) => handler(context));
  return { seen, call: () => wrapped(event, lambdaContext()) };
};

describe('auditTrail, alone through middy', () => {
  it('writes one executed record per attempt, redacted, timed by its clock, with what an inner layer deferred', async () => {
    const fake = fakeStore();
    const stored: PendingPut = { tableName: 'Idempotency', item: {}, failure: (cause) => new Error('x', { cause }) };
    const { call, seen } = audited(fake, async (context) => (deferPut(context, stored), { noteId: 'N-1' }));
    expect(await call()).toEqual({ noteId: 'N-1' });
    expect(fake.puts).toHaveLength(1);
    const [{ record, alongside }] = fake.puts as [{ record: AuditRecord; alongside: PendingPut[] }];
    expect(record).toMatchObject({
      runId: 'run-1',
      callId: 'call-1',
      tool: 'lookup_note',
      userId: 'alice',
      status: 'executed',
      declaration: 'v-1',
    });
    expect(record.durationMs).toBe(25);
    expect(JSON.stringify(record)).not.toContain('sk-should-never-be-stored');
    expect(alongside).toEqual([stored]);
    expect(seen).toEqual([record]);
  });

  it('records a replay as replayed, with the stored result', async () => {
    const fake = fakeStore();
    await audited(fake, async () => new IdempotentReplay({ noteId: 'N-0' })).call();
    expect(fake.puts.map((p) => p.record.status)).toEqual(['replayed']);
    expect(fake.puts[0]?.record.result).toContain('N-0');
  });

  it('records a refusal under its own status and code, and lets the error through', async () => {
    const fake = fakeStore();
    const error = await audited(fake, async () => Promise.reject(new RateLimitedError('user', 'lookup_note', 1000)))
      .call()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(fake.puts.map((p) => [p.record.status, p.record.code])).toEqual([['rate_limited', 'RATE_LIMITED']]);
  });

  it('writes no second record when the first could not be written after a result: the attempt fails with that error', async () => {
    const fake = fakeStore(new AuditWriteError());
    await expect(audited(fake, async () => ({ noteId: 'N-2' })).call()).rejects.toBeInstanceOf(AuditWriteError);
    expect(fake.puts).toHaveLength(1);
  });

  it('keeps a failure’s own error when its record cannot be written, and says so', async () => {
    const down = new AuditWriteError();
    const fake = fakeStore(down);
    const told: Array<[unknown, string]> = [];
    const { call } = audited(fake, async () => Promise.reject(new ToolFailedError('down')), {
      onStoreError: (e, record) => void told.push([e, record.status]),
    });
    await expect(call()).rejects.toBeInstanceOf(ToolFailedError);
    expect(told).toEqual([[down, 'failed']]);
  });

  it('names its hooks as middy names them', () => {
    const middleware = auditTrail({ store: fakeStore().store, tool: 'lookup_note' });
    expect([middleware.before?.name, middleware.after?.name, middleware.onError?.name]).toEqual([
      'auditTrailBefore',
      'auditTrailAfter',
      'auditTrailOnError',
    ]);
  });
});
