export type { PendingPut } from './batch-put.ts';
export { createDynamoDbClient, EMBEDDED_ENGINE_TIMEOUTS } from './dynamodb-client.ts';
export { failClosed, isConditionalCheckFailed, readAllPages, writeIfStill } from './dynamodb-errors.ts';
export { requireEnv } from './env.ts';
export { isMissingObject } from './s3-errors.ts';
