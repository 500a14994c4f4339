import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GuardUnavailableError } from '../tool-result/errors.ts';
import type { ApprovalRecord, ApprovalStatus } from './approval-binding.ts';

export interface DynamoDbApprovalStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** Approvals by id. Deciding (conditional PENDING -> decision) belongs to the orchestration; tools only read. */
export class DynamoDbApprovalStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: DynamoDbApprovalStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    let item;
    try {
      item = (await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: { approvalId: { S: approvalId } }, ConsistentRead: true }))).Item;
    } catch (error) {
      throw new GuardUnavailableError('The approval could not be checked, so the call was refused.', { cause: error });
    }
    if (!item) return undefined;
    return {
      approvalId,
      status: (item.status?.S ?? 'PENDING') as ApprovalStatus,
      runId: item.runId?.S ?? '',
      callId: item.callId?.S ?? '',
      tool: item.tool?.S ?? '',
      argsHash: item.argsHash?.S ?? '',
      requestedBy: item.requestedBy?.S ?? '',
      ...(item.decidedBy?.S === undefined ? {} : { decidedBy: item.decidedBy.S }),
      ...(item.deciderGroups?.SS === undefined ? {} : { deciderGroups: item.deciderGroups.SS }),
    };
  }
}
