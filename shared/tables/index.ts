export { createEmbeddedTables, guardTableSpecs, orchestrationTableSpecs, type TableSpec } from './table-spec.ts';
export { APPROVALS_UNDELIVERED_INDEX } from './approval-indexes.ts';
export { AUDIT_BY_CALLER_TOOL_INDEX, AUDIT_BY_DAY_INDEX } from './audit-indexes.ts';
export { RUN_INDEXES } from './run-indexes.ts';
export type { IndexSpec } from './index-spec.ts';
// What the other capabilities of shared/ use (through this surface, as everything else does).
export { RUNS_BY_MONTH, RUNS_BY_OWNER } from './run-indexes.ts';
export {
  ACCESS_ACTIONS,
  joinAccess,
  type DynamoDbAction,
  type FunctionAccess,
  type StoreAccess,
  type TableAccess,
  type TableKey,
} from './table-access.ts';
