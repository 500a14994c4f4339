import type { Context } from 'aws-lambda';
import type { MiddlewareObj } from '@middy/core';
import { IdempotentReplay } from '../idempotency/index.ts';
import { markAttemptStart, openedBreaker, policyRecordOfAttempt, takeDeferredPuts, requestSlot, namedHooks } from '../plumbing/index.ts';
import type { PolicyRecord } from '../policies/index.ts';
import { CallStatus, statusOfCode, type ErrorCode, failureOf } from '../tool-result/index.ts';
import { buildAuditRecord, type AuditRecord } from './audit-record.ts';
import type { DynamoDbAuditStore } from './dynamodb-audit-store.ts';

/** What the tool's own policy check decided for this attempt, when the deployment has policies. */
const policyOf = (context: object): { policy?: PolicyRecord } => {
  const policy = policyRecordOfAttempt<PolicyRecord>(context);
  return policy ? { policy } : {};
};

/** When the attempt started, and whether its one record has been written. */
const startedSlot = requestSlot<number>('audit.startedAt');
const writtenSlot = requestSlot<true>('audit.written');

/**
 * What the `auditTrail` middleware records each attempt with: the store, the tool's declaration,
 * the clock.
 */
export interface AuditTrailOptions {
  /** What the middleware uses of the store (a fake in its unit tests). */
  readonly store: Pick<DynamoDbAuditStore, 'put'>;
  readonly tool: string;
  /** The version of the tool's declaration in force, named in every record. */
  readonly declaration?: string;
  /** @default Date.now */
  readonly now?: () => number;
  /** Told about every record (the pipeline logs it, already redacted). */
  readonly onRecord?: (record: AuditRecord) => void;
  /** Told when a record of a failed attempt could not be written (its error is kept). */
  readonly onStoreError?: (error: unknown, record: AuditRecord) => void;
}

/**
 * Writes exactly one audit record per attempt: in `after` for results (fresh or replayed), in
 * `onError` for every refusal and failure. Must sit outside every guard so that it sees them all.
 * Puts an inner layer deferred to it (the result stored for replay) go in the same request as the
 * record; if one of them fails, the attempt fails with its error, the record (executed: the handler
 * did run) being written.
 *
 * @example
 * middy(handler).use(auditTrail({ store: new DynamoDbAuditStore({ client, tableName: 'Audit' }), tool: 'lookup_order' }));
 */
export const auditTrail = (options: AuditTrailOptions): MiddlewareObj<unknown, unknown, Error, Context> => {
  const { store, tool, declaration, now = Date.now, onRecord = () => {}, onStoreError = () => {} } = options;

  type Request = Parameters<NonNullable<MiddlewareObj<unknown, unknown, Error, Context>['after']>>[0];
  const recordOf = ({ event, context, internal }: Request, outcome: { status: CallStatus; code?: ErrorCode; result: unknown }) => {
    const e = (event ?? {}) as Record<string, unknown>;
    const caller = (e.caller ?? {}) as Record<string, unknown>;
    return buildAuditRecord({
      runId: e.runId,
      callId: e.callId,
      attemptId: context.awsRequestId || 'unknown',
      tool,
      userId: caller.userId,
      startedAt: startedSlot.get({ internal }) ?? now(),
      endedAt: now(),
      arguments: e.arguments,
      approvalId: e.approvalId,
      breakerOpened: openedBreaker(context),
      untrusted: e.untrusted,
      ...(declaration === undefined ? {} : { declaration }),
      ...policyOf(context),
      ...outcome,
    });
  };

  return namedHooks('auditTrail', {
    before: (request) => {
      const startedAt = now();
      startedSlot.set(request, startedAt);
      // The attempt's start names its record; a later attempt that records this one (crashed) uses it too.
      markAttemptStart(request.context, startedAt);
    },
    after: async (request) => {
      const replay = request.response instanceof IdempotentReplay;
      const record = recordOf(request, {
        status: replay ? CallStatus.REPLAYED : CallStatus.EXECUTED,
        result: replay ? (request.response as IdempotentReplay).result : request.response,
      });
      writtenSlot.set(request, true);
      onRecord(record);
      // AuditWriteError: the model is told to retry, and the retry is replayed and recorded.
      await store.put(record, takeDeferredPuts(request.context));
    },
    onError: async (request) => {
      if (writtenSlot.get(request)) return;
      writtenSlot.set(request, true);
      const failure = failureOf(request.error);
      const record = recordOf(request, {
        status: statusOfCode[failure.code],
        code: failure.code,
        result: { ok: false, error: failure },
      });
      onRecord(record);
      try {
        // Whatever an inner layer left to be written goes with the record (nothing else writes it).
        await store.put(record, takeDeferredPuts(request.context));
      } catch (error) {
        onStoreError(error, record);
      }
    },
  });
};
