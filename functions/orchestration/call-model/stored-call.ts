import { type DynamoDbIdempotencyStore, idempotencyKey, type IdempotencyRecord } from '../../../shared/idempotency/index.ts';

/** A call of a run, by the tool it asked for. */
export interface CallRef {
  readonly tool: string;
  readonly callId: string;
}

/**
 * Reads what calls left in their idempotency records, in one batch read: each result (a receipt
 * points there), or the claim of the attempt running it. By call id; a call with no record is absent.
 */
export const storedCalls =
  (store: Pick<DynamoDbIdempotencyStore, 'readMany'>) =>
  async (runId: string, calls: readonly CallRef[]): Promise<ReadonlyMap<string, IdempotencyRecord>> => {
    const records = await store.readMany(calls.map((call) => idempotencyKey(call.tool, runId, call.callId)));
    const byCall = new Map<string, IdempotencyRecord>();
    for (const call of calls) {
      const record = records.get(idempotencyKey(call.tool, runId, call.callId));
      if (record) byCall.set(call.callId, record);
    }
    return byCall;
  };
