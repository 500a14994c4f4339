import { type DynamoDbIdempotencyStore, idempotencyKey, type IdempotencyRecord } from '../../../shared/idempotency/index.ts';

/** Reads what a call left in its idempotency record: its result (a receipt points there), or the claim of the attempt running it. */
export const storedCall =
  (store: DynamoDbIdempotencyStore) =>
  (tool: string, runId: string, callId: string): Promise<IdempotencyRecord | undefined> =>
    store.read(idempotencyKey(tool, runId, callId));
