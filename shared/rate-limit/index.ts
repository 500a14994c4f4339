export { DynamoDbBucketStore, type BucketItem, type DynamoDbBucketStoreOptions, type TakeResult } from './dynamodb-bucket-store.ts';
export { RateLimitedError, type BucketScope } from './errors.ts';
export { judgeBucket, planBucket, type BucketPlan, type BucketVerdict, type WriteShape } from './token-bucket.ts';
