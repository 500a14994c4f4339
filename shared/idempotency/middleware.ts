import type { MiddlewareObj } from '@middy/core';
import { hashCanonical } from '../canonical-json/canonical-json.ts';
import type { ToolInvocation } from '../tool/invocation.ts';
import type { DynamoDbIdempotencyStore } from './dynamodb-idempotency-store.ts';
import { IdempotencyInProgressError, IdempotencyKeyMissingError, IdempotencyMismatchError } from './errors.ts';
import { idempotencyKey, IdempotentReplay, judgeRecord } from './idempotency-record.ts';

const KEY = 'idempotency.claim';

interface Claim {
  readonly key: string;
  readonly argsHash: string;
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
}

/**
 * Makes a tool call idempotent on (run id, call id): the first attempt runs, a retry with the same
 * arguments gets the stored result (an `IdempotentReplay`), a retry with other arguments is refused,
 * and an attempt that fails releases the key so the call can be retried.
 */
export const idempotency = (options: IdempotencyOptions): MiddlewareObj<ToolInvocation> => {
  const { store, tool, lockMs, now = Date.now, onStoreError = () => {} } = options;
  if (!(lockMs > 0)) throw new TypeError('idempotency: lockMs must be positive');

  const before: MiddlewareObj<ToolInvocation>['before'] = async (request) => {
    const { runId, callId } = request.event;
    if (!runId || !callId) throw new IdempotencyKeyMissingError();
    const key = idempotencyKey(tool, runId, callId);
    const argsHash = hashCanonical(request.event.arguments);
    const at = now();
    const begun = await store.begin(key, argsHash, at, lockMs);
    if (begun.claimed) {
      (request.internal as Record<string, unknown>)[KEY] = { key, argsHash };
      return undefined;
    }
    const verdict = judgeRecord(begun.record, argsHash, at);
    switch (verdict.verdict) {
      case 'replay':
        return new IdempotentReplay(verdict.result);
      case 'mismatch':
        throw new IdempotencyMismatchError();
      case 'in-progress':
        throw new IdempotencyInProgressError(verdict.retryAfterMs);
      case 'run':
        // The record vanished between the put and the read (released by a failing attempt): retry once.
        if ((await store.begin(key, argsHash, now(), lockMs)).claimed) {
          (request.internal as Record<string, unknown>)[KEY] = { key, argsHash };
          return undefined;
        }
        throw new IdempotencyInProgressError(lockMs);
    }
  };

  const after: MiddlewareObj<ToolInvocation>['after'] = async (request) => {
    const claim = (request.internal as Record<string, unknown>)[KEY] as Claim | undefined;
    if (claim) await store.complete(claim.key, claim.argsHash, request.response, now());
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
