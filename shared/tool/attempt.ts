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

/** Marks when the attempt this Lambda context belongs to started (the audit layer's first step). */
export const markAttemptStart = (context: object, at: number): void => void starts.set(context, at);

/** The attempt a Lambda context belongs to; `now` when nothing marked its start (a guard layer used alone). */
export const attemptOf = (context: { awsRequestId?: string }, now: number): Attempt => ({
  attemptId: context.awsRequestId || 'unknown',
  startedAt: starts.get(context) ?? now,
});
