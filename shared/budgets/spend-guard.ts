import { costOf, nextCallEstimate, type ModelPrices } from '../runs/run-budget.ts';
import type { RunUsage } from '../runs/run-record.ts';
import type { DynamoDbSpendStore, SpendCrossing } from './dynamodb-spend-store.ts';
import { capsOf, countersFor, toMicros, type SpendAmount, type SpendBudgets, type SpendCounter, type Spender } from './spend-limits.ts';

export type SpendVerdict<T = object> =
  | ({ readonly allow: true } & T)
  | {
      readonly allow: false;
      readonly reason: string;
      /** Whose budget refused it, named as `describeCounter` names it. */
      readonly stoppedBy: { readonly kind: 'user' | 'tenant'; readonly budget: string };
    };

/** A reservation made: the counters it took past their `alarmAt` share (for the alarm). */
export interface Reserved {
  readonly crossings: readonly SpendCrossing[];
}

/** A model call's reservation: settled with what the provider reports it spent (or given back when it reported nothing). */
export interface ModelCallReservation extends Reserved {
  readonly settle: (
    spent: { readonly inputTokens: number; readonly outputTokens: number } | undefined,
  ) => Promise<readonly SpendCrossing[]>;
}

export interface SpendGuardOptions {
  readonly prices?: ModelPrices;
  /** Epoch ms. @default Date.now */
  readonly now?: () => number;
}

const UNIT: Record<keyof SpendAmount, (n: number) => string> = {
  toolCalls: (n) => `${n} tool calls`,
  tokens: (n) => `${n} tokens`,
  usdMicros: (n) => `$${n / 1_000_000}`,
};

/** "user uma's budget for 2026-11-30 (100 tool calls, $5)": what a refusal names. */
export const describeCounter = (counter: SpendCounter): string => {
  const caps = Object.entries(capsOf(counter.limit)).map(([d, n]) => UNIT[d as keyof SpendAmount](n as number));
  return `${counter.limit.scope} ${counter.subject}'s budget for ${counter.period} (${caps.join(', ')})`;
};

/**
 * The budgets a deployment keeps over days and months, per user and per tenant, around the
 * spending of a run: a model call reserves its estimate (the run's average call so far) before the
 * model is called, and settles with the usage the provider reports; a turn's tool calls are
 * reserved before any of them is made. A refusal names the budget; nothing of the step is spent.
 */
export class SpendGuard {
  readonly #budgets: SpendBudgets;
  readonly #store: Pick<DynamoDbSpendStore, 'reserve' | 'settle' | 'read'>;
  readonly #options: SpendGuardOptions;

  constructor(budgets: SpendBudgets, store: Pick<DynamoDbSpendStore, 'reserve' | 'settle' | 'read'>, options: SpendGuardOptions = {}) {
    this.#budgets = budgets;
    this.#store = store;
    this.#options = options;
  }

  #counters(spender: Spender): SpendCounter[] {
    return countersFor(this.#budgets, spender, (this.#options.now ?? Date.now)());
  }

  #amountOf(tokens: { readonly inputTokens: number; readonly outputTokens: number }): SpendAmount {
    const { prices } = this.#options;
    return {
      tokens: Math.ceil(tokens.inputTokens + tokens.outputTokens),
      ...(prices ? { usdMicros: toMicros(costOf(tokens.inputTokens, tokens.outputTokens, prices)) } : {}),
    };
  }

  async #reserve(counters: readonly SpendCounter[], amount: SpendAmount): Promise<SpendVerdict<Reserved>> {
    const result = await this.#store.reserve(counters, amount);
    if (!result.reserved) {
      const budget = describeCounter(result.refusedBy);
      return { allow: false, reason: `${budget} would be exceeded`, stoppedBy: { kind: result.refusedBy.limit.scope, budget } };
    }
    return { allow: true, crossings: result.crossings };
  }

  /** Reserves the next model call of a run that has spent `usage` so far. */
  async reserveModelCall(spender: Spender, usage: RunUsage | undefined): Promise<SpendVerdict<ModelCallReservation>> {
    const counters = this.#counters(spender);
    const estimate = this.#amountOf(nextCallEstimate(usage));
    const verdict = await this.#reserve(counters, estimate);
    if (!verdict.allow) return verdict;
    return {
      ...verdict,
      settle: async (spent) => {
        const actual = this.#amountOf(spent ?? { inputTokens: 0, outputTokens: 0 });
        const delta = Object.fromEntries(
          Object.entries(estimate).map(([d, reserved]) => [d, (actual[d as keyof SpendAmount] ?? 0) - (reserved as number)]),
        ) as SpendAmount;
        return this.#store.settle(counters, delta);
      },
    };
  }

  /** Reserves a turn's `count` tool calls, all or none. */
  reserveToolCalls(spender: Spender, count: number): Promise<SpendVerdict<Reserved>> {
    return this.#reserve(this.#counters(spender), { toolCalls: count });
  }

  /** What a spender may spend in each window now, and has spent (`GET /budgets`). */
  async standing(spender: Spender) {
    const read = await this.#store.read(this.#counters(spender));
    return read.map(({ counter, spent }) => {
      const caps = capsOf(counter.limit);
      const shown = (d: keyof SpendAmount, n: number) => (d === 'usdMicros' ? n / 1_000_000 : n);
      const pick = (amount: Required<SpendAmount> | SpendAmount) =>
        Object.fromEntries(
          Object.keys(caps).map((d) => [d === 'usdMicros' ? 'usd' : d, shown(d as keyof SpendAmount, amount[d as keyof SpendAmount] ?? 0)]),
        );
      return {
        scope: counter.limit.scope,
        subject: counter.subject,
        window: counter.limit.window,
        period: counter.period,
        resetsAt: new Date(counter.resetsAt).toISOString(),
        limit: pick(caps),
        spent: pick(spent),
      };
    });
  }
}
