import { toolItemSlot } from '../guard-table/index.ts';
import { requestSlot, namedHooks, noteBreakerOpened } from '../plumbing/index.ts';
import { admitAlone, type AdmissionStep, type GuardMiddleware } from '../plumbing/middleware.ts';
import type { BreakerSettings } from '../tool/index.ts';
import { BreakerState, countsAsFailure, judgeBreaker } from './circuit-breaker.ts';
import { breakerSnapshotOf, type DynamoDbBreakerStore } from './dynamodb-breaker-store.ts';
import { CircuitOpenError } from './errors.ts';
import { ToolError } from '../tool-result/index.ts';

/** How the breaker let this call through: while closed, or as the one half-open probe. */
// Stryker disable next-line StringLiteral: any name no other slot uses does
const passSlot = requestSlot<'closed' | 'probe'>('breaker.pass');

/**
 * How the `circuitBreaker` middleware decides: the store, the tool's breaker settings, and a hook
 * told of each transition.
 */
export interface CircuitBreakerOptions {
  /** What the middleware uses of the store (a fake in its unit tests). */
  readonly store: Pick<DynamoDbBreakerStore, 'read' | 'claimProbe' | 'closeAfterProbe' | 'reopenAfterProbe' | 'recordFailure'>;
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
 * rate limiter's write returned when there is one (no request of its own), else reads it itself.
 *
 * @example
 * const breaker = circuitBreaker({ store: new DynamoDbBreakerStore({ client, tableName: 'GuardState' }), tool: 'lookup_order', settings: defaultBreaker, probeTimeoutMs: 10_000 });
 * middy(handler).use(breaker);
 */
export const circuitBreaker = (options: CircuitBreakerOptions): GuardMiddleware<undefined> => {
  const { store, tool, settings, probeTimeoutMs, now = Date.now, onTransition = () => {}, onStoreError = () => {} } = options;
  if (!(probeTimeoutMs > 0)) throw new TypeError('circuitBreaker: probeTimeoutMs must be positive');

  const step: AdmissionStep<undefined> = {
    name: 'breaker',
    // Nothing to send with the others: the state comes back with the tool's token write.
    start: async () => undefined,
    decide: async (request) => {
      const item = toolItemSlot.get(request);
      const snapshot = item ? breakerSnapshotOf(item) : await store.read(tool);
      const at = now();
      const verdict = judgeBreaker(snapshot, at);
      // Stryker disable next-line StringLiteral: only 'probe' and no value at all are told apart
      if (verdict.verdict === 'pass') return void passSlot.set(request, 'closed');
      if (verdict.verdict === 'claim-probe' && (await store.claimProbe(tool, probeTimeoutMs))) {
        passSlot.set(request, 'probe');
        onTransition(BreakerState.HALF_OPEN);
        return undefined;
      }
      throw new CircuitOpenError(tool, verdict.verdict === 'reject' ? verdict.retryAfterMs : probeTimeoutMs);
    },
  };

  return namedHooks('circuitBreaker', {
    step,
    before: admitAlone(step),
    after: async (request) => {
      if (passSlot.get(request) !== 'probe') return;
      try {
        if (await store.closeAfterProbe(tool)) onTransition(BreakerState.CLOSED);
      } catch (error) {
        onStoreError(error);
      }
    },
    onError: async (request) => {
      const pass = passSlot.get(request);
      if (pass === undefined || !countsAsFailure(request.error)) return;
      // A failure no retry can mend opens the breaker at its first occurrence.
      const mendless = request.error instanceof ToolError && request.error.opensBreaker;
      try {
        const opened =
          pass === 'probe'
            ? await store.reopenAfterProbe(tool, settings)
            : await store.recordFailure(tool, mendless ? { ...settings, failureThreshold: 1 } : settings);
        if (opened) {
          noteBreakerOpened(request.context);
          onTransition(BreakerState.OPEN);
        }
      } catch (error) {
        onStoreError(error);
      }
    },
  });
};
