import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbBucketStore } from '#shared/rate-limit/dynamodb-bucket-store.ts';
import { planBucket } from '#shared/rate-limit/token-bucket.ts';
import { createEmbeddedTables, guardTableSpecs } from '#shared/tables/index.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { startEmbeddedDynamoDb, unreachableDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';

let db: EmbeddedDynamoDb;
let tableName: string;

beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  tableName = (await createEmbeddedTables(db.client, [guardTableSpecs.guard], uniquePrefix('rl')))[guardTableSpecs.guard.id] as string;
});
afterAll(async () => db.stop());

/** 20 in CI by default; REPETITIONS=100 for the reliability figure. */
const REPETITIONS = Number(process.env.REPETITIONS ?? 20);

describe('DynamoDbBucketStore.take', () => {
  it('sets the item to expire a minute after the bucket would be full again, and returns only what it wrote unless asked', async () => {
    const now = 1_700_000_000_500;
    const store = new DynamoDbBucketStore({ client: db.client, tableName, now: () => now });
    const plan = planBucket({ capacity: 3, refillPerMinute: 60 });
    const taken = await store.take('ttl', plan);
    expect(taken).toMatchObject({ admitted: true, roundTrips: 1 });
    // Full again at tat + tolerance: now + interval + tolerance, in epoch seconds rounded up, plus 60.
    const expiresAt = Math.ceil((now + plan.toleranceMs + plan.intervalMs) / 1000) + 60;
    expect(taken.item).toEqual({ tat: { N: String(now + plan.intervalMs) }, expiresAt: { N: String(expiresAt) } });
    const whole = await new DynamoDbBucketStore({ client: db.client, tableName, now: () => now }).take('ttl', plan, true);
    expect(whole.item).toMatchObject({ pk: { S: 'ttl' }, tat: { N: String(now + 2 * plan.intervalMs) } });
  });

  it(`admits exactly 50 of 200 concurrent calls against capacity 50, ${REPETITIONS} times`, async () => {
    // A very slow refill, so that no token comes back while the 200 calls are in flight.
    const plan = planBucket({ capacity: 50, refillPerMinute: 0.001 });
    const admittedPerRun: number[] = [];
    for (let run = 0; run < REPETITIONS; run++) {
      // Separate stores = separate Lambda containers: no shared hints between the callers.
      const stores = Array.from({ length: 8 }, () => new DynamoDbBucketStore({ client: db.client, tableName }));
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (stores[i % 8] as DynamoDbBucketStore).take(`bucket-${run}`, plan)),
      );
      admittedPerRun.push(results.filter((r) => r.admitted).length);
    }
    expect(admittedPerRun).toEqual(Array.from({ length: REPETITIONS }, () => 50));
  }, 120_000);

  it('takes one round trip on the happy path and gives a retry-after when empty', async () => {
    let now = 1_000_000;
    const store = new DynamoDbBucketStore({ client: db.client, tableName, now: () => now });
    const plan = planBucket({ capacity: 2, refillPerMinute: 60 });
    const first = await store.take('happy', plan);
    const second = await store.take('happy', plan);
    const third = await store.take('happy', plan);
    expect(first).toMatchObject({ admitted: true, roundTrips: 1 });
    expect(second).toMatchObject({ admitted: true, roundTrips: 1 });
    expect(third).toMatchObject({ admitted: false, retryAfterMs: 1000 });
    now += 1000; // one token refilled
    expect(await store.take('happy', plan)).toMatchObject({ admitted: true });
    expect(await store.take('happy', plan)).toMatchObject({ admitted: false });
  });

  it('refunds a token', async () => {
    const store = new DynamoDbBucketStore({ client: db.client, tableName, now: () => 5_000_000 });
    const plan = planBucket({ capacity: 1, refillPerMinute: 1 });
    expect(await store.take('refund', plan)).toMatchObject({ admitted: true });
    expect(await store.take('refund', plan)).toMatchObject({ admitted: false });
    await store.refund('refund', plan);
    expect(await store.take('refund', plan)).toMatchObject({ admitted: true });
  });

  it('fails closed when DynamoDB cannot be reached', async () => {
    const down = unreachableDynamoDb();
    const store = new DynamoDbBucketStore({ client: down, tableName });
    await expect(store.take('down', planBucket({ capacity: 5, refillPerMinute: 5 }))).rejects.toBeInstanceOf(GuardUnavailableError);
    down.destroy();
  });
});
