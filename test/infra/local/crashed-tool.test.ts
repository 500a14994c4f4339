import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyStore, idempotencyKey } from '#shared/idempotency/index.ts';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import type { GuardedHandler } from '#shared/pipeline/index.ts';
import { startLocalLoop } from '../../support/local-loop.ts';

/**
 * A tool function that fails as a Lambda (its sandbox dies) is caught by the state machine as
 * ToolCrashed. What it did before dying is in its idempotency record, and CallModel reads it: a
 * stored result is handed to the model as done, and every attempt has exactly one audit record.
 */
let loop: Awaited<ReturnType<typeof startLocalLoop>>;
beforeAll(async () => {
  loop = await startLocalLoop();
});
afterAll(async () => loop?.stop());

const ticket = { name: 'create_ticket', arguments: { title: 'Printer', description: 'It jams.', priority: 'low' } };
const operator = { userId: 'olga', groups: ['operator'] };

/** Replaces the tool's function for one run with one that dies (throws as the Lambda) after `before`. */
const dyingAfter = async (
  tool: string,
  before: (real: GuardedHandler, event: unknown, context: unknown) => Promise<unknown>,
  run: () => Promise<Awaited<ReturnType<typeof loop.run>>>,
) => {
  const real = loop.tools[tool]!;
  loop.tools[tool] = async (event, context) => {
    await before(real, event, context);
    throw Object.assign(new Error('The sandbox died.'), { name: 'Runtime.ExitError' });
  };
  try {
    return await run();
  } finally {
    loop.tools[tool] = real;
  }
};

describe('a tool function that dies', () => {
  it('after its work and its own audit record: the model is told it was done, with its result, and nothing is recorded twice', async () => {
    const run = await dyingAfter(
      'create_ticket',
      (real, event, context) => real(event, context as never),
      () => loop.run({ turns: [{ toolCalls: [ticket] }, { text: 'Filed.' }], ...operator }),
    );
    expect(run.status).toBe('SUCCEEDED');
    const snapshot = await loop.runs.load(run.runId);
    expect(snapshot?.calls).toEqual([expect.objectContaining({ tool: 'create_ticket', status: 'executed' })]);
    expect(JSON.stringify(snapshot?.messages)).toMatch(/"ticketId":"TCK-[0-9A-F]{10}"/);
    expect((await loop.deps.audit.listByRun(run.runId)).map((r) => r.status)).toEqual(['executed']);
  });

  it('holding the call (claimed, then died): audited as interrupted under its own attempt, and the model told it failed', async () => {
    const idempotency = new DynamoDbIdempotencyStore({ client: loop.client, tableName: loop.tables.idempotency });
    const run = await dyingAfter(
      'create_ticket',
      async (_real, event) => {
        const { runId, callId, arguments: args } = event as { runId: string; callId: string; arguments: unknown };
        await idempotency.begin(idempotencyKey('create_ticket', runId, callId), hashCanonical(args), 60_000, {
          attemptId: 'attempt-that-died',
          startedAt: Date.now(),
        });
      },
      () => loop.run({ turns: [{ toolCalls: [ticket] }, { text: 'It failed.' }], ...operator }),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect((await loop.runs.load(run.runId))?.calls).toEqual([expect.objectContaining({ status: 'failed', code: 'INTERNAL' })]);
    expect((await loop.deps.audit.listByRun(run.runId)).map((r) => [r.attemptId, r.status, r.userId])).toEqual([
      ['attempt-that-died', 'interrupted', 'olga'],
    ]);
  });

  it('before it claimed the call: one interrupted record for the attempt, which did nothing', async () => {
    const run = await dyingAfter(
      'create_ticket',
      async () => undefined,
      () => loop.run({ turns: [{ toolCalls: [ticket] }, { text: 'It failed.' }], ...operator }),
    );
    expect((await loop.runs.load(run.runId))?.calls).toEqual([expect.objectContaining({ status: 'failed', code: 'INTERNAL' })]);
    expect((await loop.deps.audit.listByRun(run.runId)).map((r) => [r.attemptId, r.status])).toEqual([['crashed-c1-1', 'interrupted']]);
  });
});
