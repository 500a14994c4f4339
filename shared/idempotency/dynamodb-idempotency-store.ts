import type { StoreAccess } from '../tables/index.ts';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { batchGetConsistent, type PendingPut, conditionalWrite, failClosed, writeIfStill } from '../aws/index.ts';
import { GuardUnavailableError } from '../tool-result/index.ts';
import type { Attempt } from '../plumbing/index.ts';
import { RecordStatus, type IdempotencyRecord } from './idempotency-record.ts';

/**
 * Where `DynamoDbIdempotencyStore` keeps calls' records: the client, the table, how long a record
 * lives, and the clock.
 */
export interface DynamoDbIdempotencyStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** How long a completed result is replayed. @default 24 hours */
  readonly expiresAfterMs?: number;
  /** The clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

const recordOf = (item: Record<string, AttributeValue> | undefined): IdempotencyRecord | undefined => {
  if (!item?.status?.S || !item.argsHash?.S) return undefined;
  return {
    status: item.status.S as RecordStatus,
    argsHash: item.argsHash.S,
    inProgressUntil: Number(item.inProgressUntil?.N ?? '0'),
    ...(item.result?.S === undefined ? {} : { result: JSON.parse(item.result.S) as unknown }),
    ...(item.attemptId?.S === undefined
      ? {}
      : { attempt: { attemptId: item.attemptId.S, startedAt: Number(item.attemptStartedAt?.N ?? '0') } }),
    ...(item.completedAt?.N === undefined ? {} : { completedAt: Number(item.completedAt.N) }),
  };
};

/**
 * Idempotency records in DynamoDB (`id` partition key, `expiresAt` TTL). `begin` is one
 * conditional put that either claims the key or returns what holds it.
 *
 * @example
 * const calls = new DynamoDbIdempotencyStore({ client, tableName: 'Idempotency', expiresAfterMs: 3_600_000 });
 */
