export { DynamoDbRunStore, type DynamoDbRunStoreOptions, type RunSnapshot } from './dynamodb-run-store.ts';
export {
  addUsage,
  RunStatus,
  startingRun,
  TERMINAL_STATUSES,
  type CallRecord,
  type RunBudget,
  type RunRecord,
  type ScreeningFacts,
  type RunUsage,
  type StoppedBy,
} from './run-record.ts';
export { RunChangedError, type RunExpectation } from './errors.ts';
export {
  costOf,
  effectiveBudget,
  judgeCallBudget,
  answerRoom,
  type BudgetLeft,
  judgeModelCall,
  type ModelPrices,
  modelPricesSchema,
  runBudgetSchema,
  spentOf,
} from './run-budget.ts';
export type { RunListCursor } from './dynamodb-run-store.ts';
export { sentArguments } from './sent-arguments.ts';
