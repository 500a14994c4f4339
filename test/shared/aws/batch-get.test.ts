import { BatchWriteItemCommand, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchGetConsistent } from '#shared/aws/batch-get.ts';
import { createDynamoDbClient } from '#shared/aws/dynamodb-client.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { embeddedClientConfig } from '../../../infra/local/embedded-aws.ts';
import { unreachableDynamoDb } from '../../support/embedded-dynamodb.ts';
import { useGuardWorld } from '../../support/guard-world.ts';
import { throttledReads } from '../../support/throttled-reads.ts';
import { countRequests } from '../../support/request-counter.ts';

const world = useGuardWorld();
const UNAVAILABLE = 'Test state could not be read.';

const keyOf = (i: number) => ({ pk: { S: `batch-get-${i}` } });
/** Items 0 to n - 1 in the guard table, 25 to a write. */
const seed = async (n: number) => {
  for (let i = 0; i < n; i += 25) {
    const puts = Array.from({ length: Math.min(25, n - i) }, (_, j) => ({
      PutRequest: { Item: { ...keyOf(i + j), n: { N: String(i + j) } } },
    }));
    await world.db.client.send(new BatchWriteItemCommand({ RequestItems: { [world.tables.guard]: puts } }));
  }
};
const numbersOf = (items: ReadonlyArray<Record<string, { N?: string }>>) => items.map((item) => Number(item.n?.N)).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('batchGetConsistent: many items of a table in few requests', () => {
  it('reads every key it is given, 100 to a request, the requests sent together, and leaves out the absent ones', async () => {
    await seed(230);
    const client = createDynamoDbClient(embeddedClientConfig(world.db.endpoint));
    const counter = countRequests(client);
    const keys = range(240).map(keyOf); // 230 to 239 were never written
    const items = await batchGetConsistent(client, world.tables.guard, keys, UNAVAILABLE);
    expect(numbersOf(items)).toEqual(range(230));
    expect(counter.read()).toEqual({ requests: 3, roundTrips: 1 });
    expect(counter.sent.map((s) => (s.input.RequestItems as Record<string, KeysAndAttributes>)[world.tables.guard])).toEqual([
      { Keys: keys.slice(0, 100), ConsistentRead: true },
      { Keys: keys.slice(100, 200), ConsistentRead: true },
      { Keys: keys.slice(200), ConsistentRead: true },
    ]);
    client.destroy();
  });

  it('sends nothing for no keys', async () => {
    const client = createDynamoDbClient(embeddedClientConfig(world.db.endpoint));
    const counter = countRequests(client);
    expect(await batchGetConsistent(client, world.tables.guard, [], UNAVAILABLE)).toEqual([]);
    expect(counter.read().requests).toBe(0);
    client.destroy();
  });

  it('asks again for the keys DynamoDB left unprocessed, until every one is read', async () => {
    await seed(8);
    const { client, seen } = throttledReads(world.db.endpoint, world.tables.guard, 3);
    const items = await batchGetConsistent(client, world.tables.guard, range(8).map(keyOf), UNAVAILABLE);
    expect(numbersOf(items)).toEqual(range(8));
    // 8 keys: 4 read, then 2 of the other 4, then 1 of 2, then the last one.
    expect(seen.reads).toBe(4);
    client.destroy();
  });

  it('fails closed when keys stay unprocessed after the retries: a key never read is never taken as absent', async () => {
    await seed(4);
    const { client, seen } = throttledReads(world.db.endpoint, world.tables.guard, 100);
    const read = batchGetConsistent(client, world.tables.guard, range(4).map(keyOf), UNAVAILABLE);
    await expect(read).rejects.toThrow(GuardUnavailableError);
    await expect(read).rejects.toThrow(UNAVAILABLE);
    await expect(read).rejects.toMatchObject({ cause: { message: 'DynamoDB left 1 keys unprocessed' } });
    // The first read and three more, then it gives up.
    expect(seen.reads).toBe(4);
    client.destroy();
  });

  it('fails closed, with its message, when DynamoDB cannot be reached', async () => {
    const client = unreachableDynamoDb();
    await expect(batchGetConsistent(client, 'Any', [keyOf(1)], UNAVAILABLE)).rejects.toThrow(new GuardUnavailableError(UNAVAILABLE));
    client.destroy();
  });
});
