/** `guarded-agents/construct`: the CDK construct. Loads aws-cdk-lib (a peer dependency). */
export { GuardedAgent, type GuardedAgentProps } from './guarded-agent.ts';
export type { AgentTracing } from './agent-tracing.ts';
export { ToolFunction, type GuardTableSet, type ToolFunctionProps } from './tool-function.ts';
export { AgentLoop } from './agent-loop.ts';
export { AgentApi } from './agent-api.ts';
export { AgentDashboard } from './agent-dashboard.ts';
export { attachNagPacks } from '../nag-acknowledgements.ts';
export { createApp } from '../cdk-app.ts';
export type { TableSpec } from '../../shared/tables/index.ts';
export type { ModelPrices, RunBudget } from '../../shared/runs/index.ts';
export type { SpendBudgets, SpendLimit, TenantSource } from '../../shared/budgets/index.ts';
export type { McpServerConnection } from './mcp-servers.ts';
// What the exports above name in their signatures, so a team can name it too (and the API reference shows it).
export type { SpendScope, SpendWindow } from '../../shared/budgets/index.ts';
export type { TokenLimitField } from '../../shared/model/index.ts';
export type { PolicySource } from '../../shared/policies/index.ts';
export type { AgentApiProps, McpOAuthProps } from './agent-api.ts';
export type { AgentDashboardProps } from './agent-dashboard.ts';
export type { AgentLoopProps } from './agent-loop.ts';
export type { AuditArchiveProps } from './audit-archive.ts';
export type { ToolPolicies } from './generated-entries.ts';
