import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditStore } from '#shared/audit/dynamodb-audit-store.ts';
import type { GuardTables } from '#shared/pipeline/index.ts';
import { createEmbeddedTables } from '#shared/tables/index.ts';
import { CRASH_TOOL_LOCK_MS, crashTool } from '../../support/crash-tool.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';
import { createGuardTables, guard, invocation } from '../../support/guard-harness.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

/**
 * A Lambda can die anywhere: after its side effect and before anything is recorded, or after its
 * result is stored and before its audit record. Each case is made real here: the attempt runs in a
 * process of its own, killed with SIGKILL at that point, and the next attempt at the same call
 * (the retry Step Functions makes, or the resumed run) finds it and records it.
 */
let db: EmbeddedDynamoDb;
let tables: GuardTables;
let effects: string;
beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  tables = await createGuardTables(db.client);
  effects = (await createEmbeddedTables(db.client, [{ id: 'Effects', envVar: 'EFFECTS_TABLE', partitionKey: 'pk' }], uniquePrefix('fx')))
    .Effects as string;
});
afterAll(async () => db?.stop());

const REPO = join(import.meta.dirname, '..', '..', '..');

/** Runs one attempt in a child process that is killed at `crashAt`; resolves with the signal that ended it. */
const crashedAttempt = (crashAt: 'after-effect' | 'before-audit', event: unknown, attemptId: string) =>
  new Promise<string | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(REPO, 'test/support/crashing-attempt.ts'),
        JSON.stringify({ endpoint: db.endpoint, tables, effects, crashAt, event, attemptId }),
      ],
      {
        cwd: REPO,
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      signal ? resolve(signal) : reject(new Error(`the attempt was not killed (exit ${code}): ${output}`)),
    );
  });

const effectsOf = async (runId: string) =>
  (await db.client.send(new ScanCommand({ TableName: effects, ConsistentRead: true }))).Items?.filter((item) =>
    item.pk?.S?.startsWith(`${runId}.`),
  ).length ?? 0;
const auditOf = (runId: string) => new DynamoDbAuditStore({ client: db.client, tableName: tables.audit }).listByRun(runId);

describe('an attempt that dies mid-call still has exactly one audit record', () => {
  it('died right after its side effect: the next attempt records it as interrupted, then runs the call', async () => {
    const event = invocation(
      crashTool,
      { text: 'first note' },
      { runId: 'run-crash-effect', callId: 'c1-1', userId: 'olga', groups: ['operator'] },
    );
    expect(await crashedAttempt('after-effect', event, 'attempt-crashed-1')).toBe('SIGKILL');
    expect(await effectsOf('run-crash-effect')).toBe(1);
    expect(await auditOf('run-crash-effect')).toEqual([]);

    // The retry comes once the dead attempt's claim has lapsed (its lock outlives the Lambda's timeout).
    const later = guard(crashTool, { client: db.client, effects }, db.client, tables, { now: () => Date.now() + CRASH_TOOL_LOCK_MS });
    const retried = await later.handler(event, { ...lambdaContext(), awsRequestId: 'attempt-retry-1' });
    expect(retried).toMatchObject({ ok: true, data: { noteId: expect.any(String) } });
    expect((await auditOf('run-crash-effect')).map((r) => [r.attemptId, r.status, r.userId])).toEqual([
      ['attempt-crashed-1', 'interrupted', 'olga'],
      ['attempt-retry-1', 'executed', 'olga'],
    ]);
    // Its effect had happened: the record says the outcome is unknown, and the call ran again.
    expect(await effectsOf('run-crash-effect')).toBe(2);
    expect((await auditOf('run-crash-effect'))[0]?.result).toContain('unknown');

    // A third attempt is a replay, and the interrupted one is not recorded twice.
    await later.handler(event, { ...lambdaContext(), awsRequestId: 'attempt-retry-2' });
    expect((await auditOf('run-crash-effect')).map((r) => r.status)).toEqual(['interrupted', 'executed', 'replayed']);
  });

  it('died after its result was stored, before its audit record: the next attempt writes its executed record', async () => {
    const event = invocation(
      crashTool,
      { text: 'second note' },
      { runId: 'run-crash-audit', callId: 'c1-1', userId: 'olga', groups: ['operator'] },
    );
    expect(await crashedAttempt('before-audit', event, 'attempt-crashed-2')).toBe('SIGKILL');
    expect(await effectsOf('run-crash-audit')).toBe(1);
    expect(await auditOf('run-crash-audit')).toEqual([]);

    const retry = guard(crashTool, { client: db.client, effects }, db.client, tables);
    const replayed = await retry.handler(event, { ...lambdaContext(), awsRequestId: 'attempt-retry-3' });
    expect(replayed).toMatchObject({ ok: true, data: { noteId: expect.stringMatching(/^run-crash-audit\.c1-1\./) } });
    const records = await auditOf('run-crash-audit');
    expect(records.map((r) => [r.attemptId, r.status])).toEqual([
      ['attempt-crashed-2', 'executed'],
      ['attempt-retry-3', 'replayed'],
    ]);
    // The executed record is the dead attempt's own: its start, how long it ran, what it returned.
    expect(records[0]?.result).toContain((replayed as { data: { noteId: string } }).data.noteId);
    expect(records[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(await effectsOf('run-crash-audit')).toBe(1);

    await retry.handler(event, { ...lambdaContext(), awsRequestId: 'attempt-retry-4' });
    expect((await auditOf('run-crash-audit')).map((r) => [r.attemptId, r.status])).toEqual([
      ['attempt-crashed-2', 'executed'],
      ['attempt-retry-3', 'replayed'],
      ['attempt-retry-4', 'replayed'],
    ]);
  });
});
