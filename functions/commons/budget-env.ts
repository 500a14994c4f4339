import * as z from 'zod/mini';
import { modelPricesSchema, runBudgetSchema, type ModelPrices, type RunBudget } from '../../shared/runs/run-budget.ts';
import { FunctionEnv } from './function-env.ts';

const parsed = <T>(env: Readonly<Record<string, string | undefined>>, name: string, schema: z.ZodMiniType<T>): T | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const result = z.safeParse(
    schema,
    (() => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return undefined;
      }
    })(),
  );
  // A malformed cap fails the cold start with the variable's name: never runs without the caps it was given.
  if (!result.success) throw new Error(`${name} is not valid JSON of the expected shape: ${raw.slice(0, 200)}`);
  return result.data;
};

/** The deployment's caps on every run (GuardedAgent's `runBudget`), from the function's environment. */
export const runBudgetFrom = (env: Readonly<Record<string, string | undefined>>): RunBudget | undefined =>
  parsed(env, FunctionEnv.RUN_BUDGET, runBudgetSchema);

/** The deployer's model prices (GuardedAgent's `modelPrices`), from the function's environment. */
export const modelPricesFrom = (env: Readonly<Record<string, string | undefined>>): ModelPrices | undefined =>
  parsed(env, FunctionEnv.MODEL_PRICES, modelPricesSchema);

/** `{ runBudget?, prices? }` for the API's dependencies, from the function's environment. */
export const budgetSettings = (env: Readonly<Record<string, string | undefined>>) => {
  const runBudget = runBudgetFrom(env);
  const prices = modelPricesFrom(env);
  return { ...(runBudget ? { runBudget } : {}), ...(prices ? { prices } : {}) };
};

/** `{ prices? }` for CallModel's dependencies, from the function's environment. */
export const pricesOf = (env: Readonly<Record<string, string | undefined>>) => {
  const prices = modelPricesFrom(env);
  return prices ? { prices } : {};
};
