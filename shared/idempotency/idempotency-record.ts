import type { Attempt } from '../plumbing/index.ts';

/** INPROGRESS while the handler runs; COMPLETED holds the result to replay. Errors delete the record, so a failed call can be retried. */
export const RecordStatus = {
  IN_PROGRESS: 'INPROGRESS',
  COMPLETED: 'COMPLETED',
} as const;
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus];

/**
 * A call's idempotency record: in progress (whose claim, until when) or completed (its result),
 * with the hash of its arguments.
 */
export interface IdempotencyRecord {
  readonly status: RecordStatus;
  readonly argsHash: string;
  /** Epoch ms after which an INPROGRESS record is abandoned (its Lambda died). */
  readonly inProgressUntil: number;
  readonly result?: unknown;
  /** The attempt that claimed the key (INPROGRESS) or ran the call (COMPLETED). Absent on records older than it. */
  readonly attempt?: Attempt;
  /** COMPLETED: when the result was stored (epoch ms). */
  readonly completedAt?: number;
}

/** A call is identified by the tool, the run and the call id the model's turn gave it. */
export const idempotencyKey = (tool: string, runId: string, callId: string): string => `${tool}#${runId}#${callId}`;

export type RecordVerdict =
  | { readonly verdict: 'run' }
  | { readonly verdict: 'replay'; readonly result: unknown }
  | { readonly verdict: 'mismatch' }
  | { readonly verdict: 'in-progress'; readonly retryAfterMs: number };

/** What to do with a call given the record already stored under its key (undefined: none). Pure. */
export const judgeRecord = (record: IdempotencyRecord | undefined, argsHash: string, now: number): RecordVerdict => {
  if (record === undefined) return { verdict: 'run' };
  if (record.argsHash !== argsHash) return { verdict: 'mismatch' };
  if (record.status === RecordStatus.COMPLETED) return { verdict: 'replay', result: record.result };
  if (record.inProgressUntil <= now) return { verdict: 'run' };
  return { verdict: 'in-progress', retryAfterMs: record.inProgressUntil - now };
};

/** What an idempotent replay returns through the guard layer, so the attempt layer can tell it from a fresh run. */
export class IdempotentReplay {
  readonly result: unknown;
  constructor(result: unknown) {
    this.result = result;
  }
}
