export { DynamoDbSpendStore, type DynamoDbSpendStoreOptions, type ReserveResult, type SpendCrossing } from './dynamodb-spend-store.ts';
export {
  describeCounter,
  SpendGuard,
  type ModelCallReservation,
  type Reserved,
  type SpendGuardOptions,
  type SpendVerdict,
} from './spend-guard.ts';
export {
  countersFor,
  needsTenant,
  spendBudgetsSchema,
  tenantOf,
  windowOf,
  type SpendAmount,
  type SpendBudgets,
  type SpendCounter,
  type SpendLimit,
  type Spender,
  type SpendScope,
  type SpendWindow,
  type TenantSource,
} from './spend-limits.ts';
