import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isConditionalCheckFailed, readItemAfterConditionFailure } from '../aws/dynamodb-errors.ts';
import { GuardUnavailableError } from '../tool-result/errors.ts';
import { RecordStatus, type IdempotencyRecord } from './idempotency-record.ts';

export interface DynamoDbIdempotencyStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** How long a completed result is replayed. @default 24 hours */
  readonly expiresAfterMs?: number;
}

const recordOf = (item: Record<string, AttributeValue> | undefined): IdempotencyRecord | undefined => {
  if (!item?.status?.S || !item.argsHash?.S) return undefined;
  return {
    status: item.status.S as RecordStatus,
    argsHash: item.argsHash.S,
    inProgressUntil: Number(item.inProgressUntil?.N ?? '0'),
    ...(item.result?.S === undefined ? {} : { result: JSON.parse(item.result.S) as unknown }),
  };
};

/**
 * Idempotency records in DynamoDB (`id` partition key, `expiresAt` TTL). `begin` is one
 * conditional put that either claims the key or returns what holds it.
 */
export class DynamoDbIdempotencyStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #expiresAfterMs: number;

  constructor(options: DynamoDbIdempotencyStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#expiresAfterMs = options.expiresAfterMs ?? 24 * 3600 * 1000;
  }

  /** Claims the key for a new run of the call, or returns the record that holds it. */
  async begin(key: string, argsHash: string, now: number, lockMs: number): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord | undefined }> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: {
            id: { S: key },
            status: { S: RecordStatus.IN_PROGRESS },
            argsHash: { S: argsHash },
            inProgressUntil: { N: String(now + lockMs) },
            expiresAt: { N: String(Math.ceil((now + this.#expiresAfterMs) / 1000)) },
          },
          // Free, or held by an attempt that died without finishing and with the same arguments.
          ConditionExpression: 'attribute_not_exists(id) OR (#status = :inProgress AND inProgressUntil <= :now AND argsHash = :hash)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': { S: RecordStatus.IN_PROGRESS }, ':now': { N: String(now) }, ':hash': { S: argsHash } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw new GuardUnavailableError('Idempotency state could not be written, so the call was refused.', { cause: error });
      try {
        return { claimed: false, record: recordOf(await readItemAfterConditionFailure(this.#client, this.#tableName, { id: { S: key } }, error)) };
      } catch (readError) {
        throw new GuardUnavailableError('Idempotency state could not be read, so the call was refused.', { cause: readError });
      }
    }
  }

  /** Stores the result to replay. */
  async complete(key: string, result: unknown): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { id: { S: key } },
          UpdateExpression: 'SET #status = :completed, #result = :result',
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
          ExpressionAttributeValues: {
            ':completed': { S: RecordStatus.COMPLETED },
            ':inProgress': { S: RecordStatus.IN_PROGRESS },
            ':result': { S: JSON.stringify(result ?? null) },
          },
        }),
      );
    } catch (error) {
      throw new GuardUnavailableError('The result could not be recorded for replay.', { cause: error });
    }
  }

  /** Lets a failed call be retried: deletes the in-progress record. */
  async release(key: string): Promise<void> {
    try {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: this.#tableName,
          Key: { id: { S: key } },
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': { S: RecordStatus.IN_PROGRESS } },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw new GuardUnavailableError('Idempotency state could not be released.', { cause: error });
    }
  }
}
