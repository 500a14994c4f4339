import { GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { failClosed, readAllPages, writeIfStill } from '../aws/index.ts';
import { APPROVALS_UNDELIVERED_INDEX, type StoreAccess } from '../tables/index.ts';
import { ApprovalStatus } from './approval-binding.ts';
import { recordOf, UNDELIVERED, waitingToken, type StoredApproval } from './approval-item.ts';

const UNAVAILABLE = 'Undelivered decisions could not be read or marked.';

/** A decision stored but not known to have reached its execution: what delivering it again takes. */
export interface UndeliveredDecision {
  readonly record: StoredApproval;
  /** The token of the task that waits on it; '' when nobody waits (asked over MCP). Never leaves the server. */
  readonly taskToken: string;
  /** The reason the decider gave, as stored (redacted); '' when none. */
  readonly reason: string;
  /** An edited approval's arguments in full: the call runs with them. */
  readonly arguments?: Readonly<Record<string, unknown>>;
}

/** The edited arguments as the deciding write stored them (an object, or nothing). */
const editedArgumentsOf = (item: Record<string, AttributeValue>): Readonly<Record<string, unknown>> | undefined => {
  if (item.editedArguments?.S === undefined) return undefined;
  const parsed: unknown = JSON.parse(item.editedArguments.S);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
};

/**
 * The decisions whose delivery is not known to have got through, kept on the approvals table itself
 * (an outbox): every deciding write sets the key of a sparse index, and whoever delivers the
 * decision (the API at once, else the sweep) removes it. A decision stored while the API could not
 * write its audit record or answer the task (an outage longer than its retries) is delivered all the
 * same, without its approver having to send it again.
 *
 * @example
 * const outbox = new DynamoDbDecisionOutbox({ client, tableName: 'Approvals' });
 * for (const { record } of await outbox.listUndelivered()) await outbox.markDelivered(record.approvalId);
 */
export class DynamoDbDecisionOutbox {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    listUndelivered: { actions: ['GetItem'], queries: [APPROVALS_UNDELIVERED_INDEX.name] },
    markDelivered: { actions: ['UpdateItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: { readonly client: DynamoDBClient; readonly tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  /**
   * Every decided approval still marked undelivered, each read in full (strongly consistent: the
   * index is not). One whose item is gone or not decided (the index lagging) is left out.
   */
  async listUndelivered(): Promise<UndeliveredDecision[]> {
    const keys = await readAllPages(this.#client, UNAVAILABLE, {
      query: {
        TableName: this.#tableName,
        IndexName: APPROVALS_UNDELIVERED_INDEX.name,
        KeyConditionExpression: '#undelivered = :undelivered',
        ExpressionAttributeNames: { '#undelivered': APPROVALS_UNDELIVERED_INDEX.partitionKey },
        ExpressionAttributeValues: { ':undelivered': { S: UNDELIVERED } },
      },
    });
    const found: UndeliveredDecision[] = [];
    for (const key of keys) {
      const out = await failClosed(UNAVAILABLE, () =>
        this.#client.send(
          new GetItemCommand({ TableName: this.#tableName, Key: { approvalId: key.approvalId as AttributeValue }, ConsistentRead: true }),
        ),
      );
      const record = out.Item?.undelivered ? recordOf(out.Item) : undefined;
      if (!out.Item || !record || (record.status !== ApprovalStatus.APPROVED && record.status !== ApprovalStatus.DENIED)) continue;
      const edited = editedArgumentsOf(out.Item);
      found.push({
        record,
        taskToken: waitingToken(out.Item.taskToken?.S),
        reason: out.Item.reason?.S ?? '',
        ...(edited ? { arguments: edited } : {}),
      });
    }
    return found;
  }

  /** The decision reached its execution (or nobody waits any more): off the index. An approval gone meanwhile is fine. */
  async markDelivered(approvalId: string): Promise<void> {
    await writeIfStill(UNAVAILABLE, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { approvalId: { S: approvalId } },
          UpdateExpression: 'REMOVE undelivered',
          ConditionExpression: 'attribute_exists(approvalId)',
        }),
      ),
    );
  }
}
