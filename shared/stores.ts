/**
 * `guarded-agents/stores`: the DynamoDB stores the guards and the loop keep their state in, and the
 * client they are tuned for. Loads the DynamoDB client of the AWS SDK.
 */
export {
  DynamoDbApprovalReader,
  DynamoDbApprovalStore,
  DynamoDbDecisionOutbox,
  type ApprovalReader,
  type DynamoDbApprovalStoreOptions,
  type UndeliveredDecision,
} from './approval/index.ts';
export { DynamoDbAuditStore, verifyChain, type AuditRecord, type ChainVerdict, type DynamoDbAuditStoreOptions } from './audit/index.ts';
export { createDynamoDbClient } from './aws/index.ts';
export { DynamoDbBreakerStore, type DynamoDbBreakerStoreOptions } from './breaker/index.ts';
export { DynamoDbIdempotencyStore, type DynamoDbIdempotencyStoreOptions } from './idempotency/index.ts';
export { DynamoDbBucketStore, type DynamoDbBucketStoreOptions } from './rate-limit/index.ts';
export { DynamoDbRunStore, type DynamoDbRunStoreOptions, type RunRecord } from './runs/index.ts';
export { createEmbeddedTables, guardTableSpecs, orchestrationTableSpecs, type TableSpec } from './tables/index.ts';
// What the exports above name in their signatures, so a team can name it too (and the API reference shows it).
export type { Decider, Decision } from './approval/index.ts';
export type { ApprovalEdit, ApprovalNotify, NewApproval } from './approval/index.ts';
export type { AuditLink, ChainBreak, ChainEntry, RunChain, StoredAuditRecord } from './audit/index.ts';
export type { AuditStatus } from './audit/index.ts';
export { INTERRUPTED } from './audit/index.ts';
export type { PendingPut } from './aws/index.ts';
export type { BreakerSnapshot } from './breaker/index.ts';
export type { IdempotencyRecord } from './idempotency/index.ts';
export { RecordStatus } from './idempotency/index.ts';
export type { Attempt } from './plumbing/index.ts';
export type { PolicyRecord } from './policies/index.ts';
export type { BucketItem, TakeResult } from './rate-limit/index.ts';
export type { BucketPlan } from './rate-limit/index.ts';
export type { RunListCursor, RunSnapshot } from './runs/index.ts';
export type { RunExpectation } from './runs/index.ts';
export type { CallRecord, RunUsage, ScreeningFacts, StoppedBy } from './runs/index.ts';
export { RunStatus } from './runs/index.ts';
