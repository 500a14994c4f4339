import type { BucketLimit } from '../tool/index.ts';

/**
 * A token bucket in GCRA form: the whole bucket is one number, the theoretical arrival time
 * (`tat`, epoch ms) of the next call if calls came at the refill rate. A bucket of capacity C
 * admits a call when `max(tat, now) - now <= (C - 1) * T`, T being the refill interval, and then
 * moves `tat` to `max(tat, now) + T`. One number means one conditional write per call.
 *
 * DynamoDB update expressions have no `max`, so the write takes one of two shapes, each guarded
 * by a condition that makes it valid:
 * - `fresh`: the bucket is full (`tat <= now` or absent): `tat = now + T`.
 * - `queued`: tokens were spent recently (`now < tat <= now + tau`): `tat = tat + T`.
 * Exactly one shape can hold at a time; a failed condition returns the item, which says which.
 */
export interface BucketPlan {
  /** Refill interval: one token every `intervalMs`. */
  readonly intervalMs: number;
  /** Burst tolerance: how far `tat` may run ahead of now and still admit. */
  readonly toleranceMs: number;
}

export const planBucket = (limit: BucketLimit): BucketPlan => {
  const intervalMs = 60_000 / limit.refillPerMinute;
  return { intervalMs, toleranceMs: (limit.capacity - 1) * intervalMs };
};

export type WriteShape = 'fresh' | 'queued';

export type BucketVerdict = { readonly admit: true; readonly shape: WriteShape } | { readonly admit: false; readonly retryAfterMs: number };

/** Given a known `tat` (undefined: no item), what to do now. Pure. */
export const judgeBucket = (tat: number | undefined, now: number, plan: BucketPlan): BucketVerdict => {
  if (tat === undefined || tat <= now) return { admit: true, shape: 'fresh' };
  if (tat <= now + plan.toleranceMs) return { admit: true, shape: 'queued' };
  return { admit: false, retryAfterMs: tat - plan.toleranceMs - now };
};
