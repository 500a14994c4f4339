export { DynamoDbIdempotencyStore, type DynamoDbIdempotencyStoreOptions } from './dynamodb-idempotency-store.ts';
export { IdempotencyInProgressError, IdempotencyKeyMissingError, IdempotencyMismatchError } from './errors.ts';
export {
  idempotencyKey,
  IdempotentReplay,
  judgeRecord,
  RecordStatus,
  type IdempotencyRecord,
  type RecordVerdict,
} from './idempotency-record.ts';
