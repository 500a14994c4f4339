export { DynamoDbBucketStore, type BucketItem, type DynamoDbBucketStoreOptions, type TakeResult } from './dynamodb-bucket-store.ts';
export { RateLimitedError, type BucketScope } from './errors.ts';
export { rateLimit, ROUND_TRIPS_INTERNAL_KEY, TOOL_ITEM_INTERNAL_KEY, type RateLimitOptions } from './middleware.ts';
export { judgeBucket, planBucket, type BucketPlan, type BucketVerdict, type WriteShape } from './token-bucket.ts';
