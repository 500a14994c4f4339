import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AuditRecord } from './audit-record.ts';
import { readAllPages } from '../aws/dynamodb-errors.ts';
import { AuditWriteError } from './errors.ts';

export interface DynamoDbAuditStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** Audit records by run (`runId` partition, `sk` = time#attempt sort key), one put per attempt. */
export class DynamoDbAuditStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: DynamoDbAuditStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async put(record: AuditRecord): Promise<void> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: {
            runId: { S: record.runId },
            sk: { S: `${record.at}#${record.attemptId}` },
            tool: { S: record.tool },
            status: { S: record.status },
            record: { S: JSON.stringify(record) },
          },
          // No condition needed for "exactly one record per attempt": the key holds the attempt id,
          // so a duplicate delivery of the same attempt overwrites its own record, never adds one.
        }),
      );
    } catch (error) {
      throw new AuditWriteError({ cause: error });
    }
  }

  /** Every record of a run, oldest first. */
  async listByRun(runId: string): Promise<AuditRecord[]> {
    // Fails closed like every store: an unreachable trail is "unavailable" (503), never a 500.
    const items = await readAllPages(this.#client, 'The audit trail could not be read.', { query: {
      TableName: this.#tableName,
      KeyConditionExpression: 'runId = :run',
      ExpressionAttributeValues: { ':run': { S: runId } },
      ConsistentRead: true,
    } });
    return items.flatMap((item) => (item.record?.S ? [JSON.parse(item.record.S) as AuditRecord] : []));
  }

}
