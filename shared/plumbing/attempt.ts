import type { PendingPut } from '../aws/index.ts';

/**
 * One attempt at a tool call is one Lambda invocation: its id is the Lambda request id, and it
 * starts when the outermost layer of the pipeline sees it. The audit trail and the idempotency
 * record both name an attempt by these two, so that a record written for an attempt by a later one
 * (which found it crashed) has the very key the attempt's own record would have had: one record per
 * attempt, whichever writes it.
 */
export interface Attempt {
  readonly attemptId: string;
  /** Epoch ms. */
  readonly startedAt: number;
}

const starts = new WeakMap<object, number>();
const deferred = new WeakMap<object, PendingPut[]>();
const openedBreakers = new WeakSet<object>();
const policyRecords = new WeakMap<object, unknown>();

/** Marks when the attempt this Lambda context belongs to started (the audit layer's first step). */
export const markAttemptStart = (context: object, at: number): void => {
  starts.set(context, at);
  deferred.delete(context);
  openedBreakers.delete(context);
  policyRecords.delete(context);
};

/**
 * What the policies decided for this attempt (the pipeline's own check), for its audit record.
 * Typed by the caller (the plumbing knows nothing of policies).
 */
export const notePolicyRecord = <T>(context: object, record: T): void => void policyRecords.set(context, record);
export const policyRecordOfAttempt = <T>(context: object): T | undefined => policyRecords.get(context) as T | undefined;

/** Notes that this attempt's failure opened its tool's breaker: its audit record says so (the usage report counts openings). */
export const noteBreakerOpened = (context: object): void => void openedBreakers.add(context);
export const openedBreaker = (context: object): boolean => openedBreakers.has(context);

/**
 * Leaves a put of an inner layer of the pipeline (the result stored for replay) to be written with
 * the attempt's audit record: one request for both instead of two round trips.
 */
export const deferPut = (context: object, put: PendingPut): void => void deferred.set(context, [...(deferred.get(context) ?? []), put]);

/** The puts deferred for this attempt so far, handed over once. */
export const takeDeferredPuts = (context: object): PendingPut[] => {
  const puts = deferred.get(context) ?? [];
  deferred.delete(context);
  return puts;
};

/** The attempt a Lambda context belongs to; `now` when nothing marked its start (a guard layer used alone). */
export const attemptOf = (context: { awsRequestId?: string }, now: number): Attempt => ({
  attemptId: context.awsRequestId || 'unknown',
  startedAt: starts.get(context) ?? now,
});
