import { GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isConditionalCheckFailed, readItemAfterConditionFailure } from '../aws/dynamodb-errors.ts';
import { GuardUnavailableError } from '../tool-result/errors.ts';
import { ApprovalStatus, type ApprovalRecord } from './approval-binding.ts';
import { judgeDecision, type Decider, type Decision } from './approval-decision.ts';
import { ApprovalDecisionRefusedError } from './errors.ts';

export interface DynamoDbApprovalStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default 'approver' */
  readonly approverGroup?: string;
}

export interface NewApproval {
  readonly approvalId: string;
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly argsHash: string;
  readonly requestedBy: string;
  /** Redacted arguments, for the person deciding. */
  readonly summary: string;
  /** The Step Functions task token. Held here only: never in a message, URL, log line or API answer. */
  readonly taskToken: string;
  /** Epoch seconds after which the approval can no longer be decided. */
  readonly expiresAt: number;
}

export type StoredApproval = ApprovalRecord & { readonly expiresAt: number; readonly summary: string; readonly slackMessage?: { readonly channel: string; readonly ts: string } };

const recordOf = (item: Record<string, AttributeValue> | undefined): StoredApproval | undefined => {
  if (!item?.approvalId?.S) return undefined;
  return {
    approvalId: item.approvalId.S,
    status: (item.status?.S ?? ApprovalStatus.PENDING) as ApprovalStatus,
    runId: item.runId?.S ?? '',
    callId: item.callId?.S ?? '',
    tool: item.tool?.S ?? '',
    argsHash: item.argsHash?.S ?? '',
    requestedBy: item.requestedBy?.S ?? '',
    summary: item.summary?.S ?? '',
    expiresAt: Number(item.expiresAt?.N ?? '0'),
    ...(item.decidedBy?.S === undefined ? {} : { decidedBy: item.decidedBy.S }),
    ...(item.deciderGroups?.SS === undefined ? {} : { deciderGroups: item.deciderGroups.SS }),
    ...(item.slackChannel?.S && item.slackTs?.S ? { slackMessage: { channel: item.slackChannel.S, ts: item.slackTs.S } } : {}),
  };
};

/**
 * Approvals by id. Deciding is one conditional write from PENDING, so a double click, a replayed
 * Slack callback or two approvers at once decide it exactly once; the task token comes back only
 * to the caller that won, to resume the waiting execution.
 */
export class DynamoDbApprovalStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #approverGroup: string;

  constructor(options: DynamoDbApprovalStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#approverGroup = options.approverGroup ?? 'approver';
  }

  /** The approval, without its task token. */
  async get(approvalId: string): Promise<StoredApproval | undefined> {
    try {
      const out = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: { approvalId: { S: approvalId } }, ConsistentRead: true }));
      return recordOf(out.Item);
    } catch (error) {
      throw new GuardUnavailableError('The approval could not be checked, so the call was refused.', { cause: error });
    }
  }

  async create(approval: NewApproval): Promise<void> {
    await this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: {
          approvalId: { S: approval.approvalId },
          status: { S: ApprovalStatus.PENDING },
          runId: { S: approval.runId },
          callId: { S: approval.callId },
          tool: { S: approval.tool },
          argsHash: { S: approval.argsHash },
          requestedBy: { S: approval.requestedBy },
          summary: { S: approval.summary },
          taskToken: { S: approval.taskToken },
          expiresAt: { N: String(approval.expiresAt) },
        },
        // A redelivered request for the same call must not reset a decided approval.
        ConditionExpression: 'attribute_not_exists(approvalId)',
      }),
    );
  }

  /**
   * Decides a pending approval exactly once. Returns the task token to the one caller whose write
   * won; every other caller gets an `ApprovalDecisionRefusedError` saying why.
   */
  async decide(approvalId: string, decision: Decision, decider: Decider, nowSeconds: number, reason?: string): Promise<{ record: StoredApproval; taskToken: string }> {
    if (!decider.groups.includes(this.#approverGroup)) throw new ApprovalDecisionRefusedError('not-an-approver');
    try {
      const out = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { approvalId: { S: approvalId } },
          UpdateExpression: 'SET #status = :decision, decidedBy = :decider, deciderGroups = :groups, decidedAt = :now, reason = :reason',
          ConditionExpression: '#status = :pending AND requestedBy <> :decider AND expiresAt > :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':decision': { S: decision === 'approve' ? ApprovalStatus.APPROVED : ApprovalStatus.DENIED },
            ':pending': { S: ApprovalStatus.PENDING },
            ':decider': { S: decider.userId },
            ':groups': { SS: [...new Set(decider.groups)] },
            ':now': { N: String(nowSeconds) },
            ':reason': { S: (reason ?? '').slice(0, 500) },
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { record: recordOf(out.Attributes) as StoredApproval, taskToken: out.Attributes?.taskToken?.S ?? '' };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw new GuardUnavailableError('The decision could not be recorded.', { cause: error });
      const current = recordOf(await readItemAfterConditionFailure(this.#client, this.#tableName, { approvalId: { S: approvalId } }, error));
      const verdict = judgeDecision(current, decider, this.#approverGroup, nowSeconds);
      throw new ApprovalDecisionRefusedError(verdict.verdict === 'allowed' ? 'already-decided' : verdict.verdict);
    }
  }

  /** Remembers where the approval was posted in Slack, so that the message can be updated once decided. */
  async setMessage(approvalId: string, message: { channel: string; ts: string }): Promise<void> {
    await this.#guarded(() => this.#client.send(new UpdateItemCommand({
      TableName: this.#tableName,
      Key: { approvalId: { S: approvalId } },
      UpdateExpression: 'SET slackChannel = :c, slackTs = :t',
      ConditionExpression: 'attribute_exists(approvalId)',
      ExpressionAttributeValues: { ':c': { S: message.channel }, ':t': { S: message.ts } },
    })));
  }

  /**
   * Pending approvals that can still be decided. A scan: approvals are few and short-lived; a
   * status index is the next step if that changes.
   */
  async listPending(nowSeconds: number): Promise<StoredApproval[]> {
    const found: StoredApproval[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const from = startKey;
      const out = await this.#guarded(() => this.#client.send(new ScanCommand({
        TableName: this.#tableName,
        FilterExpression: '#status = :pending AND expiresAt > :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': { S: ApprovalStatus.PENDING }, ':now': { N: String(nowSeconds) } },
        ExclusiveStartKey: from,
      })));
      for (const item of out.Items ?? []) {
        const record = recordOf(item);
        if (record) found.push(record);
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async #guarded<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new GuardUnavailableError('Approvals could not be read.', { cause: error });
    }
  }

  /** Marks a pending approval expired (the wait timed out). Returns whether this call expired it. */
  async expire(approvalId: string): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { approvalId: { S: approvalId } },
          UpdateExpression: 'SET #status = :expired',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expired': { S: ApprovalStatus.EXPIRED }, ':pending': { S: ApprovalStatus.PENDING } },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw new GuardUnavailableError('The approval could not be expired.', { cause: error });
    }
  }
}
