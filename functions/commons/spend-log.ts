import type { SpendCrossing } from '../../shared/budgets/index.ts';
import { costOf, type ModelPrices, type RunRecord } from '../../shared/runs/index.ts';

/** The fields of a model call's log line: who spent what (the dashboard sums them by user and tenant). */
export const spendOf = (
  run: Pick<RunRecord, 'runId' | 'owner' | 'tenant'>,
  usage: { readonly inputTokens: number; readonly outputTokens: number } | undefined,
  prices: ModelPrices | undefined,
) => ({
  runId: run.runId,
  user: run.owner,
  ...(run.tenant === undefined ? {} : { tenant: run.tenant }),
  inputTokens: usage?.inputTokens ?? 0,
  outputTokens: usage?.outputTokens ?? 0,
  ...(prices ? { usd: costOf(usage?.inputTokens ?? 0, usage?.outputTokens ?? 0, prices) } : {}),
});

/** The fields of a budget alarm's log line: whose budget, which window, how much of which cap. */
export const crossingOf = ({ counter, dimension, spent, cap }: SpendCrossing) => {
  const dollars = dimension === 'usdMicros';
  return {
    scope: counter.limit.scope,
    subject: counter.subject,
    window: counter.limit.window,
    period: counter.period,
    dimension: dollars ? 'usd' : dimension,
    spent: dollars ? spent / 1_000_000 : spent,
    cap: dollars ? cap / 1_000_000 : cap,
  };
};
