import type { MiddlewareObj } from '@middy/core';
import { hashCanonical } from '../canonical-json/canonical-json.ts';
import { attemptOf, type Attempt } from '../tool/attempt.ts';
import type { ToolInvocation } from '../tool/invocation.ts';
import type { DynamoDbIdempotencyStore } from './dynamodb-idempotency-store.ts';
import { IdempotencyInProgressError, IdempotencyKeyMissingError, IdempotencyMismatchError } from './errors.ts';
import { idempotencyKey, IdempotentReplay, judgeRecord } from './idempotency-record.ts';

const KEY = 'idempotency.claim';

interface Claim {
  readonly key: string;
  readonly argsHash: string;
  readonly attempt: Attempt;
}

/**
 * An earlier attempt at the same call whose Lambda ended without recording its own outcome in the
 * audit trail, as a later attempt finds it: `executed` (its result was stored, then it died before
 * its audit record) or `interrupted` (it died holding the claim: its effect may or may not have
 * happened, and this attempt runs the call again).
 */
export interface PreviousAttempt extends Attempt {
  readonly outcome: 'executed' | 'interrupted';
  /** executed: when its result was stored, and the result. */
  readonly endedAt?: number;
  readonly result?: unknown;
}

export interface IdempotencyOptions {
  readonly store: DynamoDbIdempotencyStore;
  readonly tool: string;
  /** How long an attempt holds the key; past it a retry may take over. Set above the tool timeout. */
  readonly lockMs: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Told when releasing the key after an error failed (the error itself is kept). */
  readonly onStoreError?: (error: unknown) => void;
  /**
   * Records an earlier attempt that left no outcome of its own (see PreviousAttempt) before this
   * one goes on; it must be safe to call again for the same attempt. A failure refuses this attempt.
   */
  readonly onPreviousAttempt?: (previous: PreviousAttempt, invocation: ToolInvocation) => Promise<void>;
}

/**
 * Makes a tool call idempotent on (run id, call id): the first attempt runs, a retry with the same
 * arguments gets the stored result (an `IdempotentReplay`), a retry with other arguments is refused,
 * and an attempt that fails releases the key so the call can be retried.
 */
export const idempotency = (options: IdempotencyOptions): MiddlewareObj<ToolInvocation> => {
  const { store, tool, lockMs, now = Date.now, onStoreError = () => {}, onPreviousAttempt } = options;
  if (!(lockMs > 0)) throw new TypeError('idempotency: lockMs must be positive');

  const before: MiddlewareObj<ToolInvocation>['before'] = async (request) => {
    const { runId, callId } = request.event;
    if (!runId || !callId) throw new IdempotencyKeyMissingError();
    const key = idempotencyKey(tool, runId, callId);
    const argsHash = hashCanonical(request.event.arguments);
    const at = now();
    const attempt = attemptOf(request.context, at);
    const claimed = (): undefined => void ((request.internal as Record<string, unknown>)[KEY] = { key, argsHash, attempt } satisfies Claim);
    const begun = await store.begin(key, argsHash, at, lockMs, attempt);
    if (begun.claimed) {
      claimed();
      const abandoned = begun.tookOver?.attempt;
      if (abandoned && onPreviousAttempt) await onPreviousAttempt({ ...abandoned, outcome: 'interrupted' }, request.event);
      return undefined;
    }
    const verdict = judgeRecord(begun.record, argsHash, at);
    switch (verdict.verdict) {
      case 'replay': {
        const ran = begun.record?.attempt;
        if (ran && ran.attemptId !== attempt.attemptId && onPreviousAttempt) {
          await onPreviousAttempt({ ...ran, outcome: 'executed', result: verdict.result, ...(begun.record?.completedAt === undefined ? {} : { endedAt: begun.record.completedAt }) }, request.event);
        }
        return new IdempotentReplay(verdict.result);
      }
      case 'mismatch':
        throw new IdempotencyMismatchError();
      case 'in-progress':
        throw new IdempotencyInProgressError(verdict.retryAfterMs);
      case 'run':
        // The record vanished between the put and the read (released by a failing attempt): retry once.
        if ((await store.begin(key, argsHash, now(), lockMs, attempt)).claimed) return claimed();
        throw new IdempotencyInProgressError(lockMs);
    }
  };

  const after: MiddlewareObj<ToolInvocation>['after'] = async (request) => {
    const claim = (request.internal as Record<string, unknown>)[KEY] as Claim | undefined;
    if (claim) await store.complete(claim.key, claim.argsHash, request.response, now(), claim.attempt);
  };

  const onError: MiddlewareObj<ToolInvocation>['onError'] = async (request) => {
    const claim = (request.internal as Record<string, unknown>)[KEY] as Claim | undefined;
    if (!claim) return;
    try {
      await store.release(claim.key);
    } catch (error) {
      onStoreError(error);
    }
  };

  return { before, after, onError };
};
