import { createDynamoDbClient, requireEnv } from '../../shared/aws/index.ts';
import type { GuardTables } from '../../shared/pipeline/index.ts';
import { guardTableSpecs } from '../../shared/tables/index.ts';

/** One DynamoDB client per container, reused across invocations. */
export const dynamoDb = createDynamoDbClient();

/** The guard tables a tool Lambda needs, read once at cold start; a missing one fails the cold start. */
export const guardTablesFromEnv = (): GuardTables => ({
  guard: requireEnv(guardTableSpecs.guard.envVar),
  idempotency: requireEnv(guardTableSpecs.idempotency.envVar),
  audit: requireEnv(guardTableSpecs.audit.envVar),
});