export class DynamoDbIdempotencyStore {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    begin: { actions: ['PutItem'] },
    complete: { actions: ['PutItem'] },
    // Written by batchPut, with the puts beside it: one BatchWriteItem, or a PutItem each if that fails.
    completion: { actions: ['BatchWriteItem', 'PutItem'] },
    read: { actions: ['GetItem'] },
    readMany: { actions: ['BatchGetItem'] },
    abandon: { actions: ['UpdateItem'] },
    release: { actions: ['DeleteItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #expiresAfterMs: number;
  readonly #now: () => number;

  constructor(options: DynamoDbIdempotencyStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#expiresAfterMs = options.expiresAfterMs ?? 24 * 3600 * 1000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Claims the key for a new run of the call, or returns the record that holds it. The happy path
   * is one put conditioned on the key being free; taking over an abandoned claim is a second,
   * rarer put conditioned on the exact claim it replaces. The claim names the attempt; a takeover
   * returns the abandoned claim (`tookOver`: its attempt died before recording an outcome).
   */
  async begin(
    key: string,
    argsHash: string,
    lockMs: number,
    attempt?: Attempt,
  ): Promise<{ claimed: true; tookOver?: IdempotencyRecord } | { claimed: false; record: IdempotencyRecord | undefined }> {
    const now = this.#now();
    const held = await this.#claim(key, argsHash, now, lockMs, undefined, attempt);
    if (held === undefined) return { claimed: true };
    const record = recordOf(held);
    const abandoned = record?.status === RecordStatus.IN_PROGRESS && record.argsHash === argsHash && record.inProgressUntil <= now;
    if (!abandoned) return { claimed: false, record };
    const retaken = await this.#claim(key, argsHash, now, lockMs, record.inProgressUntil, attempt);
    return retaken === undefined ? { claimed: true, tookOver: record } : { claimed: false, record: recordOf(retaken) };
  }

  /** Puts an in-progress claim; returns undefined when claimed, else the item that holds the key. */
  async #claim(
    key: string,
    argsHash: string,
    now: number,
    lockMs: number,
    replacingUntil: number | undefined,
    attempt: Attempt | undefined,
  ): Promise<Record<string, AttributeValue> | undefined> {
    const claim = await conditionalWrite('Idempotency state could not be written or read, so the call was refused.', () =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: this.#item(key, RecordStatus.IN_PROGRESS, argsHash, now, now + lockMs, undefined, attempt),
          ...(replacingUntil === undefined
            ? { ConditionExpression: 'attribute_not_exists(id)' }
            : {
                ConditionExpression: 'inProgressUntil = :until',
                ExpressionAttributeValues: { ':until': { N: String(replacingUntil) } },
              }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return claim.written ? undefined : (claim.item ?? {});
  }

  /**
   * Stores the result to replay: one unconditional put of the whole record. The claim was the
   * conditional step; a put here cannot let a second run in, and is lighter than a conditional update.
   */
  async complete(key: string, argsHash: string, result: unknown, attempt?: Attempt): Promise<void> {
    const put = this.completion(key, argsHash, result, attempt);
    try {
      await this.#client.send(new PutItemCommand({ TableName: put.tableName, Item: put.item }));
    } catch (error) {
      throw put.failure(error);
    }
  }

  /** `complete`'s put, to be written with other puts in one request (see batchPut). */
  completion(key: string, argsHash: string, result: unknown, attempt?: Attempt): PendingPut {
    const now = this.#now();
    return {
      tableName: this.#tableName,
      item: {
        ...this.#item(key, RecordStatus.COMPLETED, argsHash, now, 0, JSON.stringify(result ?? null), attempt),
        completedAt: { N: String(now) },
      },
      failure: (cause) => new GuardUnavailableError('The result could not be recorded for replay.', { cause }),
    };
  }

  #item(
    key: string,
    status: RecordStatus,
    argsHash: string,
    now: number,
    inProgressUntil: number,
    result?: string,
    attempt?: Attempt,
  ): Record<string, AttributeValue> {
    return {
      ...(attempt ? { attemptId: { S: attempt.attemptId }, attemptStartedAt: { N: String(attempt.startedAt) } } : {}),
      id: { S: key },
      status: { S: status },
      argsHash: { S: argsHash },
      inProgressUntil: { N: String(inProgressUntil) },
      expiresAt: { N: String(Math.ceil((now + this.#expiresAfterMs) / 1000)) },
      ...(result === undefined ? {} : { result: { S: result } }),
    };
  }

  /** The stored record of a key (strongly consistent), e.g. to read a completed call's result. */
  async read(key: string): Promise<IdempotencyRecord | undefined> {
    return recordOf(
      (
        await failClosed('Idempotency state could not be read.', () =>
          this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: { id: { S: key } }, ConsistentRead: true })),
        )
      ).Item,
    );
  }

  /**
   * The stored records of many keys at once (strongly consistent; one request per 100 keys), by
   * key: a key with no record is absent from the map. The loop reads a turn's calls so.
   */
  async readMany(keys: readonly string[]): Promise<Map<string, IdempotencyRecord>> {
    const items = await batchGetConsistent(
      this.#client,
      this.#tableName,
      [...new Set(keys)].map((key) => ({ id: { S: key } })),
      'Idempotency state could not be read.',
    );
    const records = new Map<string, IdempotencyRecord>();
    for (const item of items) {
      const record = recordOf(item);
      // Stryker disable next-line OptionalChaining: every item BatchGetItem returns has its key
      if (record) records.set(String(item.id?.S), record);
    }
    return records;
  }

  /**
   * Marks an in-progress claim as abandoned, for whoever knows its holder is dead (the local system
   * after a crash: every attempt of the process died with it). The next attempt then takes the call
   * over at once, and records the dead one, instead of waiting out its lock. A completed record is
   * left alone.
   */
  async abandon(key: string): Promise<void> {
    await this.#whileInProgress(
      new UpdateItemCommand({ ...this.#inProgressOnly(key, { ':zero': { N: '0' } }), UpdateExpression: 'SET inProgressUntil = :zero' }),
      'Idempotency state could not be written.',
    );
  }

  /** Lets a failed call be retried: deletes the in-progress record. */
  async release(key: string): Promise<void> {
    await this.#whileInProgress(new DeleteItemCommand(this.#inProgressOnly(key)), 'Idempotency state could not be released.');
  }

  /** A write to one key, conditioned on its record being in progress. */
  #inProgressOnly(key: string, values: Record<string, AttributeValue> = {}) {
    return {
      TableName: this.#tableName,
      Key: { id: { S: key } },
      ConditionExpression: '#status = :inProgress',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':inProgress': { S: RecordStatus.IN_PROGRESS }, ...values },
    };
  }

  /** Sends a write conditioned by #inProgressOnly: a record no longer in progress (completed, gone) is left as it is. */
  async #whileInProgress(command: UpdateItemCommand | DeleteItemCommand, unavailable: string): Promise<void> {
    await writeIfStill(unavailable, () => this.#client.send(command as UpdateItemCommand));
  }
}
