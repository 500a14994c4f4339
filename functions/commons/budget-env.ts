import { jsonFromEnv } from './json-env.ts';
import { type ModelPrices, modelPricesSchema, type RunBudget, runBudgetSchema } from '../../shared/runs/index.ts';
import { FunctionEnv } from './function-env.ts';
import { DynamoDbSpendStore, type SpendBudgets, spendBudgetsSchema, SpendGuard } from '../../shared/budgets/index.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The deployment's caps on every run (GuardedAgent's `runBudget`), from the function's environment. */
export const runBudgetFrom = (env: Readonly<Record<string, string | undefined>>): RunBudget | undefined =>
  jsonFromEnv(env, FunctionEnv.RUN_BUDGET, runBudgetSchema);

/** The deployer's model prices (GuardedAgent's `modelPrices`), from the function's environment. */
export const modelPricesFrom = (env: Readonly<Record<string, string | undefined>>): ModelPrices | undefined =>
  jsonFromEnv(env, FunctionEnv.MODEL_PRICES, modelPricesSchema);

/** The deployment's budgets per user and tenant over windows (GuardedAgent's `spendBudgets`), from the function's environment. */
export const spendBudgetsFrom = (env: Readonly<Record<string, string | undefined>>): SpendBudgets | undefined =>
  jsonFromEnv(env, FunctionEnv.SPEND_BUDGETS, spendBudgetsSchema);

/** `{ runBudget?, prices? }` for the API's dependencies, from the function's environment. */
export const budgetSettings = (env: Readonly<Record<string, string | undefined>>) => {
  const runBudget = runBudgetFrom(env);
  return { ...(runBudget ? { runBudget } : {}), ...pricesOf(env) };
};

/**
 * `{ spend? }`: the deployment's budgets over windows and their guard on the guard table (`guardTable`),
 * when the function's environment declares any. The one place CallModel and the API build them.
 */
export const spendSettings = (env: Readonly<Record<string, string | undefined>>, client: DynamoDBClient, guardTable: string) => {
  const budgets = spendBudgetsFrom(env);
  if (!budgets) return {};
  return { spend: { budgets, guard: new SpendGuard(budgets, new DynamoDbSpendStore({ client, tableName: guardTable }), pricesOf(env)) } };
};

/** `{ prices? }` for CallModel's dependencies, from the function's environment. */
export const pricesOf = (env: Readonly<Record<string, string | undefined>>) => {
  const prices = modelPricesFrom(env);
  return prices ? { prices } : {};
};
