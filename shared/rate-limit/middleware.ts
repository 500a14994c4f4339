import type { MiddlewareObj } from '@middy/core';
import { toolItemKey, userToolItemKey } from '../guard-table/keys.ts';
import type { ToolLimits } from '../tool/define-tool.ts';
import type { ToolInvocation } from '../tool/invocation.ts';
import type { DynamoDbBucketStore, TakeResult } from './dynamodb-bucket-store.ts';
import { RateLimitedError } from './errors.ts';
import { planBucket } from './token-bucket.ts';

/** Where the tool item returned by the token write is left for the breaker (which lives on it). */
export const TOOL_ITEM_INTERNAL_KEY = 'guardTable.toolItem';
/** Sequential DynamoDB round trips the limits took, for the benchmark and the logs. */
export const ROUND_TRIPS_INTERNAL_KEY = 'rateLimit.roundTrips';

export interface RateLimitOptions {
  readonly store: DynamoDbBucketStore;
  readonly tool: string;
  readonly limits: ToolLimits;
}

/**
 * Takes one token from the caller's bucket for this tool and one from the tool's shared bucket,
 * both writes at once (one round trip). A refusal from either refunds the other and raises
 * `RATE_LIMITED` with the time after which a retry can pass.
 */
export const rateLimit = (options: RateLimitOptions): MiddlewareObj<ToolInvocation> => {
  const { store, tool } = options;
  const userPlan = planBucket(options.limits.perUser);
  const toolPlan = planBucket(options.limits.perTool);

  const before: MiddlewareObj<ToolInvocation>['before'] = async (request) => {
    const userKey = userToolItemKey(request.event.caller.userId, tool);
    const toolKey = toolItemKey(tool);
    const [user, shared]: [TakeResult, TakeResult] = await Promise.all([store.take(userKey, userPlan), store.take(toolKey, toolPlan, true)]);
    const internal = request.internal as Record<string, unknown>;
    internal[ROUND_TRIPS_INTERNAL_KEY] = Math.max(user.roundTrips, shared.roundTrips);
    if (user.admitted && shared.admitted) {
      internal[TOOL_ITEM_INTERNAL_KEY] = shared.item;
      return;
    }
    if (user.admitted) await store.refund(userKey, userPlan);
    if (shared.admitted) await store.refund(toolKey, toolPlan);
    if (!user.admitted) throw new RateLimitedError('user', tool, user.retryAfterMs);
    throw new RateLimitedError('tool', tool, shared.admitted ? 0 : shared.retryAfterMs);
  };

  return { before };
};
