import {
  BatchWriteItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';

/** One unconditional put, and the error to fail with if it cannot be written. */
export interface PendingPut {
  readonly tableName: string;
  readonly item: Record<string, AttributeValue>;
  /** The error a failed put is reported as. */
  readonly failure: (cause?: unknown) => Error;
}

// DynamoDB may leave some items of a batch unprocessed (throttling): they are sent again, a bounded
// number of times, then the put fails closed with its own error.
const RETRY_DELAYS_MS = [10, 40, 160];

const sameItem = (a: Record<string, AttributeValue>, b: Record<string, AttributeValue> | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes unconditional puts to any tables in one `BatchWriteItem` (one request, one round trip,
 * at most 25 puts). Each put either lands or fails with its own error: when several fail, the
 * first given wins, so put first the one whose failure matters most. If the batch is refused as a
 * whole, the puts are sent one by one (on that path only), so that each lands if it can.
 *
 * @example
 * await batchPut(client, [{ tableName: 'Audit', item, failure: (cause) => new AuditWriteError({ cause }) }, idempotencyStore.completion(key, argsHash, result)]);
 */
export const batchPut = async (client: DynamoDBClient, puts: readonly PendingPut[]): Promise<void> => {
  if (puts.length > 25) throw new RangeError('batchPut: at most 25 puts in one batch');
  let pending = puts;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const requestItems: Record<string, WriteRequest[]> = {};
    for (const put of pending) (requestItems[put.tableName] ??= []).push({ PutRequest: { Item: put.item } });
    let unprocessed: Record<string, WriteRequest[]>;
    try {
      unprocessed = (await client.send(new BatchWriteItemCommand({ RequestItems: requestItems }))).UnprocessedItems ?? {};
    } catch {
      // The whole request failed (a table missing, the service unreachable): each put on its own,
      // so that one table's trouble does not lose the other's write (a result stored for replay
      // keeps a retry from running the call again when only the audit record failed).
      const outcomes = await Promise.allSettled(
        pending.map((put) => client.send(new PutItemCommand({ TableName: put.tableName, Item: put.item }))),
      );
      const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
      if (failed >= 0) throw (pending[failed] as PendingPut).failure((outcomes[failed] as PromiseRejectedResult).reason);
      return;
    }
    pending = pending.filter((put) => (unprocessed[put.tableName] ?? []).some((request) => sameItem(put.item, request.PutRequest?.Item)));
    const delay = RETRY_DELAYS_MS[attempt];
    if (pending.length === 0) return;
    if (delay === undefined) throw (pending[0] as PendingPut).failure(new Error('DynamoDB left the put unprocessed'));
    await sleep(delay);
  }
};
