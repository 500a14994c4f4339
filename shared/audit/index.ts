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
export { AUDIT_SEAL_ERROR, AuditSealError, AuditWriteError } from './errors.ts';
export { ARCHIVE_PREFIX, archiveOf, S3AuditArchive } from './s3-audit-archive.ts';
export {
  attemptIdOf,
  buildLabelClearedRecord,
  buildRecoveredAttemptRecord,
  buildScreeningRecord,
  callerToolKey,
  approvalsGiven,
  isDecision,
  mcpLabelRunIdOf,
  ranHandler,
  reachedTool,
  type LabelClearedFacts,
} from './audit-record.ts';
export { GENESIS } from './audit-chain.ts';
export { anchorOf, compareWithAnchors, latestAnchor, type AuditAnchor } from './audit-anchor.ts';
export type { ArchivedChain } from './s3-audit-archive.ts';
export type { ChainEntry, StoredAuditRecord } from './audit-chain.ts';
export { INTERRUPTED } from './audit-record.ts';
