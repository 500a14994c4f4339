export {
  buildAuditRecord,
  buildDecisionRecord,
  RESULT_SUMMARY_LIMIT,
  type AuditFacts,
  type AuditRecord,
  type AuditStatus,
  type DecisionFacts,
} from './audit-record.ts';
export { DynamoDbAuditStore, type DynamoDbAuditStoreOptions } from './dynamodb-audit-store.ts';
export { compareWithArchive, verifyChain, type AuditLink, type ChainBreak, type ChainVerdict, type RunChain } from './audit-chain.ts';
export { AuditWriteError } from './errors.ts';
export { auditTrail, type AuditTrailOptions } from './middleware.ts';
