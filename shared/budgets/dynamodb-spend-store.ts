import type { StoreAccess } from '../tables/index.ts';
import { GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { failClosed, writeIfStill } from '../aws/index.ts';
import { GUARD_PARTITION_KEY, GUARD_TTL_ATTRIBUTE } from '../guard-table/index.ts';
import { capsOf, SPEND_DIMENSIONS, type SpendAmount, type SpendCounter, type SpendDimension } from './spend-limits.ts';

export interface DynamoDbSpendStoreOptions {
  readonly client: DynamoDBClient;
  /** The guard table: counters live beside the rate-limit buckets, and expire with their window. */
  readonly tableName: string;
}

/** A counter that crossed its limit's `alarmAt` share of a cap with this write. */
export interface SpendCrossing {
  readonly counter: SpendCounter;
  readonly dimension: SpendDimension;
  readonly spent: number;
  readonly cap: number;
}

export type ReserveResult =
  | { readonly reserved: true; readonly crossings: readonly SpendCrossing[] }
  | { readonly reserved: false; readonly refusedBy: SpendCounter };

const numberOf = (item: Record<string, AttributeValue> | undefined, dimension: SpendDimension) =>
  item?.[dimension]?.N === undefined ? 0 : Number(item[dimension].N);

const partsOf = (amount: SpendAmount) =>
  SPEND_DIMENSIONS.filter((d) => amount[d] !== undefined).map((d) => [d, amount[d] as number] as const);

/** The part of an amount a counter's limit caps: a counter keeps only what it is held to. */
const cappedPart = (counter: SpendCounter, amount: SpendAmount): SpendAmount => {
  const caps = capsOf(counter.limit);
  return Object.fromEntries(partsOf(amount).filter(([d]) => caps[d] !== undefined)) as SpendAmount;
};

/** The crossings of `alarmAt` between what a counter held before a write and after it. */
const crossingsOf = (counter: SpendCounter, amount: SpendAmount, after: Record<string, AttributeValue> | undefined): SpendCrossing[] => {
  const share = counter.limit.alarmAt;
  if (share === undefined) return [];
  const caps = capsOf(counter.limit);
  return partsOf(amount).flatMap(([dimension, added]) => {
    const capValue = caps[dimension];
    if (capValue === undefined || after?.[dimension] === undefined) return [];
    const spent = numberOf(after, dimension);
    const line = share * capValue;
    return spent - added < line && spent >= line ? [{ counter, dimension, spent, cap: capValue }] : [];
  });
};

/**
 * Spending counters on DynamoDB: one conditional `ADD` per counter, so a budget of N units admits
 * at most N however many runs reserve at once (the same argument as the token buckets'). A step
 * that spends reserves on every counter it is held to at once; when one refuses, the others are
 * given back (a concurrent reservation may meanwhile have been refused: it fails closed, never open).
 */
export class DynamoDbSpendStore {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    reserve: { actions: ['UpdateItem'] },
    settle: { actions: ['UpdateItem'] },
    read: { actions: ['GetItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: DynamoDbSpendStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  /**
   * Reserves `amount` on every counter, or on none. Each capped dimension the amount touches must
   * have room for it and, for an amount of 0 (a first model call, with no estimate yet), room for one
   * unit: a spent budget admits nothing.
   */
  async reserve(counters: readonly SpendCounter[], amount: SpendAmount): Promise<ReserveResult> {
    const held = counters.map((counter) => ({ counter, part: cappedPart(counter, amount) })).filter((h) => partsOf(h.part).length > 0);
    const results = await Promise.all(held.map(async (h) => ({ ...h, written: await this.#reserveOne(h.counter, h.part) })));
    const refused = results.find((r) => r.written === false);
    if (!refused)
      return { reserved: true, crossings: results.flatMap((r) => (r.written ? crossingsOf(r.counter, r.part, r.written) : [])) };
    // Giving back is best effort: a counter left holding the reservation over-counts, which refuses sooner, never later.
    await Promise.allSettled(
      results
        .filter((r) => r.written !== false)
        .map((r) => this.#add(r.counter, Object.fromEntries(partsOf(r.part).map(([d, n]) => [d, -n])) as SpendAmount)),
    );
    return { reserved: false, refusedBy: refused.counter };
  }

  /** Adds what was spent beyond the reservation (or gives back what was not): unconditional, the spending happened. */
  async settle(counters: readonly SpendCounter[], delta: SpendAmount): Promise<readonly SpendCrossing[]> {
    const held = counters
      .map((counter) => ({ counter, part: cappedPart(counter, delta) }))
      .filter((h) => partsOf(h.part).some(([, n]) => n !== 0));
    const after = await Promise.all(held.map(async (h) => ({ ...h, item: await this.#add(h.counter, h.part) })));
    return after.flatMap(({ counter, part, item }) => crossingsOf(counter, part, item));
  }

  /** What each counter holds now (0 for a window nothing was spent in). */
  async read(counters: readonly SpendCounter[]): Promise<Array<{ readonly counter: SpendCounter; readonly spent: Required<SpendAmount> }>> {
    return Promise.all(
      counters.map(async (counter) => {
        const out = await failClosed('Spending could not be read.', () =>
          this.#client.send(
            new GetItemCommand({ TableName: this.#tableName, Key: { [GUARD_PARTITION_KEY]: { S: counter.key } }, ConsistentRead: true }),
          ),
        );
        const spent = Object.fromEntries(SPEND_DIMENSIONS.map((d) => [d, numberOf(out.Item, d)])) as Required<SpendAmount>;
        return { counter, spent };
      }),
    );
  }

  /** The write's new values, or false when a cap had no room. */
  async #reserveOne(counter: SpendCounter, amount: SpendAmount): Promise<Record<string, AttributeValue> | false> {
    const caps = capsOf(counter.limit);
    const rooms = partsOf(amount).map(([d, n]) => [d, (caps[d] as number) - Math.max(n, 1)] as const);
    if (rooms.some(([, room]) => room < 0)) return false;
    const update = this.#update(counter, amount);
    let attributes: Record<string, AttributeValue> | undefined;
    const written = await writeIfStill('Spending could not be reserved, so nothing was spent.', async () => {
      const out = await this.#client.send(
        new UpdateItemCommand({
          ...update,
          ConditionExpression: rooms.map(([d]) => `(attribute_not_exists(#${d}) OR #${d} <= :room_${d})`).join(' AND '),
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...Object.fromEntries(rooms.map(([d, room]) => [`:room_${d}`, { N: String(room) }])),
          },
        }),
      );
      attributes = out.Attributes;
    });
    return written ? (attributes ?? {}) : false;
  }

  async #add(counter: SpendCounter, amount: SpendAmount): Promise<Record<string, AttributeValue> | undefined> {
    const out = await failClosed('Spending could not be recorded.', () =>
      this.#client.send(new UpdateItemCommand(this.#update(counter, amount))),
    );
    return out.Attributes;
  }

  /** `ADD` each dimension of the amount, and keep the item a day past its window's end. */
  #update(counter: SpendCounter, amount: SpendAmount) {
    const dims = partsOf(amount);
    return {
      TableName: this.#tableName,
      Key: { [GUARD_PARTITION_KEY]: { S: counter.key } },
      UpdateExpression: `ADD ${dims.map(([d]) => `#${d} :${d}`).join(', ')} SET #ttl = :ttl`,
      ExpressionAttributeNames: { '#ttl': GUARD_TTL_ATTRIBUTE, ...Object.fromEntries(dims.map(([d]) => [`#${d}`, d])) },
      ExpressionAttributeValues: {
        ':ttl': { N: String(Math.ceil(counter.resetsAt / 1000) + 86_400) },
        ...Object.fromEntries(dims.map(([d, n]) => [`:${d}`, { N: String(n) }])),
      } as Record<string, AttributeValue>,
      ReturnValues: 'UPDATED_NEW' as const,
    };
  }
}
