export {
  defineTool,
  type AnyTool,
  type BreakerSettings,
  type BucketLimit,
  type Caller,
  type ToolContext,
  type ToolDeclaration,
  type ToolDefinition,
  type ToolInputSchema,
  type ToolLimits,
  type ToolResource,
} from './define-tool.ts';
export { describeIssues } from './input-issues.ts';
export { MAX_RUN_APPROVALS, type RunApproval, type RunHistory, toolInvocationSchema, type ToolInvocation } from './invocation.ts';
export { assertToolsLint, lintTools, ToolLintError, toolLintRules } from './lint/lint-tools.ts';
export type { LintFinding } from './lint/types.ts';
export { defaultBreaker, limitPresets } from './presets.ts';
export { APPROVER_GROUP, defaultRolesFor, RiskClass, Role, rolesOf } from './roles.ts';
export { createToolRegistry, type ToolRegistry } from './tool-registry.ts';
export { toolSpec, type ModelToolSpec } from './tool-spec.ts';
export { FlowMode, isFlowMode, type UntrustedSource, type Voucher, type VouchedBy } from './flow-vocabulary.ts';
export { declarationVersion, withDeclaration } from './declaration-version.ts';
export type { JsonSchema, LintRule, LintSubject } from './lint/types.ts';
