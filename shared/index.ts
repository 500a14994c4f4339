/**
 * The package's root export (`guarded-agents`): what a tool's declaration needs, and nothing that
 * loads the AWS SDK or aws-cdk-lib, so a tool module imports it at no cost to its bundle
 * (test/package/exports.test.ts keeps it so). What needs the SDK is under the subpaths:
 * `guarded-agents/lambda`, `guarded-agents/stores`, `guarded-agents/construct`, `guarded-agents/local`.
 */
export * from './argument-types/index.ts';
// Named, not `export *`: the capabilities' indexes also carry what the repository's own functions
// use (deferred puts, crash receipts), which is not the package's surface.
export {
  type AnyTool,
  APPROVER_GROUP,
  assertToolsLint,
  type BreakerSettings,
  type BucketLimit,
  type Caller,
  createToolRegistry,
  declarationVersion,
  defaultBreaker,
  defaultRolesFor,
  defineTool,
  describeIssues,
  FlowMode,
  limitPresets,
  type LintFinding,
  lintTools,
  type ModelToolSpec,
  RiskClass,
  Role,
  rolesOf,
  type ToolContext,
  type ToolDeclaration,
  type ToolDefinition,
  type ToolInputSchema,
  type ToolInvocation,
  toolInvocationSchema,
  type ToolLimits,
  ToolLintError,
  toolLintRules,
  type ToolRegistry,
  type ToolResource,
  toolSpec,
  type UntrustedSource,
  type Voucher,
} from './tool/index.ts';
export {
  CallStatus,
  ErrorCode,
  failure,
  failureOf,
  GuardUnavailableError,
  isToolError,
  PermissionDeniedError,
  statusOfCode,
  success,
  ToolDeclinedError,
  ToolError,
  type ToolErrorOptions,
  ToolFailedError,
  type ToolFailure,
  type ToolReceipt,
  type ToolResult,
  ToolTimeoutError,
  UnknownToolError,
  ValidationFailedError,
} from './tool-result/index.ts';
// Types only (erased): a team's own model provider, for the local system's `model` option.
export type { ConversationMessage, ModelProvider, ModelRequest, ModelTurn, StopReason, ToolCallRequest } from './model/index.ts';
export * from './redaction/index.ts';
export type { TableSpec } from './tables/index.ts';
export * from './remote-mcp/index.ts';
// What a feature in use throws when its optional peers are not installed, and the commands that install them.
export { installCommand, OPTIONAL_PEERS, OptionalPeerMissingError, type PeerFeature } from './optional-peers/index.ts';
// What the exports above name in their signatures, so a team can name it too (and the API reference shows it).
export type { IndexSpec } from './tables/index.ts';
export type { DynamoDbAction } from './tables/index.ts';
export type { ACCESS_ACTIONS } from './tables/index.ts';
export type { ApproverEdit } from './tool-result/index.ts';
export type { RunApproval, RunHistory } from './tool/index.ts';
export type { JsonSchema, LintRule, LintSubject } from './tool/index.ts';
