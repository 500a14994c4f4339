/**
 * `guarded-agents/local`: a team's own app on one machine, with no AWS account, as `npm start` runs
 * the demo: its stack synthesized, its state machine run by aws-local-stepfunctions, DynamoDB, S3 and
 * SES embedded, each function's calls checked against the role CDK gives it.
 */
export type { LocalApp, LocalSeedContext } from './local-app.ts';
export { startLocalSystem, type LocalModelRun, type LocalSystem, type LocalSystemOptions } from './local-system.ts';
export { serveLocal } from './serve-local.ts';
export { createApiServer, listen } from './http-server.ts';
export type { LocalUser } from './local-users.ts';
// What the exports above name in their signatures, so a team can name it too (and the API reference shows it).
export type { ApiDeps, AuthenticatedRequest } from '../../functions/api/api-deps.ts';
export type { ApiRequest, ApiResponse, Identity } from '../../functions/api/api-types.ts';
export type { DynamoDbMcpLabelStore, McpLabel } from '../../functions/api/mcp/mcp-label-store.ts';
export type { McpAuthorization } from '../../functions/api/mcp/protected-resource.ts';
export type {
  ApprovalOutcome,
  ApprovalTaskOutput,
  ApproveItem,
  CallAnswer,
  ExecuteItem,
  LoopState,
} from '../../functions/orchestration/call-model/loop-state.ts';
export type { ApprovalEscalation } from '../../shared/approval/index.ts';
export type { SlackDeciderResolver } from '../../shared/approval/index.ts';
export type { AuditAnchor } from '../../shared/audit/index.ts';
export type { ArchivedChain, S3AuditArchive } from '../../shared/audit/index.ts';
export type { SpendCrossing } from '../../shared/budgets/index.ts';
export type { ModelCallReservation, Reserved, SpendGuard, SpendVerdict } from '../../shared/budgets/index.ts';
export type { SpendAmount, SpendCounter, Spender } from '../../shared/budgets/index.ts';
export type { Asl } from '../state-machine-definition.ts';
export type { SentMail } from './embedded-aws.ts';
export type { LocalServerOptions } from './http-server.ts';
export type { IamRequest, RequestsOf } from './iam/aws-requests.ts';
export type { IamRecord, SdkClient } from './iam/local-iam.ts';
export type { PolicyStatement } from './iam/policy-evaluator.ts';
export type { Counts, MetricSeries } from './local-metrics.ts';
export type { ToolCounters } from './local-stats.ts';
export type { LocalExecution } from './system/options.ts';
