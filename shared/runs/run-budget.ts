import * as z from 'zod/mini';
import type { RunBudget, RunRecord, RunUsage } from './run-record.ts';
import { DEFAULT_MAX_ANSWER_TOKENS, MIN_ANSWER_TOKENS } from '../model/index.ts';

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

export type BudgetVerdict = { readonly allow: true } | { readonly allow: false; readonly reason: string; readonly budget: string };

/** What is left of a budget, in the units it caps (absent: not capped). */
export interface BudgetLeft {
  readonly tokens?: number;
  readonly usd?: number;
}

/**
 * The largest answer (in tokens) a model call whose prompt is bounded at `promptTokens` may be
 * given within what is left, at most `wanted`: its ceiling (the prompt's bound plus the answer's
 * cap) then fits every cap, so whatever the provider reports, the call cannot overspend. Pure.
 *
 * @example
 * answerRoom({ tokens: 5000 }, 3000, undefined, 2048); // 2000
 */
export const answerRoom = (left: BudgetLeft, promptTokens: number, prices: ModelPrices | undefined, wanted: number): number => {
  let room = wanted;
  if (left.tokens !== undefined) room = Math.min(room, left.tokens - promptTokens);
  if (left.usd !== undefined && prices) {
    const afterPrompt = left.usd - costOf(promptTokens, 0, prices);
    room = prices.outputPerMillion > 0 ? Math.min(room, (afterPrompt * 1_000_000) / prices.outputPerMillion) : afterPrompt < 0 ? -1 : room;
  }
  return Math.floor(room);
};

/**
 * Whether a run's next model call fits what is left of its own token and dollar caps, and the
 * largest answer it may be given (at least `MIN_ANSWER_TOKENS`, at most `wanted`). Its ceiling is
 * reserved, not an estimate: the run has one writer at a time, so checking its own record is exact,
 * and a call within its ceiling cannot take the run past a cap. Pure.
 */
export const judgeModelCall = (
  run: Pick<RunRecord, 'budget' | 'usage'>,
  prices: ModelPrices | undefined,
  promptTokens: number,
  wanted: number = DEFAULT_MAX_ANSWER_TOKENS,
): { readonly allow: true; readonly maxAnswerTokens: number } | Extract<BudgetVerdict, { allow: false }> => {
  const { budget, usage } = run;
  // Each cap on its own, so a refusal names the one with no room.
  const caps = [
    ...(budget?.tokens === undefined
      ? []
      : [{ name: `its token budget (${budget.tokens})`, left: { tokens: budget.tokens - tokensOf(usage) } }]),
    ...(budget?.usd === undefined || !prices
      ? []
      : [
          {
            name: `its budget of $${budget.usd}`,
            left: { usd: budget.usd - costOf(usage?.inputTokens ?? 0, usage?.outputTokens ?? 0, prices) },
          },
        ]),
  ];
  let maxAnswerTokens = wanted;
  for (const cap of caps) {
    maxAnswerTokens = Math.min(maxAnswerTokens, answerRoom(cap.left, promptTokens, prices, wanted));
    if (maxAnswerTokens < MIN_ANSWER_TOKENS)
      return {
        allow: false,
        budget: cap.name,
        reason: `${cap.name} has no room for the next model call (a prompt of up to ${promptTokens} tokens and an answer of at least ${MIN_ANSWER_TOKENS})`,
      };
  }
  return { allow: true, maxAnswerTokens };
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
