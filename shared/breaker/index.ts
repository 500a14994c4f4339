export { BreakerState, countsAsFailure, judgeBreaker, type BreakerSnapshot, type BreakerVerdict } from './circuit-breaker.ts';
export { breakerSnapshotOf, DynamoDbBreakerStore, type DynamoDbBreakerStoreOptions } from './dynamodb-breaker-store.ts';
export { CircuitOpenError } from './errors.ts';
