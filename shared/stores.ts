/**
 * `guarded-agents/stores`: the DynamoDB stores the guards and the loop keep their state in, and the
 * client they are tuned for. Loads the DynamoDB client of the AWS SDK.
 */
export { DynamoDbApprovalReader, DynamoDbApprovalStore, type ApprovalReader, type DynamoDbApprovalStoreOptions } from './approval/index.ts';
export { DynamoDbAuditStore, verifyChain, type AuditRecord, type ChainVerdict, type DynamoDbAuditStoreOptions } from './audit/index.ts';
export { createDynamoDbClient } from './aws/index.ts';
export { DynamoDbBreakerStore, type DynamoDbBreakerStoreOptions } from './breaker/index.ts';
export { DynamoDbIdempotencyStore, type DynamoDbIdempotencyStoreOptions } from './idempotency/index.ts';
export { DynamoDbBucketStore, type DynamoDbBucketStoreOptions } from './rate-limit/index.ts';
export { DynamoDbRunStore, type DynamoDbRunStoreOptions, type RunRecord } from './runs/index.ts';
export { createEmbeddedTables, guardTableSpecs, orchestrationTableSpecs, type TableSpec } from './tables/index.ts';
