import { PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isConditionalCheckFailed } from '../../shared/aws/index.ts';

/**
 * Writes an item unless one with its key exists. The demo tools derive ids from the call, so a
 * repeat that slipped past idempotency finds its own earlier write and changes nothing.
 * Returns whether this call wrote it.
 */
export const putIfAbsent = async (
  client: DynamoDBClient,
  tableName: string,
  keyAttribute: string,
  item: Record<string, AttributeValue>,
  signal?: AbortSignal,
): Promise<boolean> => {
  try {
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: `attribute_not_exists(${keyAttribute})` }),
      { abortSignal: signal },
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};
