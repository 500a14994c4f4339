import { toolItemSlot, toolItemKey, userToolItemKey } from '../guard-table/index.ts';
import { requestSlot, namedHooks } from '../plumbing/index.ts';
import { admitAlone, type AdmissionStep, type GuardMiddleware } from '../plumbing/middleware.ts';
import type { ToolLimits } from '../tool/index.ts';
import type { DynamoDbBucketStore, TakeResult } from './dynamodb-bucket-store.ts';
import { RateLimitedError } from './errors.ts';
import { planBucket } from './token-bucket.ts';

/**
 * How the `rateLimit` middleware admits calls: the store, the tool's limits per user and per tool.
 */
export interface RateLimitOptions {
  /** What the middleware uses of the store (a fake in its unit tests). */
  readonly store: Pick<DynamoDbBucketStore, 'take' | 'refund'>;
  readonly tool: string;
  readonly limits: ToolLimits;
}

/** The tokens one call took: from the caller's bucket for the tool and from the tool's. */
export interface Taken {
  readonly userKey: string;
  readonly toolKey: string;
  readonly user: TakeResult;
  readonly shared: TakeResult;
}

/** Set once the call has reached the limits: from then on its tokens are spent, whatever follows. */
const checkedSlot = requestSlot<true>('rateLimit.checked');

/**
 * Takes one token from the caller's bucket for this tool and one from the tool's shared bucket,
 * both writes at once (and with the other guards' requests: see AdmissionStep). A refusal from
 * either refunds the other and raises `RATE_LIMITED` with the time after which a retry can pass.
 * A call refused or answered by a guard that decides before the limits (approval, idempotency)
 * gets its tokens back: as if the limits had never been reached. One refused after them (the
 * breaker) has spent them.
 *
 * @example
 * middy(handler).use(rateLimit({ store: new DynamoDbBucketStore({ client, tableName: 'GuardState' }), tool: 'lookup_order', limits: limitPresets.read }));
 */
export const rateLimit = (options: RateLimitOptions): GuardMiddleware<Taken> => {
  const { store, tool } = options;
  const userPlan = planBucket(options.limits.perUser);
  const toolPlan = planBucket(options.limits.perTool);
  const refund = async ({ userKey, toolKey, user, shared }: Taken) => {
    await Promise.all([
      user.admitted ? store.refund(userKey, userPlan) : undefined,
      shared.admitted ? store.refund(toolKey, toolPlan) : undefined,
    ]);
  };

  const step: AdmissionStep<Taken> = {
    name: 'rate-limit',
    start: async (request) => {
      const userKey = userToolItemKey(request.event.caller.userId, tool);
      const toolKey = toolItemKey(tool);
      const [user, shared] = await Promise.all([store.take(userKey, userPlan), store.take(toolKey, toolPlan, true)]);
      return { userKey, toolKey, user, shared };
    },
    decide: async (request, taken) => {
      checkedSlot.set(request, true);
      const { user, shared } = taken;
      if (user.admitted && shared.admitted) return void toolItemSlot.set(request, shared.item);
      await refund(taken);
      if (!user.admitted) throw new RateLimitedError('user', tool, user.retryAfterMs);
      throw new RateLimitedError('tool', tool, shared.admitted ? 0 : shared.retryAfterMs);
    },
    undo: async (request, taken) => {
      if (!checkedSlot.get(request)) await refund(taken);
    },
  };

  return namedHooks('rateLimit', { step, before: admitAlone(step) });
};
