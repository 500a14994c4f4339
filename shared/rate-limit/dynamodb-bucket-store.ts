import type { StoreAccess } from '../tables/index.ts';
import { UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { conditionalWrite, writeIfStill } from '../aws/index.ts';
import { GUARD_PARTITION_KEY, GUARD_TTL_ATTRIBUTE } from '../guard-table/index.ts';
import { judgeBucket, type BucketPlan, type WriteShape } from './token-bucket.ts';

/** A token bucket's item as the guard table keeps it (DynamoDB attributes). */
export type BucketItem = Readonly<Record<string, AttributeValue>>;

/** A bucket's answer to a take: admitted or not, when to retry, and the bucket as it now is. */
export type TakeResult =
  | { readonly admitted: true; readonly item: BucketItem; readonly roundTrips: number }
  | { readonly admitted: false; readonly retryAfterMs: number; readonly item: BucketItem | undefined; readonly roundTrips: number };

/**
 * Where `DynamoDbBucketStore` keeps token buckets: the client, the guard table, and the clock.
 */
export interface DynamoDbBucketStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default Date.now */
  readonly now?: () => number;
}

// A shape flips only when time passes or another caller wins a race, so three tries always
// settle; the fourth is a bound, after which the call is refused (failing closed, never open).
const MAX_ATTEMPTS = 4;

const readTat = (item: BucketItem | undefined): number | undefined => (item?.tat?.N === undefined ? undefined : Number(item.tat.N));

/**
 * Token buckets on DynamoDB conditional writes: one `UpdateItem` per call on the happy path and
 * no read; a failed condition returns the current item (`ReturnValuesOnConditionCheckFailure`),
 * which decides the next try. Concurrency-safe by construction: every admission is a conditional
 * write, so C tokens admit at most C calls however many arrive at once.
 *
 * @example
 * const buckets = new DynamoDbBucketStore({ client, tableName: 'GuardState' });
 */
export class DynamoDbBucketStore {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    take: { actions: ['UpdateItem'] },
    refund: { actions: ['UpdateItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => number;
  // Last `tat` seen per key in this container: a hint for which write shape to try first.
  readonly #hints = new Map<string, number>();

  constructor(options: DynamoDbBucketStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now ?? Date.now;
  }

  /** Takes a token. `wholeItem` returns every attribute of the item (the breaker lives on the tool's). */
  async take(key: string, plan: BucketPlan, wholeItem = false): Promise<TakeResult> {
    const now = this.#now();
    let verdict = judgeBucket(this.#hints.get(key), now, plan);
    let item: BucketItem | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (!verdict.admit) return { admitted: false, retryAfterMs: verdict.retryAfterMs, item, roundTrips: attempt - 1 };
      const written = await this.#write(key, verdict.shape, now, plan, wholeItem);
      if (written.ok) {
        this.#remember(key, readTat(written.item));
        return { admitted: true, item: written.item, roundTrips: attempt };
      }
      item = written.item;
      const tat = readTat(item);
      this.#remember(key, tat);
      verdict = judgeBucket(tat, now, plan);
      if (attempt === MAX_ATTEMPTS) break;
    }
    return { admitted: false, retryAfterMs: plan.intervalMs, item, roundTrips: MAX_ATTEMPTS };
  }

  /** Gives a token back (the call was refused by a later guard before it ran). */
  async refund(key: string, plan: BucketPlan): Promise<void> {
    await writeIfStill('Rate-limit state could not be updated.', () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { [GUARD_PARTITION_KEY]: { S: key } },
          UpdateExpression: 'SET tat = tat - :t',
          ConditionExpression: 'attribute_exists(tat)',
          ExpressionAttributeValues: { ':t': { N: String(plan.intervalMs) } },
        }),
      ),
    );
    this.#hints.delete(key);
  }

  #remember(key: string, tat: number | undefined): void {
    if (tat === undefined) this.#hints.delete(key);
    else this.#hints.set(key, tat);
    // Keep the hint map bounded in long-lived containers; a missing hint only costs a try.
    if (this.#hints.size > 10_000) this.#hints.clear();
  }

  async #write(
    key: string,
    shape: WriteShape,
    now: number,
    plan: BucketPlan,
    wholeItem: boolean,
  ): Promise<{ ok: true; item: BucketItem } | { ok: false; shape: WriteShape; item: BucketItem | undefined }> {
    const fresh = shape === 'fresh';
    // An idle bucket is a full bucket, so items may expire once `tat` is in the past.
    const expiresAt = Math.ceil((now + plan.toleranceMs + plan.intervalMs) / 1000) + 60;
    const written = await conditionalWrite('Rate-limit state could not be read or written, so the call was refused.', () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { [GUARD_PARTITION_KEY]: { S: key } },
          UpdateExpression: fresh ? 'SET tat = :next, #ttl = :ttl' : 'SET tat = tat + :t, #ttl = :ttl',
          ConditionExpression: fresh ? 'attribute_not_exists(tat) OR tat <= :now' : 'tat > :now AND tat <= :limit',
          ExpressionAttributeNames: { '#ttl': GUARD_TTL_ATTRIBUTE },
          ExpressionAttributeValues: fresh
            ? { ':next': { N: String(now + plan.intervalMs) }, ':now': { N: String(now) }, ':ttl': { N: String(expiresAt) } }
            : {
                ':t': { N: String(plan.intervalMs) },
                ':now': { N: String(now) },
                ':limit': { N: String(now + plan.toleranceMs) },
                ':ttl': { N: String(expiresAt) },
              },
          ReturnValues: wholeItem ? 'ALL_NEW' : 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return written.written ? { ok: true, item: written.output.Attributes ?? {} } : { ok: false, shape, item: written.item };
  }
}
