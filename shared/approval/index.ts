export {
  APPROVAL_TASK_GRACE_SECONDS,
  approvalIdOf,
  ApprovalStatus,
  judgeApproval,
  type ApprovalRecord,
  type ApprovalVerdict,
  type CallToApprove,
} from './approval-binding.ts';
export { judgeDecision, type Decider, type Decision, type DecisionVerdict } from './approval-decision.ts';
export { DynamoDbApprovalStore, type DynamoDbApprovalStoreOptions, type StoredApproval } from './dynamodb-approval-store.ts';
export {
  ApprovalDecisionRefusedError,
  ApprovalDeniedError,
  ApprovalExpiredError,
  ApprovalMissingError,
  decisionRefusalStatus,
} from './errors.ts';
export { SLACK_TOLERANCE_SECONDS, verifySlackSignature, type SlackRequest, type SlackSignatureVerdict } from './slack-signature.ts';
export { approvalOutcomeBlocks, approvalRequestBlocks, type ApprovalNotice } from './slack-message.ts';
export { SlackNotifier, type PostedMessage, type SlackNotifierOptions } from './slack-notifier.ts';
export { callSlackApi, type SlackApiOptions } from './slack-api.ts';
export { recordOf, type StoredApproval as ApprovalItem } from './approval-item.ts';
export { DynamoDbDecisionOutbox, type UndeliveredDecision } from './decision-outbox.ts';
export { DynamoDbApprovalReader, type ApprovalReader } from './dynamodb-approval-reader.ts';
export { slackCognitoResolver, type SlackCognitoResolverOptions, type SlackDeciderResolver } from './slack-decider.ts';
export { claimedAuthority, mayDecide, type Authority, type DelegationFacts } from './approval-authority.ts';
export { approvalEscalationSchema, type ApprovalEscalation } from './approval-escalation.ts';
export type { ApprovalEdit, ApprovalNotify, NewApproval } from './approval-request.ts';
export { approvalSummary } from './approval-summary.ts';
export { countedVoters, type QuorumFacts, type QuorumVote } from './quorum-votes.ts';
export { approvalView, describeShown, shownArguments, type ApprovalView, type Destination, type MaskedSecret } from './approval-view.ts';
