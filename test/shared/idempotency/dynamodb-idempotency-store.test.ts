import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyStore } from '#shared/idempotency/dynamodb-idempotency-store.ts';
import { createEmbeddedTables, guardTableSpecs } from '#shared/tables/index.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';

let db: EmbeddedDynamoDb;
let store: DynamoDbIdempotencyStore;
/** The store's clock, set by each step (epoch ms). */
let clock = 0;
const at = (ms: number) => ((clock = ms), store);
beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  const names = await createEmbeddedTables(db.client, [guardTableSpecs.idempotency], uniquePrefix('id'));
  store = new DynamoDbIdempotencyStore({ client: db.client, tableName: names[guardTableSpecs.idempotency.id] as string, now: () => clock });
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
});
