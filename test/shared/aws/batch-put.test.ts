import { GetItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '#shared/aws/dynamodb-client.ts';
import { batchPut, type PendingPut } from '#shared/aws/batch-put.ts';
import { embeddedClientConfig } from '../../../infra/local/embedded-aws.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();

/** A client on which DynamoDB leaves the puts to `table` unprocessed, the first `times` batches (as when throttled). */
const throttling = (table: string, times: number): DynamoDBClient => {
  const client = createDynamoDbClient(embeddedClientConfig(world.db.endpoint));
  let left = times;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { RequestItems: Record<string, WriteRequest[]> };
      if (context.commandName !== 'BatchWriteItemCommand' || !input.RequestItems[table] || left-- <= 0) return next(args);
      const held = input.RequestItems[table];
      delete input.RequestItems[table];
      const out = Object.keys(input.RequestItems).length > 0 ? await next(args) : { output: { $metadata: {} }, response: {} };
      return { ...out, output: { ...(out.output as object), UnprocessedItems: { [table]: held } } } as never;
    },
    { step: 'initialize', name: 'throttle' },
  );
  return client;
};

const putOf = (tableName: string, key: string, failure: string): PendingPut => ({
  tableName,
  item: { pk: { S: key }, note: { S: 'x' } },
  failure: (cause) => new Error(failure, { cause }),
});
const exists = async (table: string, key: string) =>
  (await world.db.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: key } }, ConsistentRead: true }))).Item !== undefined;

describe("batchPut: the attempt's closing puts in one request", () => {
  it('sends again what DynamoDB left unprocessed, until every put has landed', async () => {
    const client = throttling(world.tables.guard, 2);
    await batchPut(client, [putOf(world.tables.guard, 'batch-a', 'a failed'), putOf(world.tables.guard, 'batch-b', 'b failed')]);
    expect([await exists(world.tables.guard, 'batch-a'), await exists(world.tables.guard, 'batch-b')]).toEqual([true, true]);
    client.destroy();
  });
  it('fails with the error of the put that never landed, once the retries are spent', async () => {
    const client = throttling(world.tables.guard, 10);
    await expect(batchPut(client, [putOf(world.tables.guard, 'batch-c', 'guard put failed')])).rejects.toThrow('guard put failed');
    client.destroy();
  });
  it('writes each put on its own when the batch is refused as a whole: one missing table loses only its own put', async () => {
    await expect(
      batchPut(world.db.client, [putOf('NoSuchTable', 'batch-d', 'first failed'), putOf(world.tables.guard, 'batch-e', 'second failed')]),
    ).rejects.toThrow('first failed');
    expect(await exists(world.tables.guard, 'batch-e')).toBe(true);
  });
});
