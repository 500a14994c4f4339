import { createDynamoDbClient } from '../../../shared/aws/index.ts';

/** One DynamoDB client per container, reused across invocations. */
export const dynamoDb = createDynamoDbClient();
