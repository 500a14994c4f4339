import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/** The SDK's conditional-check failure, recognised by name so no error class is bundled for it. */
export const isConditionalCheckFailed = (error: unknown): error is Error & { Item?: Item } =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * The item as it was when a condition failed. DynamoDB returns it with the error when asked
 * (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`), so no read is needed; engines that do not
 * (dynalite) get one strongly consistent read, only on this path.
 */
export const readItemAfterConditionFailure = async (
  client: DynamoDBClient,
  tableName: string,
  key: Item,
  error: Error & { Item?: Item },
): Promise<Item | undefined> => {
  if (error.Item) return error.Item;
  const out = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return out.Item;
};
