import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod/mini';
import { boundedText } from '#shared/argument-types/index.ts';
import { buildAuditRecord } from '#shared/audit/audit-record.ts';
import { DynamoDbAuditStore } from '#shared/audit/dynamodb-audit-store.ts';
import { defineTool } from '#shared/tool/index.ts';
import { guard } from '../../support/guard-harness.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const SECRETS = [
  'hunter2-password',
  'AKIAIOSFODNN7EXAMPLE',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNpZw',
  '4111 1111 1111 1111',
];

const world = useGuardWorld();
afterEach(() => vi.restoreAllMocks());

const noteTool = defineTool({
  name: 'create_note',
  description: 'Create a note with free text for the audit tests. Returns the stored note.',
  input: z.strictObject({
    text: boundedText({ description: 'Free text of the note, any words. Max 500 characters.', max: 500 }),
    password: z.optional(boundedText({ description: 'A password field the model should never send here.', max: 50 })),
  }),
  risk: 'write',
  limits: { perUser: { capacity: 50, refillPerMinute: 1 }, perTool: { capacity: 50, refillPerMinute: 1 } },
  timeoutMs: 500,
  breaker: { failureThreshold: 5, windowMs: 60_000, cooldownMs: 60_000 },
  handler: async (input) => ({ stored: input.text, echo: input.password ?? null }),
});

describe('buildAuditRecord', () => {
  it('redacts arguments and results and keeps the summary short', () => {
    const record = buildAuditRecord({
      runId: 'r',
      callId: 'c',
      attemptId: 'a',
      tool: 't',
      userId: 'u',
      status: 'executed',
      startedAt: 0,
      endedAt: 12,
      arguments: { password: SECRETS[0], note: `key ${SECRETS[1]}` },
      result: { token: 'x', big: 'y'.repeat(5000) },
    });
    expect(JSON.stringify(record)).not.toMatch(/hunter2|AKIAIOSFODNN7EXAMPLE/);
    expect(record.result.length).toBeLessThanOrEqual(1025);
    expect(record.durationMs).toBe(12);
  });
  it('keeps a record of a malformed envelope without keeping its garbage', () => {
    const record = buildAuditRecord({
      runId: { $ne: 1 },
      callId: '../../x',
      attemptId: 'a',
      tool: 't',
      userId: undefined,
      status: 'rejected',
      startedAt: 0,
      endedAt: 0,
      arguments: null,
      result: null,
    });
    expect(record).toMatchObject({ runId: 'invalid', callId: 'invalid', userId: 'invalid' });
  });
});

describe('secrets in a full call', () => {
  it('reach neither the logs nor the audit trail, on success and on failure', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });
    const g = guard(noteTool, {}, world.db.client, world.tables, { logger });
    const runId = 'run-secrets';
    const text = `my card ${SECRETS[3]} and key ${SECRETS[1]} and jwt ${SECRETS[2]}`;
    await g.call({ text, password: SECRETS[0] }, { runId, groups: ['operator'] });
    await g.call({ text, password: SECRETS[0], extra: SECRETS[1] }, { runId, groups: ['operator'] });
    await g.call({ text, password: SECRETS[0] }, { runId, groups: ['user'] });
    vi.restoreAllMocks();
    const records = await new DynamoDbAuditStore({ client: world.db.client, tableName: world.tables.audit }).listByRun(runId);
    expect(records).toHaveLength(3);
    expect(lines.join('').length).toBeGreaterThan(0);
    for (const secret of SECRETS) {
      expect(lines.join('')).not.toContain(secret);
      expect(JSON.stringify(records)).not.toContain(secret);
    }
    expect(lines.join('')).toContain('"runId":"run-secrets"');
  });
});
