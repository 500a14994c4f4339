import { createDynamoDbClient } from '../../shared/aws/dynamodb-client.ts';
import { requireEnv } from '../../shared/aws/env.ts';
import type { GuardTables } from '../../shared/pipeline/guarded-handler.ts';
import { guardTableSpecs } from '../../shared/tables/table-spec.ts';

/** One DynamoDB client per container, reused across invocations. */
export const dynamoDb = createDynamoDbClient();

/** The guard tables a tool Lambda needs, read once at cold start; a missing one fails the cold start. */
export const guardTablesFromEnv = (): GuardTables => ({
  guard: requireEnv(guardTableSpecs.guard.envVar),
  idempotency: requireEnv(guardTableSpecs.idempotency.envVar),
  audit: requireEnv(guardTableSpecs.audit.envVar),
});
