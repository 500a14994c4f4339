import type { DynamoDbIdempotencyStore } from '#shared/idempotency/dynamodb-idempotency-store.ts';
import { idempotencyKey, RecordStatus } from '#shared/idempotency/idempotency-record.ts';

/** Reads what a call returned from its idempotency record (where a receipt says it is). */
export const storedResult = (store: DynamoDbIdempotencyStore) => async (tool: string, runId: string, callId: string): Promise<unknown> => {
  const record = await store.read(idempotencyKey(tool, runId, callId));
  if (record?.status !== RecordStatus.COMPLETED) throw new Error(`No completed result for ${tool} ${runId} ${callId}`);
  return record.result;
};
