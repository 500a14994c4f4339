import { randomUUID } from 'node:crypto';
import type { StoreAccess } from '../tables/index.ts';
import { PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { failClosed, isConditionalCheckFailed, readAllPages, itemOfConditionFailure, writeIfStill } from '../aws/index.ts';
import { GuardUnavailableError } from '../tool-result/index.ts';
import { ApprovalStatus } from './approval-binding.ts';
import { recordOf, UNDELIVERED, waitingToken, type StoredApproval } from './approval-item.ts';
import { DynamoDbApprovalReader } from './dynamodb-approval-reader.ts';
import { judgeDecision, type Decider, type Decision } from './approval-decision.ts';
import { claimedAuthority } from './approval-authority.ts';
import { ApprovalDecisionRefusedError } from './errors.ts';
import type { ApprovalEdit, NewApproval } from './approval-request.ts';

export type { StoredApproval } from './approval-item.ts';

const UNAVAILABLE = 'Approvals could not be read or written.';

/**
 * What every deciding write sets: the status, who decided (with their groups), when (in seconds,
 * and in milliseconds for the decision's audit record), the write's nonce (by which its own retry
 * is recognised), the reason, and the key of the index of decisions not yet delivered (removed once
 * the waiting execution has it: `DynamoDbDecisionOutbox`).
 */
const DECIDED =
  'SET #status = :decision, decidedBy = :decider, deciderGroups = :groups, decidedAt = :now, decidedAtMs = :nowMs, decisionNonce = :nonce, reason = :reason, undelivered = :undelivered';

/**
 * A yes on a call whose short form leaves something out counts only from someone who opened its
 * full view (`markViewed`): nobody approves unseen what Slack or a list could not show.
 */
const VIEWED = ' AND (attribute_not_exists(shortened) OR contains(viewedBy, :decider))';

export interface DynamoDbApprovalStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default 'approver' */
  readonly approverGroup?: string;
  /** GuardedAgent's `approvalEscalation.group`: its members may decide approvals past their `escalateAt`. @default none */
  readonly escalationGroup?: string;
  /** The clock, epoch milliseconds (approvals count in whole seconds, as their TTL does). @default Date.now */
  readonly now?: () => number;
}

/**
 * Approvals by id. Deciding is one conditional write from PENDING, so a double click, a replayed
 * Slack callback or two approvers at once decide it exactly once; the task token comes back only
 * to the caller that won, to resume the waiting execution.
 *
 * @example
 * const approvals = new DynamoDbApprovalStore({ client, tableName: 'Approvals', approverGroup: 'approver' });
 * const pending = await approvals.listPending();
 */
