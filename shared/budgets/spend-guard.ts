import { answerRoom, costOf, type BudgetLeft, type ModelPrices } from '../runs/index.ts';
import { MIN_ANSWER_TOKENS } from '../model/index.ts';
import { DynamoDbSpendStore, type SpendCrossing } from './dynamodb-spend-store.ts';
import type { StoreAccess } from '../tables/index.ts';
import { capsOf, countersFor, toMicros, type SpendAmount, type SpendBudgets, type SpendCounter, type Spender } from './spend-limits.ts';

/** A budget's answer to a spend: allowed, or refused with whose budget and why. */
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
  /** The answer's cap the reservation left room for: the call must be made with it, no larger. */
  readonly maxAnswerTokens: number;
  /** Settles the reservation with what the call spent (undefined: nothing reported, the reservation is given back); the crossings of `alarmAt` shares it made. */
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
 * spending of a run: a model call reserves its ceiling (its prompt's bound plus its answer's cap)
 * before the model is called, and settles with the usage the provider reports; a turn's tool calls are
 * reserved before any of them is made. A refusal names the budget; nothing of the step is spent.
 */
export class SpendGuard {
  /** What each method asks of the guard table, through its store's methods (the deployed roles are granted this). */
  static readonly access = {
    reserveModelCall: { actions: [...DynamoDbSpendStore.access.read.actions, ...DynamoDbSpendStore.access.reserve.actions] },
    reserveToolCalls: DynamoDbSpendStore.access.reserve,
    standing: DynamoDbSpendStore.access.read,
  } as const satisfies StoreAccess;

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

  /**
   * Reserves a model call's ceiling on every counter it is held to: its prompt's bound plus its
   * answer's cap, the cap lowered to what the tightest counter has left (read first; a call that
   * can only be given less than `MIN_ANSWER_TOKENS` is refused, naming the counter). The reservation
   * is one conditional write per counter, so however many runs reserve at once, no counter is
   * reserved past its cap; it is settled to what the provider reports once the model answers.
   */
  async reserveModelCall(
    spender: Spender,
    call: { readonly promptTokens: number; readonly maxAnswerTokens: number },
  ): Promise<SpendVerdict<ModelCallReservation>> {
    const counters = this.#counters(spender);
    let maxAnswerTokens = call.maxAnswerTokens;
    const held = counters.filter((c) => c.limit.tokens !== undefined || (c.limit.usd !== undefined && this.#options.prices));
    for (const { counter, spent } of held.length > 0 ? await this.#store.read(held) : []) {
      const left: BudgetLeft = {
        ...(counter.limit.tokens === undefined ? {} : { tokens: counter.limit.tokens - spent.tokens }),
        ...(counter.limit.usd === undefined ? {} : { usd: counter.limit.usd - spent.usdMicros / 1_000_000 }),
      };
      maxAnswerTokens = Math.min(maxAnswerTokens, answerRoom(left, call.promptTokens, this.#options.prices, maxAnswerTokens));
      if (maxAnswerTokens < MIN_ANSWER_TOKENS) {
        const budget = describeCounter(counter);
        return {
          allow: false,
          reason: `${budget} has no room for the next model call (a prompt of up to ${call.promptTokens} tokens and an answer of at least ${MIN_ANSWER_TOKENS})`,
          stoppedBy: { kind: counter.limit.scope, budget },
        };
      }
    }
    const ceiling = this.#amountOf({ inputTokens: call.promptTokens, outputTokens: maxAnswerTokens });
    // Conditional on each counter: a run that took the room meanwhile makes this one refused, never over the cap.
    const verdict = await this.#reserve(counters, ceiling);
    if (!verdict.allow) return verdict;
    return {
      ...verdict,
      maxAnswerTokens,
      settle: async (spent) => {
        const actual = this.#amountOf(spent ?? { inputTokens: 0, outputTokens: 0 });
        const delta = Object.fromEntries(
          Object.entries(ceiling).map(([d, reserved]) => [d, (actual[d as keyof SpendAmount] ?? 0) - (reserved as number)]),
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
