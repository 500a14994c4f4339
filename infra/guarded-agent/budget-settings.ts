import { synthChecked } from './synth-check.ts';
import { type ModelPrices, modelPricesSchema, type RunBudget, runBudgetSchema } from '../../shared/runs/index.ts';
import { type SpendBudgets, spendBudgetsSchema } from '../../shared/budgets/index.ts';

/**
 * GuardedAgent's `runBudget`, `modelPrices` and `spendBudgets`, checked at synth (a bad cap is a synth error that
 * says what is wrong, never a deployment without it) and written as the functions read them.
 */
export const budgetEnvironment = (runBudget: RunBudget | undefined, prices: ModelPrices | undefined, spend?: SpendBudgets) => {
  if (runBudget?.usd !== undefined && !prices)
    throw new Error('GuardedAgent runBudget.usd needs modelPrices: without a price table a dollar cap cannot be kept');
  if (spend?.limits.some((l) => l.usd !== undefined) && !prices)
    throw new Error('GuardedAgent spendBudgets caps dollars, which needs modelPrices: without a price table a dollar cap cannot be kept');
  return {
    runBudget: synthChecked('runBudget', runBudgetSchema, runBudget),
    prices: synthChecked('modelPrices', modelPricesSchema, prices),
    spendBudgets: synthChecked('spendBudgets', spendBudgetsSchema, spend),
  };
};
