import type { StoreAccess } from '../tables/index.ts';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { failClosed } from '../aws/index.ts';
import { recordOf, type StoredApproval } from './approval-item.ts';

/** What a destructive tool needs of the approvals: to read one. */
export interface ApprovalReader {
  /** The approval as stored (strongly consistent), or undefined. */
  get(approvalId: string): Promise<StoredApproval | undefined>;
}

/**
 * Read-only access to approvals, for the tool functions: they check an approval, they never
 * create or decide one (and their bundles stay small).
 *
 * @example
 * const approvals = new DynamoDbApprovalReader({ client: createDynamoDbClient(), tableName: requireEnv('APPROVALS_TABLE') });
 */
export class DynamoDbApprovalReader implements ApprovalReader {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    get: { actions: ['GetItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: { readonly client: DynamoDBClient; readonly tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async get(approvalId: string): Promise<StoredApproval | undefined> {
    const out = await failClosed('The approval could not be checked, so the call was refused.', () =>
      this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: { approvalId: { S: approvalId } }, ConsistentRead: true })),
    );
    return recordOf(out.Item);
  }
}
