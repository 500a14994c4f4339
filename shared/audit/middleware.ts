import type { Context } from 'aws-lambda';
import type { MiddlewareObj } from '@middy/core';
import { IdempotentReplay } from '../idempotency/idempotency-record.ts';
import { markAttemptStart } from '../tool/attempt.ts';
import { CallStatus, statusOfCode, type ErrorCode } from '../tool-result/codes.ts';
import { failureOf } from '../tool-result/result.ts';
import { buildAuditRecord, type AuditRecord } from './audit-record.ts';
import type { DynamoDbAuditStore } from './dynamodb-audit-store.ts';

const STARTED = 'audit.startedAt';
const WRITTEN = 'audit.written';

export interface AuditTrailOptions {
  readonly store: DynamoDbAuditStore;
  readonly tool: string;
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
 */
export const auditTrail = (options: AuditTrailOptions): MiddlewareObj<unknown, unknown, Error, Context> => {
  const { store, tool, now = Date.now, onRecord = () => {}, onStoreError = () => {} } = options;

  const recordOf = (event: unknown, context: Context, internal: Record<string, unknown>, outcome: { status: CallStatus; code?: ErrorCode; result: unknown }) => {
    const e = (event ?? {}) as Record<string, unknown>;
    const caller = (e.caller ?? {}) as Record<string, unknown>;
    return buildAuditRecord({
      runId: e.runId,
      callId: e.callId,
      attemptId: context.awsRequestId || 'unknown',
      tool,
      userId: caller.userId,
      startedAt: (internal[STARTED] as number | undefined) ?? now(),
      endedAt: now(),
      arguments: e.arguments,
      approvalId: e.approvalId,
      ...outcome,
    });
  };

  return {
    before: (request) => {
      const startedAt = now();
      (request.internal as Record<string, unknown>)[STARTED] = startedAt;
      // The attempt's start names its record; a later attempt that records this one (crashed) uses it too.
      markAttemptStart(request.context, startedAt);
    },
    after: async (request) => {
      const internal = request.internal as Record<string, unknown>;
      const replay = request.response instanceof IdempotentReplay;
      const record = recordOf(request.event, request.context, internal, {
        status: replay ? CallStatus.REPLAYED : CallStatus.EXECUTED,
        result: replay ? (request.response as IdempotentReplay).result : request.response,
      });
      internal[WRITTEN] = true;
      onRecord(record);
      // Throws AuditWriteError: the model is told to retry, and the retry is replayed and recorded.
      await store.put(record);
    },
    onError: async (request) => {
      const internal = request.internal as Record<string, unknown>;
      if (internal[WRITTEN]) return;
      internal[WRITTEN] = true;
      const failure = failureOf(request.error);
      const record = recordOf(request.event, request.context, internal, {
        status: statusOfCode[failure.code],
        code: failure.code,
        result: { ok: false, error: failure },
      });
      onRecord(record);
      try {
        await store.put(record);
      } catch (error) {
        onStoreError(error, record);
      }
    },
  };
};
