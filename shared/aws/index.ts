export type { PendingPut } from './batch-put.ts';
export { createDynamoDbClient, EMBEDDED_ENGINE_TIMEOUTS } from './dynamodb-client.ts';
export { countAllPages, failClosed, isConditionalCheckFailed, readAllPages, writeIfStill } from './dynamodb-errors.ts';
export { requireEnv } from './env.ts';
export { isMissingObject } from './s3-errors.ts';
// What the other capabilities of shared/ use (through this surface, as everything else does).
export { allSettled } from './all-settled.ts';
export { batchGetConsistent } from './batch-get.ts';
export { batchPut } from './batch-put.ts';
export { conditionalWrite, itemOfConditionFailure } from './dynamodb-errors.ts';
export { isKeyTaken } from './s3-errors.ts';
