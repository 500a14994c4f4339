import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { GuardUnavailableError } from '../tool-result/index.ts';
import { failClosed } from './dynamodb-errors.ts';

type Item = Record<string, AttributeValue>;

/** DynamoDB takes at most 100 keys in one `BatchGetItem`. */
const KEYS_PER_REQUEST = 100;
// DynamoDB may leave keys unprocessed (throttling, a response past 16 MB): they are asked again, a
// bounded number of times, then the read fails closed: a key never read is never taken as absent.
const RETRY_DELAYS_MS = [10, 40, 160];

/**
 * Strongly consistent reads of many items of one table: one `BatchGetItem` per 100 keys, sent
 * together. Returns the items found, in no particular order (an absent item is simply not there).
 * Unprocessed keys are asked again; keys still unread after the retries fail the whole read with
 * `unavailable` (as a `GuardUnavailableError`), so that a caller deciding on the items (is a breaker
 * open, did a call complete) never decides on a part of them. The keys must be distinct: DynamoDB
 * refuses a batch that names an item twice.
 *
 * @example
 * const items = await batchGetConsistent(client, 'GuardState', [{ pk: { S: 'tool#lookup_order' } }], 'Breaker state could not be read.');
 */
export const batchGetConsistent = async (
  client: DynamoDBClient,
  tableName: string,
  keys: readonly Item[],
  unavailable: string,
): Promise<Item[]> => {
  const chunks: Item[][] = [];
  // Stryker disable next-line EqualityOperator: an empty last chunk would never be sent (tested: no keys, no request)
  for (let i = 0; i < keys.length; i += KEYS_PER_REQUEST) chunks.push(keys.slice(i, i + KEYS_PER_REQUEST));
  const found = await Promise.all(chunks.map((chunk) => readChunk(client, tableName, chunk, unavailable)));
  return found.flat();
};

const readChunk = async (client: DynamoDBClient, tableName: string, keys: Item[], unavailable: string): Promise<Item[]> => {
  const items: Item[] = [];
  let asked = keys;
  for (let retry = 0; ; retry++) {
    const out = await failClosed(unavailable, () =>
      client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: asked, ConsistentRead: true } } })),
    );
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: DynamoDB always answers with Responses for the table it was asked
    items.push(...(out.Responses?.[tableName] ?? []));
    // Stryker disable next-line OptionalChaining: and with UnprocessedKeys, empty when it read every key
    asked = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    if (asked.length === 0) return items;
    const delay = RETRY_DELAYS_MS[retry];
    if (delay === undefined)
      throw new GuardUnavailableError(unavailable, { cause: new Error(`DynamoDB left ${asked.length} keys unprocessed`) });
    await sleep(delay);
  }
};
