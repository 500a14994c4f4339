export { DynamoDbRunStore, type DynamoDbRunStoreOptions, type RunSnapshot } from './dynamodb-run-store.ts';
export { addUsage, RunStatus, TERMINAL_STATUSES, type CallRecord, type RunRecord, type RunUsage } from './run-record.ts';
export { RunChangedError, type RunExpectation } from './errors.ts';
