import { hashCanonical } from '../canonical-json/index.ts';
import { attemptOf, deferPut, type Attempt, requestSlot, namedHooks } from '../plumbing/index.ts';
import { admitAlone, type AdmissionStep, type GuardMiddleware, type GuardRequest } from '../plumbing/middleware.ts';
import type { ToolInvocation } from '../tool/index.ts';
import type { DynamoDbIdempotencyStore } from './dynamodb-idempotency-store.ts';
import { IdempotencyInProgressError, IdempotencyKeyMissingError, IdempotencyMismatchError } from './errors.ts';
import { idempotencyKey, IdempotentReplay, judgeRecord } from './idempotency-record.ts';

/** The claim an attempt holds on its (run, call) while it runs. */
export interface Claim {
  readonly key: string;
  readonly argsHash: string;
  readonly attempt: Attempt;
}

/** The claim this attempt holds, from its decision until its result is stored or the claim released. */
const claimSlot = requestSlot<Claim | undefined>('idempotency.claim');

/** What the claim found: held by this attempt, or the record of whoever holds the key. */
export type Begun = Claim & { readonly at: number; readonly begun: Awaited<ReturnType<DynamoDbIdempotencyStore['begin']>> };

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

/**
 * How the `idempotency` middleware claims each (run, call): the store, the tool's timeout, and a
 * hook told of earlier attempts.
 */
export interface IdempotencyOptions {
  /** What the middleware uses of the store (a fake in its unit tests). */
  readonly store: Pick<DynamoDbIdempotencyStore, 'begin' | 'complete' | 'completion' | 'release'>;
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
  /**
   * Leave the result's put to be written with the attempt's audit record (`deferPut`): one request
   * for both. For the pipeline, whose audit layer writes it. Alone, the result is stored in `after`.
   * @default false
   */
  readonly deferCompletion?: boolean;
}

/**
 * Makes a tool call idempotent on (run id, call id): the first attempt runs, a retry with the same
 * arguments gets the stored result (an `IdempotentReplay`), a retry with other arguments is refused,
 * and an attempt that fails releases the key so the call can be retried. Its claim goes out with
 * the other guards' writes (see AdmissionStep) and is released if another guard refuses the call.
 *
 * @example
 * middy(handler).use(idempotency({ store: new DynamoDbIdempotencyStore({ client, tableName: 'Idempotency' }), tool: 'create_ticket', lockMs: 15_000 }));
 */
export const idempotency = (options: IdempotencyOptions): GuardMiddleware<Begun> => {
  const { store, tool, lockMs, now = Date.now, onStoreError = () => {}, onPreviousAttempt } = options;
  if (!(lockMs > 0)) throw new TypeError('idempotency: lockMs must be positive');

  const release = async (request: GuardRequest, key: string) => {
    claimSlot.set(request, undefined);
    await store.release(key);
  };

  const step: AdmissionStep<Begun> = {
    name: 'idempotency',
    start: async (request) => {
      const { runId, callId } = request.event;
      if (!runId || !callId) throw new IdempotencyKeyMissingError();
      const key = idempotencyKey(tool, runId, callId);
      const argsHash = hashCanonical(request.event.arguments);
      const at = now();
      const attempt = attemptOf(request.context, at);
      return { key, argsHash, attempt, at, begun: await store.begin(key, argsHash, lockMs, attempt) };
    },
    decide: async (request, { begun, at, ...claim }) => {
      if (begun.claimed) {
        claimSlot.set(request, claim);
        const abandoned = begun.tookOver?.attempt;
        if (abandoned && onPreviousAttempt) await onPreviousAttempt({ ...abandoned, outcome: 'interrupted' }, request.event);
        return undefined;
      }
      const verdict = judgeRecord(begun.record, claim.argsHash, at);
      switch (verdict.verdict) {
        case 'replay': {
          const ran = begun.record?.attempt;
          if (ran && ran.attemptId !== claim.attempt.attemptId && onPreviousAttempt) {
            await onPreviousAttempt(
              {
                ...ran,
                outcome: 'executed',
                result: verdict.result,
                ...(begun.record?.completedAt === undefined ? {} : { endedAt: begun.record.completedAt }),
              },
              request.event,
            );
          }
          return new IdempotentReplay(verdict.result);
        }
        case 'mismatch':
          throw new IdempotencyMismatchError();
        case 'in-progress':
          throw new IdempotencyInProgressError(verdict.retryAfterMs);
        case 'run':
          // The record vanished between the put and the read (released by a failing attempt): retry once.
          if ((await store.begin(claim.key, claim.argsHash, lockMs, claim.attempt)).claimed) return void claimSlot.set(request, claim);
          throw new IdempotencyInProgressError(lockMs);
      }
    },
    // Another guard refused (or this claim was never decided on): the call may be retried at once.
    undo: async (request, { begun, key }) => {
      if (begun.claimed || claimSlot.get(request)) await release(request, key);
    },
  };

  return namedHooks('idempotency', {
    step,
    before: admitAlone(step),
    after: async (request) => {
      const claim = claimSlot.get(request);
      if (!claim) return;
      if (options.deferCompletion) deferPut(request.context, store.completion(claim.key, claim.argsHash, request.response, claim.attempt));
      else await store.complete(claim.key, claim.argsHash, request.response, claim.attempt);
    },
    onError: async (request) => {
      const claim = claimSlot.get(request);
      if (!claim) return;
      try {
        await release(request, claim.key);
      } catch (error) {
        onStoreError(error);
      }
    },
  });
};
