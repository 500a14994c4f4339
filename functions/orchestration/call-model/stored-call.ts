import type { DynamoDbIdempotencyStore } from '../../../shared/idempotency/dynamodb-idempotency-store.ts';
import { idempotencyKey, type IdempotencyRecord } from '../../../shared/idempotency/idempotency-record.ts';

/** Reads what a call left in its idempotency record: its result (a receipt points there), or the claim of the attempt running it. */
export const storedCall =
  (store: DynamoDbIdempotencyStore) =>
  (tool: string, runId: string, callId: string): Promise<IdempotencyRecord | undefined> =>
    store.read(idempotencyKey(tool, runId, callId));
