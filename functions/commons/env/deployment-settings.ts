import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ApprovalEscalation } from '../../../shared/approval/index.ts';
import { DynamoDbSpendStore, type SpendBudgets, SpendGuard } from '../../../shared/budgets/index.ts';
import type { FlowMode } from '../../../shared/guards/index.ts';
import type { ModelPrices, RunBudget } from '../../../shared/runs/index.ts';
import type { Env } from './env-var.ts';
import * as FunctionEnv from './function-env.ts';

/*
 * The deployment's optional settings as the `{ key? }` fragments the functions' dependencies spread
 * (absent settings leave their key out), each read through FunctionEnv.
 */

/**
 * `{ informationFlow, escalationGroup? }` for a tool's guard pipeline: the group's name alone, so a
 * tool's check of its approvals needs no parser of the escalation (RequestApproval and the API read that).
 */
export const toolGuardSettings = (env: Env): { readonly informationFlow: FlowMode; readonly escalationGroup?: string } => {
  const group = FunctionEnv.APPROVAL_ESCALATION_GROUP.read(env);
  return { informationFlow: FunctionEnv.INFORMATION_FLOW.read(env), ...(group ? { escalationGroup: group } : {}) };
};

/** `{ escalationGroup? }` for an approvals store: the group alone where the construct set it, else the escalation's. */
export const escalationGroupOf = (env: Env): { readonly escalationGroup?: string } => {
  const group = FunctionEnv.APPROVAL_ESCALATION_GROUP.read(env) ?? FunctionEnv.APPROVAL_ESCALATION.read(env)?.group;
  return group ? { escalationGroup: group } : {};
};

/** `{ escalation? }` for RequestApproval's and the API's dependencies. */
export const escalationOf = (env: Env): { readonly escalation?: ApprovalEscalation } => {
  const escalation = FunctionEnv.APPROVAL_ESCALATION.read(env);
  return escalation ? { escalation } : {};
};

/** `{ prices? }` for CallModel's dependencies. */
export const pricesOf = (env: Env): { readonly prices?: ModelPrices } => {
  const prices = FunctionEnv.MODEL_PRICES.read(env);
  return prices ? { prices } : {};
};

/** `{ runBudget?, prices? }` for the API's dependencies. */
export const budgetSettings = (env: Env): { readonly runBudget?: RunBudget; readonly prices?: ModelPrices } => {
  const runBudget = FunctionEnv.RUN_BUDGET.read(env);
  return { ...(runBudget ? { runBudget } : {}), ...pricesOf(env) };
};

/**
 * `{ spend? }`: the deployment's budgets over windows and their guard on the guard table (`guardTable`),
 * when it declares any. The one place CallModel, MCP and the API build them.
 */
export const spendSettings = (
  env: Env,
  client: DynamoDBClient,
  guardTable: string,
): { readonly spend?: { readonly budgets: SpendBudgets; readonly guard: SpendGuard } } => {
  const budgets = FunctionEnv.SPEND_BUDGETS.read(env);
  if (!budgets) return {};
  return { spend: { budgets, guard: new SpendGuard(budgets, new DynamoDbSpendStore({ client, tableName: guardTable }), pricesOf(env)) } };
};
