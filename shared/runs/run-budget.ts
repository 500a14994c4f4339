import * as z from 'zod/mini';
import type { RunRecord, RunUsage } from './run-record.ts';

/** What a run may spend, each cap optional: tool calls asked for, model tokens (input + output), model cost in dollars. */
export interface RunBudget {
  readonly toolCalls?: number;
  readonly tokens?: number;
  readonly usd?: number;
}

/** The deployer's price table for the model: dollars per million input and output tokens. */
export interface ModelPrices {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/** A budget as `POST /runs` takes it and as a deployment declares it: strict, positive, bounded. */
export const runBudgetSchema = z.strictObject({
  toolCalls: z.optional(z.int().check(z.minimum(1), z.maximum(100_000))),
  tokens: z.optional(z.int().check(z.minimum(1), z.maximum(1_000_000_000))),
  usd: z.optional(z.number().check(z.positive(), z.maximum(1_000_000))),
});

export const modelPricesSchema = z.strictObject({
  inputPerMillion: z.number().check(z.gte(0), z.maximum(10_000)),
  outputPerMillion: z.number().check(z.gte(0), z.maximum(10_000)),
});

/**
 * The budget a run gets: each cap the lower of the caller's and the deployment's; a caller can
 * lower a cap, never raise or remove one. Undefined when neither sets any.
 *
 * @example
 * effectiveBudget({ toolCalls: 500, tokens: 2000 }, { toolCalls: 50 }); // { toolCalls: 50, tokens: 2000 }
 */
export const effectiveBudget = (requested: RunBudget | undefined, declared: RunBudget | undefined): RunBudget | undefined => {
  const cap = (key: keyof RunBudget) => {
    const values = [requested?.[key], declared?.[key]].filter((v): v is number => v !== undefined);
    return values.length > 0 ? { [key]: Math.min(...values) } : {};
  };
  const budget: RunBudget = { ...cap('toolCalls'), ...cap('tokens'), ...cap('usd') };
  return Object.keys(budget).length > 0 ? budget : undefined;
};

const tokensOf = (usage: RunUsage | undefined) => (usage ? usage.inputTokens + usage.outputTokens : 0);
export const costOf = (input: number, output: number, prices: ModelPrices) =>
  (input * prices.inputPerMillion + output * prices.outputPerMillion) / 1_000_000;

/** What a run has spent so far; `usd` is null where the deployment declares no prices. */
export interface RunSpent {
  readonly toolCalls: number;
  readonly tokens: number;
  readonly usd: number | null;
}

export const spentOf = (run: Pick<RunRecord, 'callCount' | 'usage'>, prices: ModelPrices | undefined): RunSpent => ({
  toolCalls: run.callCount ?? 0,
  tokens: tokensOf(run.usage),
  usd: prices ? costOf(run.usage?.inputTokens ?? 0, run.usage?.outputTokens ?? 0, prices) : null,
});

/** What the next model call of a run is expected to spend: its average call so far (0 before the first). */
export const nextCallEstimate = (usage: RunUsage | undefined): { readonly inputTokens: number; readonly outputTokens: number } => {
  const calls = usage?.modelCalls ?? 0;
  return calls > 0
    ? { inputTokens: (usage?.inputTokens ?? 0) / calls, outputTokens: (usage?.outputTokens ?? 0) / calls }
    : { inputTokens: 0, outputTokens: 0 };
};

export type BudgetVerdict = { readonly allow: true } | { readonly allow: false; readonly reason: string; readonly budget: string };

/**
 * Whether the next model call may go ahead, with an estimate of what it will spend reserved first:
 * the run's average model call so far (the conversation only grows, so the next is rarely smaller),
 * settled after with the usage the provider reports. Pure; the run has one writer at a time, so
 * checking its own record is exact.
 */
export const judgeModelBudget = (run: Pick<RunRecord, 'budget' | 'usage'>, prices: ModelPrices | undefined): BudgetVerdict => {
  const { budget, usage } = run;
  if (!budget) return { allow: true };
  const next = nextCallEstimate(usage);
  const input = (usage?.inputTokens ?? 0) + next.inputTokens;
  const output = (usage?.outputTokens ?? 0) + next.outputTokens;
  if (budget.tokens !== undefined && input + output > budget.tokens)
    return {
      allow: false,
      budget: `its token budget (${budget.tokens})`,
      reason: `its token budget (${budget.tokens}) would be exceeded by the next model call`,
    };
  if (budget.usd !== undefined && prices && costOf(input, output, prices) > budget.usd)
    return {
      allow: false,
      budget: `its budget of $${budget.usd}`,
      reason: `its budget of $${budget.usd} would be exceeded by the next model call`,
    };
  return { allow: true };
};

/** Whether a turn's `asked` tool calls fit in what is left of the run's budget of calls. */
export const judgeCallBudget = (run: Pick<RunRecord, 'budget' | 'callCount'>, asked: number): BudgetVerdict => {
  const cap = run.budget?.toolCalls;
  if (cap === undefined || (run.callCount ?? 0) + asked <= cap) return { allow: true };
  return {
    allow: false,
    budget: `its budget of ${cap} tool calls`,
    reason: `its budget of ${cap} tool calls would be exceeded (${run.callCount ?? 0} made, ${asked} more asked for)`,
  };
};
