import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { userToolItemKey } from '#shared/guard-table/index.ts';
import { idempotencyKey } from '#shared/idempotency/index.ts';
import { embeddedClientConfig } from '../../../infra/local/embedded-aws.ts';
import { useGuardWorld } from '../../support/guard-world.ts';
import { guard, nextCallId, putDecidedApproval } from '../../support/guard-harness.ts';
import { countRequests } from '../../support/request-counter.ts';
import { testTool } from '../../support/test-tool.ts';

const world = useGuardWorld();

/** A tool of the given risk whose handler makes one DynamoDB request of its own (a read), as a real tool does. */
const toolOf = (risk: 'read' | 'write' | 'destructive', name: string, client: DynamoDBClient) =>
  testTool({
    name,
    risk,
    limits: { perUser: { capacity: 2, refillPerMinute: 1 }, perTool: { capacity: 1000, refillPerMinute: 1 } },
    timeoutMs: 2000,
    behaviour: async ({ text }) => {
      await client.send(new GetItemCommand({ TableName: world.tables.guard, Key: { pk: { S: `nothing#${text}` } } }));
      return { text };
    },
  }).tool;

/** The tool behind the real pipeline, on `client` (the world's own unless given). */
const guardedOn = (risk: 'read' | 'write' | 'destructive', name: string, client = world.db.client) => {
  const tool = toolOf(risk, name, client);
  return { tool, guarded: guard(tool, {}, client, world.tables) };
};

/** The item of a key in a table, read strongly consistent. */
const itemOf = async (table: string, key: Record<string, { S: string }>) =>
  (await world.db.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

/** The tokens left in a bucket are not read back; whether its item exists (and its `tat`) is. */
const tatOf = async (key: string) => (await itemOf(world.tables.guard, { pk: { S: key } }))?.tat?.N;
/** The idempotency claim of a call, if one is left. */
const claimOf = (tool: string, runId: string, callId: string) =>
  itemOf(world.tables.idempotency, { id: { S: idempotencyKey(tool, runId, callId) } });

describe('admission: every guard in one round trip', () => {
  it("takes 3 sequential round trips per call for read, write and destructive tools, the handler's own included", async () => {
    const client = createDynamoDbClient(embeddedClientConfig(world.db.endpoint));
    const counter = countRequests(client);
    for (const risk of ['read', 'write', 'destructive'] as const) {
      const { tool, guarded } = guardedOn(risk, `lookup_${risk}_note`, client);
      const callId = nextCallId();
      const approvalId =
        risk === 'destructive'
          ? await putDecidedApproval(world.db.client, world.tables.approvals, {
              runId: 'run-rt',
              callId,
              tool: tool.name,
              args: { text: 'a' },
              requestedBy: 'alice',
              decidedBy: 'pat',
            })
          : undefined;
      counter.reset();
      const result = await guarded.call({ text: 'a' }, { runId: 'run-rt', callId, ...(approvalId ? { approvalId } : {}) });
      expect(result, risk).toEqual({ ok: true, data: { text: 'a' } });
      // Admission (claim, two token writes, and the approval read when destructive), the handler's read, then the stored result with the audit record.
      expect(counter.read(), risk).toEqual({ requests: risk === 'destructive' ? 6 : 5, roundTrips: 3 });
    }
    client.destroy();
  });

  it('gives back what an unapproved call took: no claim left (it runs once approved), no tokens spent', async () => {
    const { tool, guarded } = guardedOn('destructive', 'delete_test_note');
    const callId = nextCallId();
    const userId = `u-${callId}`;
    const refused = await guarded.call({ text: 'b' }, { runId: 'run-unapproved', callId, userId, approvalId: 'appr-none' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(await claimOf(tool.name, 'run-unapproved', callId)).toBeUndefined();
    // Both tokens were taken with the claim and given back: the bucket's `tat` is back in the past.
    expect(Number(await tatOf(userToolItemKey(userId, tool.name)))).toBeLessThanOrEqual(Date.now());
    const approvalId = await putDecidedApproval(world.db.client, world.tables.approvals, {
      runId: 'run-unapproved',
      callId,
      tool: tool.name,
      args: { text: 'b' },
      requestedBy: userId,
      decidedBy: 'pat',
    });
    expect(await guarded.call({ text: 'b' }, { runId: 'run-unapproved', callId, userId, approvalId })).toEqual({
      ok: true,
      data: { text: 'b' },
    });
  });

  it('gives back the tokens of a replay, which neither runs again nor spends', async () => {
    const { tool, guarded } = guardedOn('read', 'lookup_replayed_note');
    const callId = nextCallId();
    const userId = `u-${callId}`;
    await guarded.call({ text: 'c' }, { runId: 'run-replay', callId, userId });
    const afterFirst = await tatOf(userToolItemKey(userId, tool.name));
    // The user's bucket holds 2: without the refunds, the second and third replays would be throttled.
    for (let i = 0; i < 3; i++)
      expect(await guarded.call({ text: 'c' }, { runId: 'run-replay', callId, userId })).toEqual({ ok: true, data: { text: 'c' } });
    expect(await tatOf(userToolItemKey(userId, tool.name))).toBe(afterFirst);
  });

  it('releases the claim of a throttled call: its retry is not held up by it', async () => {
    const { tool, guarded } = guardedOn('read', 'lookup_throttled_note');
    const userId = `u-${nextCallId()}`;
    for (let i = 0; i < 2; i++) expect((await guarded.call({ text: 'd' }, { runId: 'run-throttle', userId })).ok).toBe(true);
    const callId = nextCallId();
    expect(await guarded.call({ text: 'd' }, { runId: 'run-throttle', callId, userId })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    expect(await claimOf(tool.name, 'run-throttle', callId)).toBeUndefined();
  });
});
