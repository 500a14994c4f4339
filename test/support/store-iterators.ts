import { type DynamoDBClient, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';

type Iterator = { close: () => Promise<void> };

/**
 * Counts the store iterators dynalite opens and closes: its in-memory store is memory-level, on
 * abstract-level, whose `values()` makes one. `memoryLevel` is that package as the process loads it
 * (from the repository's node_modules, or from an app's). `restore` puts `values()` back.
 */
export const countStoreIterators = (memoryLevel: { MemoryLevel: { prototype: object } }) => {
  const abstractLevel = Object.getPrototypeOf(memoryLevel.MemoryLevel.prototype) as Record<string, (...args: unknown[]) => Iterator>;
  const values = abstractLevel.values as (...args: unknown[]) => Iterator;
  const count = { open: 0, opened: 0 };
  abstractLevel.values = function (this: unknown, ...args: unknown[]) {
    const iterator = values.apply(this, args);
    count.open++;
    count.opened++;
    const close = iterator.close.bind(iterator);
    let closed = false;
    iterator.close = async () => {
      if (!closed) {
        closed = true;
        count.open--;
      }
      return close();
    };
    return iterator;
  };
  return {
    count: count as Readonly<typeof count>,
    restore: () => {
      abstractLevel.values = values;
    },
  };
};

/**
 * The reads dynalite 4.0.0 left an iterator open for, `times` each: a Query read to the end, one
 * stopped by a Limit, and a Scan stopped by a Limit (of a table keyed by `runId`). Then waits until
 * `settled()` says the count is back (closing is asynchronous: wait for the state, not for a time).
 */
export const readsThatLeaked = async (client: DynamoDBClient, table: string, times: number, settled: () => boolean) => {
  const query = { TableName: table, KeyConditionExpression: 'runId = :r', ExpressionAttributeValues: { ':r': { S: 'run-1' } } };
  for (let i = 0; i < times; i++) {
    await client.send(new QueryCommand(query));
    await client.send(new QueryCommand({ ...query, Limit: 2 }));
    await client.send(new ScanCommand({ TableName: table, Limit: 1 }));
  }
  for (let i = 0; i < 400 && !settled(); i++) await new Promise((r) => setTimeout(r, 5));
};
