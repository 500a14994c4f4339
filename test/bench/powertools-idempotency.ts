import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';

/**
 * The peer the benchmark measures beside the guard: the same handler behind Powertools' idempotency
 * utility alone (`makeIdempotent`, its DynamoDB persistence layer, keyed on run and call id), on the
 * same engine and table. It checks nothing else: no limits, no breaker, no audit, no approval.
 */
export const powertoolsIdempotent = (
  handler: (event: { arguments: unknown }) => Promise<unknown>,
  client: DynamoDBClient,
  tableName: string,
) =>
  makeIdempotent(async (event: { arguments: unknown }, _context: Context) => ({ ok: true, data: await handler(event) }), {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client as never }),
    config: new IdempotencyConfig({ eventKeyJmesPath: '[runId, callId]', throwOnNoIdempotencyKey: true }),
  });
