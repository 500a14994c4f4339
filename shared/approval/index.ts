export { ApprovalStatus, judgeApproval, type ApprovalRecord, type ApprovalVerdict, type CallToApprove } from './approval-binding.ts';
export { DynamoDbApprovalStore, type DynamoDbApprovalStoreOptions } from './dynamodb-approval-store.ts';
export { ApprovalDeniedError, ApprovalExpiredError, ApprovalMissingError } from './errors.ts';
export { approvalGate, type ApprovalGateOptions } from './middleware.ts';
