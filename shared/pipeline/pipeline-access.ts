import { DynamoDbApprovalReader } from '../approval/index.ts';
import { DynamoDbAuditStore } from '../audit/index.ts';
import { DynamoDbBreakerStore } from '../breaker/index.ts';
import { DynamoDbIdempotencyStore } from '../idempotency/index.ts';
import { DynamoDbBucketStore } from '../rate-limit/index.ts';
import type { FunctionAccess } from '../tables/index.ts';
import { RiskClass, type ToolDefinition } from '../tool/index.ts';

/**
 * What the guard pipeline around one tool asks of the agent's tables: the store calls
 * `createGuardedHandler` makes, so that a tool's role is granted these and nothing more. Destructive
 * tools and sinks also read their approval.
 *
 * @example
 * guardedHandlerAccess(lookupOrder); // { guard: [...take, refund, breaker...], idempotency: [...], audit: [...] }
 */
export const guardedHandlerAccess = (
  tool: Pick<ToolDefinition, 'risk' | 'reaches'>,
  /** A policy may ask approval of this tool's calls: it reads its approvals too. */
  options: { readonly policyApprovals?: boolean } = {},
): FunctionAccess => {
  const { take, refund } = DynamoDbBucketStore.access;
  // No breaker read: its state comes back with the tool's token write (the rate limit runs first).
  const { claimProbe, closeAfterProbe, reopenAfterProbe, recordFailure } = DynamoDbBreakerStore.access;
  const { begin, complete, completion, release } = DynamoDbIdempotencyStore.access;
  // A result is stored with its audit record, in one batch; a refusal is audited alone.
  const { put, putAlongside, putIfAbsent } = DynamoDbAuditStore.access;
  return {
    guard: [take, refund, claimProbe, closeAfterProbe, reopenAfterProbe, recordFailure],
    idempotency: [begin, complete, completion, release],
    audit: [put, putAlongside, putIfAbsent],
    ...(tool.risk === RiskClass.DESTRUCTIVE || tool.reaches === 'external' || options.policyApprovals
      ? { approvals: [DynamoDbApprovalReader.access.get] }
      : {}),
  };
};
