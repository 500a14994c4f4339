import type { MiddlewareObj } from '@middy/core';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { TOOL_ITEM_INTERNAL_KEY } from '../rate-limit/middleware.ts';
import type { BreakerSettings } from '../tool/define-tool.ts';
import type { ToolInvocation } from '../tool/invocation.ts';
import { BreakerState, countsAsFailure, judgeBreaker } from './circuit-breaker.ts';
import { breakerSnapshotOf, type DynamoDbBreakerStore } from './dynamodb-breaker-store.ts';
import { CircuitOpenError } from './errors.ts';

const PASS_KEY = 'breaker.pass';

export interface CircuitBreakerOptions {
  readonly store: DynamoDbBreakerStore;
  readonly tool: string;
  readonly settings: BreakerSettings;
  /** How long a claimed probe may take before another caller may claim one. @default 2 x the tool timeout */
  readonly probeTimeoutMs: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Told about every transition this call caused (for metrics). */
  readonly onTransition?: (to: BreakerState) => void;
  /** Told when recording an outcome failed; the call's own result is kept. */
  readonly onStoreError?: (error: unknown) => void;
}

/**
 * Short-circuits calls while the tool's breaker is open, lets exactly one probe through after the
 * cooldown, and records the outcome of calls it let through. Reads the breaker from the item the
 * rate limiter's write returned when there is one (no extra round trip), else reads it itself.
 */
export const circuitBreaker = (options: CircuitBreakerOptions): MiddlewareObj<ToolInvocation> => {
  const { store, tool, settings, probeTimeoutMs, now = Date.now, onTransition = () => {}, onStoreError = () => {} } = options;
  if (!(probeTimeoutMs > 0)) throw new TypeError('circuitBreaker: probeTimeoutMs must be positive');

  const before: MiddlewareObj<ToolInvocation>['before'] = async (request) => {
    const internal = request.internal as Record<string, unknown>;
    const item = internal[TOOL_ITEM_INTERNAL_KEY] as Record<string, AttributeValue> | undefined;
    const snapshot = item ? breakerSnapshotOf(item) : await store.read(tool);
    const at = now();
    const verdict = judgeBreaker(snapshot, at);
    if (verdict.verdict === 'pass') {
      internal[PASS_KEY] = 'closed';
      return;
    }
    if (verdict.verdict === 'claim-probe' && (await store.claimProbe(tool, at, probeTimeoutMs))) {
      internal[PASS_KEY] = 'probe';
      onTransition(BreakerState.HALF_OPEN);
      return;
    }
    throw new CircuitOpenError(tool, verdict.verdict === 'reject' ? verdict.retryAfterMs : probeTimeoutMs);
  };

  const after: MiddlewareObj<ToolInvocation>['after'] = async (request) => {
    if ((request.internal as Record<string, unknown>)[PASS_KEY] !== 'probe') return;
    try {
      if (await store.closeAfterProbe(tool, now())) onTransition(BreakerState.CLOSED);
    } catch (error) {
      onStoreError(error);
    }
  };

  const onError: MiddlewareObj<ToolInvocation>['onError'] = async (request) => {
    const pass = (request.internal as Record<string, unknown>)[PASS_KEY];
    if (pass === undefined || !countsAsFailure(request.error)) return;
    try {
      const opened = pass === 'probe' ? await store.reopenAfterProbe(tool, now(), settings) : await store.recordFailure(tool, now(), settings);
      if (opened) onTransition(BreakerState.OPEN);
    } catch (error) {
      onStoreError(error);
    }
  };

  return { before, after, onError };
};
