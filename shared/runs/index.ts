export { DynamoDbRunStore, type DynamoDbRunStoreOptions, type RunSnapshot } from './dynamodb-run-store.ts';
export { RunStatus, TERMINAL_STATUSES, type CallRecord, type RunRecord } from './run-record.ts';
export { RunChangedError, type RunExpectation } from './errors.ts';
