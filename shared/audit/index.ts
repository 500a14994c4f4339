export { buildAuditRecord, RESULT_SUMMARY_LIMIT, type AuditFacts, type AuditRecord } from './audit-record.ts';
export { DynamoDbAuditStore, type DynamoDbAuditStoreOptions } from './dynamodb-audit-store.ts';
export { AuditWriteError } from './errors.ts';
export { auditTrail, type AuditTrailOptions } from './middleware.ts';
