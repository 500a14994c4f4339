import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedTables } from '#shared/tables/index.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';

// DynamoDB returns the item a conditional write failed on when asked, in the same response; the
// embedded engines give it the same way (dynalite through infra/local/condition-failure-item.ts),
// so the stores run the AWS path and ask IAM for nothing more. Run on DynamoDB Local too in CI.
let db: EmbeddedDynamoDb;
let table: string;
const KEY = { pk: { S: 'a' }, sk: { S: '1' } };
beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  table = (await createEmbeddedTables(db.client, [{ id: 'Items', envVar: 'ITEMS', partitionKey: 'pk', sortKey: 'sk' }], uniquePrefix('cf')))
    .Items as string;
  await db.client.send(new PutItemCommand({ TableName: table, Item: { ...KEY, n: { N: '7' } } }));
});
afterAll(async () => db?.stop());

const failure = async (send: () => Promise<unknown>) => {
  try {
    await send();
  } catch (error) {
    return error as Error & { Item?: Record<string, unknown> };
  }
  throw new Error('the write was expected to fail its condition');
};

describe('a conditional write that fails, on the embedded DynamoDB', () => {
  it('carries the item it failed on when asked for it: a put, and an update', async () => {
    const put = await failure(() =>
      db.client.send(
        new PutItemCommand({
          TableName: table,
          Item: { ...KEY, n: { N: '8' } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(put.name).toBe('ConditionalCheckFailedException');
    expect(put.Item).toEqual({ ...KEY, n: { N: '7' } });
    const update = await failure(() =>
      db.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: KEY,
          UpdateExpression: 'SET n = :n',
          ConditionExpression: 'n = :old',
          ExpressionAttributeValues: { ':n': { N: '9' }, ':old': { N: '1' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(update.Item).toEqual({ ...KEY, n: { N: '7' } });
  });

  it('carries none when not asked, nor for an item that does not exist, and writes nothing', async () => {
    const unasked = await failure(() =>
      db.client.send(new PutItemCommand({ TableName: table, Item: KEY, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    expect(unasked.name).toBe('ConditionalCheckFailedException');
    expect(unasked.Item).toBeUndefined();
    const missing = await failure(() =>
      db.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: 'nobody' }, sk: { S: '1' } },
          UpdateExpression: 'SET n = :n',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':n': { N: '1' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(missing.Item).toBeUndefined();
    expect((await db.client.send(new GetItemCommand({ TableName: table, Key: KEY, ConsistentRead: true }))).Item?.n).toEqual({ N: '7' });
  });
});
