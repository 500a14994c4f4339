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
