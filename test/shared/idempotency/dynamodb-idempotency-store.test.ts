import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyStore } from '#shared/idempotency/dynamodb-idempotency-store.ts';
import { createEmbeddedTables, guardTableSpecs } from '#shared/tables/index.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { countRequests, type SentRequest } from '../../support/request-counter.ts';
import { startEmbeddedDynamoDb, uniquePrefix, unreachableDynamoDb, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';

let db: EmbeddedDynamoDb;
let store: DynamoDbIdempotencyStore;
let tableName: string;
let sent: SentRequest[];
/** The store's clock, set by each step (epoch ms). */
let clock = 0;
const at = (ms: number) => ((clock = ms), store);
beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  const names = await createEmbeddedTables(db.client, [guardTableSpecs.idempotency], uniquePrefix('id'));
  tableName = names[guardTableSpecs.idempotency.id] as string;
  sent = countRequests(db.client).sent;
  store = new DynamoDbIdempotencyStore({ client: db.client, tableName, now: () => clock });
});
afterAll(async () => db.stop());

describe('DynamoDbIdempotencyStore', () => {
  it('claims a free key once; a second claim sees the first', async () => {
    expect(await at(1000).begin('k1', 'h', 500)).toEqual({ claimed: true });
    expect(await at(1001).begin('k1', 'h', 500)).toEqual({
      claimed: false,
      record: { status: 'INPROGRESS', argsHash: 'h', inProgressUntil: 1500 },
    });
  });

  it('lets exactly one of many concurrent attempts take over an abandoned claim', async () => {
    await at(1000).begin('k2', 'h', 500);
    const takeovers = await Promise.all(Array.from({ length: 10 }, () => at(2000).begin('k2', 'h', 500)));
    expect(takeovers.filter((t) => t.claimed)).toHaveLength(1);
  });

  it('never takes over an abandoned claim made with other arguments', async () => {
    await at(1000).begin('k3', 'h', 500);
    expect(await at(2000).begin('k3', 'other', 500)).toMatchObject({ claimed: false, record: { argsHash: 'h' } });
  });

  it('returns the stored result once completed, and frees a released key', async () => {
    await at(1000).begin('k4', 'h', 500);
    await at(1100).complete('k4', 'h', { ok: 1 });
    expect(await at(1200).begin('k4', 'h', 500)).toMatchObject({ claimed: false, record: { status: 'COMPLETED', result: { ok: 1 } } });
    await at(1000).begin('k5', 'h', 500);
    await store.release('k5');
    expect(await at(1001).begin('k5', 'h', 500)).toEqual({ claimed: true });
  });

  it('takes over an abandoned claim at the very moment its lock ends, and returns the claim it replaced', async () => {
    await at(1000).begin('k6', 'h', 500, { attemptId: 'dead', startedAt: 990 });
    expect(await at(1499).begin('k6', 'h', 500)).toMatchObject({ claimed: false });
    expect(await at(1500).begin('k6', 'h', 500, { attemptId: 'next', startedAt: 1500 })).toEqual({
      claimed: true,
      tookOver: { status: 'INPROGRESS', argsHash: 'h', inProgressUntil: 1500, attempt: { attemptId: 'dead', startedAt: 990 } },
    });
  });

  it('tells the attempts that lost a takeover who holds the key', async () => {
    await at(1000).begin('k7', 'h', 500);
    const takeovers = await Promise.all(Array.from({ length: 4 }, () => at(2000).begin('k7', 'h', 500)));
    const lost = takeovers.filter((t) => !t.claimed);
    expect(lost).toHaveLength(3);
    for (const t of lost) expect(t).toEqual({ claimed: false, record: { status: 'INPROGRESS', argsHash: 'h', inProgressUntil: 2500 } });
  });

  it('reads a record strongly consistently, with its attempt, result and completion time; a null result for none', async () => {
    expect(await store.read('absent')).toBeUndefined();
    await at(1000).begin('k8', 'h', 500, { attemptId: 'a1', startedAt: 999 });
    await at(1200).complete('k8', 'h', undefined, { attemptId: 'a1', startedAt: 999 });
    sent.length = 0;
    expect(await store.read('k8')).toEqual({
      status: 'COMPLETED',
      argsHash: 'h',
      inProgressUntil: 0,
      result: null,
      attempt: { attemptId: 'a1', startedAt: 999 },
      completedAt: 1200,
    });
    expect(sent.map((r) => [r.command, r.input.ConsistentRead])).toEqual([['GetItemCommand', true]]);
  });

  it('reads many records in one strongly consistent batch, by key, leaving out keys with no record', async () => {
    await at(2000).begin('many-1', 'h1', 500);
    await at(2000).begin('many-2', 'h2', 500);
    await at(2100).complete('many-2', 'h2', { n: 2 });
    sent.length = 0;
    const records = await store.readMany(['many-1', 'many-2', 'many-absent', 'many-1']);
    expect([...records.entries()].sort(([a], [b]) => a.localeCompare(b))).toEqual([
      ['many-1', { status: 'INPROGRESS', argsHash: 'h1', inProgressUntil: 2500 }],
      ['many-2', { status: 'COMPLETED', argsHash: 'h2', inProgressUntil: 0, result: { n: 2 }, completedAt: 2100 }],
    ]);
    // One request, each key asked once.
    expect(sent.map((r) => [r.command, (r.input.RequestItems as Record<string, unknown>)[tableName]])).toEqual([
      ['BatchGetItemCommand', { Keys: ['many-1', 'many-2', 'many-absent'].map((id) => ({ id: { S: id } })), ConsistentRead: true }],
    ]);
    expect(await store.readMany([])).toEqual(new Map());
  });

  it('reads what it did not write as it can: no record without a status and hash, zeros for missing times', async () => {
    const put = (item: Record<string, { S: string }>) => db.client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    await put({ id: { S: 'bare' } });
    await put({ id: { S: 'no-hash' }, status: { S: 'INPROGRESS' } });
    await put({ id: { S: 'old' }, status: { S: 'INPROGRESS' }, argsHash: { S: 'h' }, attemptId: { S: 'a' } });
    expect([await store.read('bare'), await store.read('no-hash')]).toEqual([undefined, undefined]);
    expect(await store.readMany(['bare', 'no-hash'])).toEqual(new Map());
    expect(await store.read('old')).toEqual({
      status: 'INPROGRESS',
      argsHash: 'h',
      inProgressUntil: 0,
      attempt: { attemptId: 'a', startedAt: 0 },
    });
  });

  it('lets a record expire (DynamoDB TTL, in seconds) a day after it was written, or as configured', async () => {
    const expiresAt = async (key: string) =>
      (await db.client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: key } } }))).Item?.expiresAt?.N;
    await at(1000).begin('k9', 'h', 500);
    const short = new DynamoDbIdempotencyStore({ client: db.client, tableName, now: () => 1000, expiresAfterMs: 60_000 });
    await short.begin('k10', 'h', 500);
    expect([await expiresAt('k9'), await expiresAt('k10')]).toEqual([String(Math.ceil((1000 + 86_400_000) / 1000)), '61']);
  });

  it('abandons an in-progress claim so the next attempt takes over at once, and leaves a completed one alone', async () => {
    await at(1000).begin('k11', 'h', 60_000);
    await store.abandon('k11');
    expect(await at(1001).begin('k11', 'h', 500)).toMatchObject({ claimed: true, tookOver: { inProgressUntil: 0 } });
    await at(2000).complete('k11', 'h', { ok: true });
    await store.abandon('k11');
    await store.release('k11');
    await store.abandon('never-claimed');
    expect(await store.read('k11')).toMatchObject({ status: 'COMPLETED', result: { ok: true } });
  });

  it('fails closed, saying what could not be done, when DynamoDB does not answer', async () => {
    const broken = new DynamoDbIdempotencyStore({ client: unreachableDynamoDb(), tableName });
    const refusal = async (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    const refusals = [
      await refusal(broken.begin('k', 'h', 500)),
      await refusal(broken.complete('k', 'h', 1)),
      await refusal(broken.read('k')),
      await refusal(broken.readMany(['k'])),
      await refusal(broken.abandon('k')),
      await refusal(broken.release('k')),
    ];
    for (const error of refusals) expect(error).toBeInstanceOf(GuardUnavailableError);
    expect(refusals.map((error) => error?.message)).toEqual([
      'Idempotency state could not be written or read, so the call was refused.',
      'The result could not be recorded for replay.',
      'Idempotency state could not be read.',
      'Idempotency state could not be read.',
      'Idempotency state could not be written.',
      'Idempotency state could not be released.',
    ]);
  });
});