export class DynamoDbApprovalStore {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    get: { actions: ['GetItem'] },
    create: { actions: ['PutItem'] },
    // An approval reads the approval first (its quorum); a refusal reads nothing (the failed write returns the item).
    decide: { actions: ['GetItem', 'UpdateItem'] },
    delegate: { actions: ['GetItem', 'UpdateItem'] },
    markViewed: { actions: ['UpdateItem'] },
    markEscalated: { actions: ['UpdateItem'] },
    refreshTaskToken: { actions: ['UpdateItem'] },
    setMessage: { actions: ['UpdateItem'] },
    listPending: { actions: ['Scan'] },
    expire: { actions: ['UpdateItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #approverGroup: string;
  readonly #escalationGroup: string | undefined;
  readonly #reader: DynamoDbApprovalReader;
  readonly #now: () => number;

  constructor(options: DynamoDbApprovalStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#approverGroup = options.approverGroup ?? 'approver';
    this.#escalationGroup = options.escalationGroup;
    this.#reader = new DynamoDbApprovalReader(options);
    this.#now = options.now ?? Date.now;
  }

  /** Now, in the epoch seconds approvals are written in. */
  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** The approval, without its task token. */
  get(approvalId: string): Promise<StoredApproval | undefined> {
    return this.#reader.get(approvalId);
  }

  /** Records a new approval, pending; fails with ConditionalCheckFailedException if the call has one already. */
  async create(approval: NewApproval): Promise<void> {
    // A task waits on its token; nobody waits on an approval without one.
    if ((approval.notify ?? 'task') === 'task' ? !approval.taskToken : approval.taskToken !== undefined)
      throw new TypeError(`Approval ${approval.approvalId}: notify 'task' needs the waiting task's token, and notify 'none' has none`);
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
          shown: { S: approval.shown },
          ...(approval.shortened ? { shortened: { BOOL: true } } : {}),
          ...(approval.why ? { why: { S: approval.why } } : {}),
          ...(approval.quorum && approval.quorum > 1 ? { quorum: { N: String(approval.quorum) } } : {}),
          notify: { S: approval.notify ?? 'task' },
          ...(approval.taskToken === undefined ? {} : { taskToken: { S: approval.taskToken } }),
          expiresAt: { N: String(approval.expiresAt) },
          requestedAtMs: { N: String(approval.requestedAtMs) },
          ...(approval.escalateAt === undefined ? {} : { escalateAt: { N: String(approval.escalateAt) } }),
        },
        // A redelivered request for the same call must not reset a decided approval.
        ConditionExpression: 'attribute_not_exists(approvalId)',
      }),
    );
  }

  /**
   * Decides a pending approval exactly once. Returns the task token to the one caller whose write
   * won; every other caller gets an `ApprovalDecisionRefusedError` saying why. With a quorum, an
   * approval is a vote (each approver once, never the requester); the vote that completes the
   * quorum decides it, and only that caller gets the token. Any denial decides it at once.
   * `record.status` says whether this call decided it (still PENDING: a vote was counted).
   *
   * A write that took effect though its answer was lost (a timeout, then the SDK's retry finds its
   * condition failed) is recognised by the nonce it carried, and answered as the write that won: a
   * decision is never lost between the table and the waiting execution. The same person repeating
   * the same decision on an approval they decided (their retry after an error) gets it again with
   * `repeated` (with the reason stored the first time, so the decision's audit record is written
   * again as it was) and the token, so the execution is answered even if the first answer never reached it.
   */
  async decide(
    approvalId: string,
    decision: Decision,
    decider: Decider,
    reason?: string,
    edit?: ApprovalEdit,
  ): Promise<{ record: StoredApproval; taskToken: string; repeated?: { readonly reason: string } }> {
    const nowSeconds = this.#seconds();
    if (edit && decision !== 'approve') throw new Error('Only an approval can carry edited arguments');
    // A delegate decides the call as asked: changing what runs stays with the approvers (the write's condition holds this too).
    if (edit && this.#claimed(decider) === 'delegate') throw new ApprovalDecisionRefusedError('edit-needs-an-approver');
    if (decision === 'approve') {
      const current = await this.get(approvalId);
      // Votes approve one set of arguments: an edit would leave the earlier votes approving another.
      if ((current?.quorum ?? 1) > 1) {
        if (edit) throw new ApprovalDecisionRefusedError('edit-needs-one-approver');
        return this.#vote(approvalId, current as StoredApproval, decider, nowSeconds, reason);
      }
    }
    return this.#decideOnce(approvalId, decision, decider, nowSeconds, reason, edit);
  }

  /** The values of `DECIDED` (and `:pending`, which every deciding write's condition names). */
  #decidedValues(status: ApprovalStatus, decider: Decider, nowSeconds: number, nonce: string, reason?: string) {
    return {
      ':decision': { S: status },
      ':pending': { S: ApprovalStatus.PENDING },
      ':decider': { S: decider.userId },
      ':groups': { SS: [...new Set(decider.groups)] },
      ':now': { N: String(nowSeconds) },
      ':nowMs': { N: String(this.#now()) },
      ':nonce': { S: nonce },
      ':reason': { S: (reason ?? '').slice(0, 500) },
      ':undelivered': { S: UNDELIVERED },
    };
  }

  #claimed(decider: Decider) {
    return claimedAuthority(decider, this.#approverGroup, this.#escalationGroup);
  }

  /**
   * What the decider's claim to decide rests on, as a condition of the write itself: nothing more for
   * an approver; the escalation time for the escalation group; their own name as the delegate for anyone else.
   */
  #authority(decider: Decider): { readonly condition: string } {
    const claimed = this.#claimed(decider);
    return {
      condition: claimed === 'approver' ? '' : claimed === 'escalation' ? ' AND escalateAt <= :now' : ' AND delegatedTo = :decider',
    };
  }

  /**
   * One approver's yes on an approval that needs several: counted once, recorded with the voter's
   * groups and time (the tool recounts from those); the one that completes the quorum decides.
   * Only approvers vote, and the escalation group once escalated: never a delegate.
   */
  async #vote(approvalId: string, current: StoredApproval, decider: Decider, nowSeconds: number, reason?: string) {
    if (this.#claimed(decider) === 'delegate') throw new ApprovalDecisionRefusedError('not-an-approver');
    const nonce = randomUUID();
    const vote = {
      M: {
        userId: { S: decider.userId },
        groups: { L: [...new Set(decider.groups)].map((group) => ({ S: group })) },
        at: { N: String(nowSeconds) },
        // Which write counted it: a vote whose answer was lost is found by it, not refused as a second one.
        nonce: { S: nonce },
      },
    };
    const counted = await this.#refusedUnless(
      approvalId,
      decider,
      nowSeconds,
      'approve',
      () =>
        this.#client.send(
          new UpdateItemCommand({
            TableName: this.#tableName,
            Key: { approvalId: { S: approvalId } },
            UpdateExpression: 'SET votes = list_append(if_not_exists(votes, :none), :vote) ADD approvers :me',
            ConditionExpression: `#status = :pending AND requestedBy <> :decider AND expiresAt > :now AND (attribute_not_exists(approvers) OR NOT contains(approvers, :decider))${this.#authority(decider).condition}${VIEWED}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':none': { L: [] },
              ':vote': { L: [vote] },
              ':me': { SS: [decider.userId] },
              ':pending': { S: ApprovalStatus.PENDING },
              ':decider': { S: decider.userId },
              ':now': { N: String(nowSeconds) },
            },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      (item) => (item?.votes?.L?.some((v) => v.M?.nonce?.S === nonce) ? { Attributes: item, $metadata: {} } : undefined),
    );
    const voted = recordOf(counted.Attributes) as StoredApproval;
    if ((voted.approvers?.length ?? 0) < (current.quorum ?? 1)) return { record: voted, taskToken: '' };
    // The quorum is met: whichever completing vote writes first decides it, once; a later one finds it decided.
    try {
      const out = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { approvalId: { S: approvalId } },
          UpdateExpression: DECIDED,
          ConditionExpression: '#status = :pending AND size(approvers) >= :quorum',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ...this.#decidedValues(ApprovalStatus.APPROVED, decider, nowSeconds, nonce, reason),
            ':quorum': { N: String(current.quorum ?? 1) },
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { record: recordOf(out.Attributes) as StoredApproval, taskToken: waitingToken(out.Attributes?.taskToken?.S) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw new GuardUnavailableError('The decision could not be recorded.', { cause: error });
      // This vote's own completing write, its answer lost: it decided, and answers the waiting task.
      const item = itemOfConditionFailure(error);
      if (item?.decisionNonce?.S === nonce) return { record: recordOf(item) as StoredApproval, taskToken: waitingToken(item.taskToken?.S) };
      return { record: recordOf(item) ?? (await this.get(approvalId)) ?? voted, taskToken: '' };
    }
  }

  /** Runs a conditional write for `decider`; a failed condition is refused with the reason read from the item. */
  async #refusedUnless<T>(
    approvalId: string,
    decider: Decider,
    nowSeconds: number,
    decision: Decision | undefined,
    write: () => Promise<T>,
    /** The item as the failed condition found it: this caller's own write, if it shows it took effect. */
    ownWrite?: (item: Record<string, AttributeValue> | undefined) => T | undefined,
  ): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw new GuardUnavailableError('The decision could not be recorded.', { cause: error });
      const mine = ownWrite?.(itemOfConditionFailure(error));
      if (mine !== undefined) return mine;
      const current = recordOf(itemOfConditionFailure(error));
      const verdict = judgeDecision(current, decider, this.#approverGroup, nowSeconds, this.#escalationGroup, decision);
      throw new ApprovalDecisionRefusedError(verdict.verdict === 'allowed' ? 'already-decided' : verdict.verdict);
    }
  }

  async #decideOnce(approvalId: string, decision: Decision, decider: Decider, nowSeconds: number, reason?: string, edit?: ApprovalEdit) {
    // An edit re-binds the approval to the new arguments in the same write that decides it, keeping what was asked for.
    const rebind = edit
      ? ', originalArgsHash = :fromHash, originalSummary = :fromSummary, argsHash = :hash, summary = :summary, shown = :shown, editedBy = :decider, editedArguments = :arguments'
      : '';
    const nonce = randomUUID();
    const status = decision === 'approve' ? ApprovalStatus.APPROVED : ApprovalStatus.DENIED;
    const out = await this.#refusedUnless<{ item?: Record<string, AttributeValue>; repeated?: { readonly reason: string } }>(
      approvalId,
      decider,
      nowSeconds,
      decision,
      async () => ({
        item: (
          await this.#client.send(
            new UpdateItemCommand({
              TableName: this.#tableName,
              Key: { approvalId: { S: approvalId } },
              UpdateExpression: `${DECIDED}${rebind}${edit ? (edit.shortened ? ', shortened = :true' : ' REMOVE shortened') : ''}`,
              ConditionExpression: `#status = :pending AND requestedBy <> :decider AND expiresAt > :now${this.#authority(decider).condition}${edit ? ' AND attribute_not_exists(#quorum) AND argsHash = :fromHash' : ''}${decision === 'approve' ? VIEWED : ''}`,
              ExpressionAttributeNames: { '#status': 'status', ...(edit ? { '#quorum': 'quorum' } : {}) },
              ExpressionAttributeValues: {
                ...(edit
                  ? {
                      ':hash': { S: edit.argsHash },
                      ':summary': { S: edit.summary },
                      ':arguments': { S: JSON.stringify(edit.arguments) },
                      ':shown': { S: edit.shown },
                      ...(edit.shortened ? { ':true': { BOOL: true } } : {}),
                      ':fromHash': { S: edit.from.argsHash },
                      ':fromSummary': { S: edit.from.summary },
                    }
                  : {}),
                ...this.#decidedValues(status, decider, nowSeconds, nonce, reason),
              },
              ReturnValues: 'ALL_NEW',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          )
        ).Attributes,
      }),
      (item) =>
        item?.decisionNonce?.S === nonce
          ? { item }
          : !edit && item?.status?.S === status && item.decidedBy?.S === decider.userId && item.quorum === undefined
            ? { item, repeated: { reason: item.reason?.S ?? '' } }
            : undefined,
    );
    return {
      record: recordOf(out.item) as StoredApproval,
      taskToken: waitingToken(out.item?.taskToken?.S),
      ...(out.repeated ? { repeated: out.repeated } : {}),
    };
  }

  /**
   * Hands a pending approval to a named colleague, who may then decide it (never the requester).
   * Only an approver (or the escalation group once escalated) may hand it on, once: a delegate
   * cannot hand it further. An approval that needs several approvers is never handed on: a quorum
   * counts approvers in person. The delegate is told over the API and the console.
   */
  async delegate(approvalId: string, from: Decider, to: string): Promise<StoredApproval> {
    const nowSeconds = this.#seconds();
    // One read says which refusal applies; the write below still holds every rule by its condition.
    const current = await this.get(approvalId);
    if (this.#claimed(from) === 'delegate') {
      const verdict = judgeDecision(current, from, this.#approverGroup, nowSeconds, this.#escalationGroup);
      throw new ApprovalDecisionRefusedError(verdict.verdict === 'allowed' ? 'delegate-cannot-delegate' : verdict.verdict);
    }
    if ((current?.quorum ?? 1) > 1) throw new ApprovalDecisionRefusedError('delegation-needs-one-approver');
    const authority = this.#authority(from);
    const out = await this.#refusedUnless(approvalId, from, nowSeconds, undefined, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { approvalId: { S: approvalId } },
          UpdateExpression: 'SET delegatedTo = :to, delegatedBy = :decider',
          // The quorum is fixed when asked for; the condition holds the rule even against a record read before.
          ConditionExpression: `#status = :pending AND requestedBy <> :decider AND requestedBy <> :to AND expiresAt > :now AND attribute_not_exists(#quorum)${authority.condition}`,
          ExpressionAttributeNames: { '#status': 'status', '#quorum': 'quorum' },
          ExpressionAttributeValues: {
            ':to': { S: to },
            ':decider': { S: from.userId },
            ':pending': { S: ApprovalStatus.PENDING },
            ':now': { N: String(nowSeconds) },
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return recordOf(out.Attributes) as StoredApproval;
  }

  /**
   * Records that this person opened the approval's full view (every argument, nothing cut): from
   * then on their yes counts on a call whose short form leaves something out. Only while pending.
   */
  markViewed(approvalId: string, userId: string): Promise<boolean> {
    return this.#whilePending(UNAVAILABLE, approvalId, 'ADD viewedBy :me', { values: { ':me': { SS: [userId] } } });
  }

  /** Marks a pending approval past its `escalateAt` as escalated: whether this call did (so its group is told once). */
  markEscalated(approvalId: string): Promise<boolean> {
    return this.#whilePending('The approval could not be escalated.', approvalId, 'SET escalatedAt = :now', {
      condition: 'escalateAt <= :now AND expiresAt > :now AND attribute_not_exists(escalatedAt)',
      values: { ':now': { N: String(this.#seconds()) } },
    });
  }

  /**
   * Points an approval at a new task token: a redelivered request (a retried or resumed wait) waits
   * under a new token, and the decision must reach that one. A pending approval's decision will; a
   * decided one went to a task that has ended, so it is marked undelivered again and the API's sweep
   * answers the new task with it (`DynamoDbDecisionOutbox`). An expired approval keeps its token.
   * Returns whether the token was stored.
   */
  async refreshTaskToken(approvalId: string, taskToken: string): Promise<boolean> {
    const token = { ':token': { S: taskToken } };
    if (await this.#whilePending(UNAVAILABLE, approvalId, 'SET taskToken = :token', { values: token })) return true;
    return this.#updateIf(UNAVAILABLE, approvalId, 'SET taskToken = :token, undelivered = :undelivered', {
      condition: '#status IN (:approved, :denied)',
      values: {
        ...token,
        ':undelivered': { S: UNDELIVERED },
        ':approved': { S: ApprovalStatus.APPROVED },
        ':denied': { S: ApprovalStatus.DENIED },
      },
    });
  }

  /** Remembers where the approval was posted in Slack, so that the message can be updated once decided. */
  async setMessage(approvalId: string, message: { channel: string; ts: string }): Promise<void> {
    await failClosed(UNAVAILABLE, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { approvalId: { S: approvalId } },
          UpdateExpression: 'SET slackChannel = :c, slackTs = :t',
          ConditionExpression: 'attribute_exists(approvalId)',
          ExpressionAttributeValues: { ':c': { S: message.channel }, ':t': { S: message.ts } },
        }),
      ),
    );
  }

  /**
   * Pending approvals that can still be decided. A scan: approvals are few and short-lived; a
   * status index is the next step if that changes.
   */
  async listPending(): Promise<StoredApproval[]> {
    const nowSeconds = this.#seconds();
    const items = await readAllPages(this.#client, UNAVAILABLE, {
      scan: {
        TableName: this.#tableName,
        FilterExpression: '#status = :pending AND expiresAt > :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': { S: ApprovalStatus.PENDING }, ':now': { N: String(nowSeconds) } },
      },
    });
    return items.map(recordOf).filter((record): record is StoredApproval => record !== undefined);
  }

  /** Marks a pending approval expired (the wait timed out). Returns whether this call expired it. */
  expire(approvalId: string): Promise<boolean> {
    return this.#whilePending('The approval could not be expired.', approvalId, 'SET #status = :expired', {
      values: { ':expired': { S: ApprovalStatus.EXPIRED } },
    });
  }

  /** An update made only while the approval is pending (and `condition` holds): whether it was made. Fails closed with `message`. */
  #whilePending(
    message: string,
    approvalId: string,
    update: string,
    options: { readonly condition?: string; readonly values: Record<string, AttributeValue> },
  ): Promise<boolean> {
    return this.#updateIf(message, approvalId, update, {
      condition: `#status = :pending${options.condition ? ` AND ${options.condition}` : ''}`,
      values: { ':pending': { S: ApprovalStatus.PENDING }, ...options.values },
    });
  }

  /** An update made only if `condition` holds (it may name the status as `#status`): whether it was made. Fails closed with `message`. */
  #updateIf(
    message: string,
    approvalId: string,
    update: string,
    options: { readonly condition: string; readonly values: Record<string, AttributeValue> },
  ): Promise<boolean> {
    return writeIfStill(message, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { approvalId: { S: approvalId } },
          UpdateExpression: update,
          ConditionExpression: options.condition,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: options.values,
        }),
      ),
    );
  }
}
