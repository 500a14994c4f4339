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
export { AuditWriteError } from './errors.ts';
export { auditTrail, type AuditTrailOptions } from './middleware.ts';
