import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ApprovalStatus, type ApprovalRecord } from './approval-binding.ts';
import type { QuorumVote } from './quorum-votes.ts';

/**
 * An approval as the approvals table keeps it: the call it binds, its status, its votes and its
 * expiry.
 */
export type StoredApproval = ApprovalRecord & {
  readonly expiresAt: number;
  readonly summary: string;
  /** Why a call that is not destructive needs approval (information flow: where untrusted content came in). */
  readonly why?: string;
  /** Epoch milliseconds: when it was asked for (absent on approvals made before this was recorded). */
  readonly requestedAtMs?: number;
  /** Epoch seconds: when the escalation group was told (by the sweep). */
  readonly escalatedAt?: number;
  readonly slackMessage?: { readonly channel: string; readonly ts: string };
  /** The arguments in full as the approver sees them (`shownArguments`, JSON); absent on approvals made before it was recorded. */
  readonly shown?: string;
  /** The short form (`summary`) leaves something out: a yes needs the full view opened first. */
  readonly shortened?: boolean;
  /** Who waits on the decision: a Step Functions task, or nobody (`none`: asked over MCP). Absent on approvals made before it was recorded (a task waits). */
  readonly notify?: 'task' | 'none';
  /** Who opened the full view while it was pending. */
  readonly viewedBy?: readonly string[];
  /** An approver changed the arguments before approving: who, and what was asked for (redacted; `summary` is what was approved). */
  readonly edited?: { readonly by: string; readonly originalSummary: string; readonly originalArgsHash: string };
};

/**
 * The token a decision answers, or '' when nobody waits. Approvals asked over MCP before `notify`
 * existed carried this sentinel as their token: nobody waits on them either.
 */
export const waitingToken = (stored: string | undefined): string =>
  stored === undefined || stored === 'mcp:no-execution-waits' ? '' : stored;

/** The value of `undelivered` (the key of `APPROVALS_UNDELIVERED_INDEX`) on a decision not yet delivered. */
export const UNDELIVERED = 'decision';

/** One recorded vote (a map of userId, groups as a list, and epoch seconds), read as it was written. */
const voteOf = (value: AttributeValue): QuorumVote => ({
  userId: value.M?.userId?.S ?? '',
  groups: (value.M?.groups?.L ?? []).flatMap((group) => (group.S === undefined ? [] : [group.S])),
  at: Number(value.M?.at?.N ?? '0'),
});

/** An approvals-table item as a record (the task token is never read into it). */
export const recordOf = (item: Record<string, AttributeValue> | undefined): StoredApproval | undefined => {
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
    ...(item.shown?.S === undefined ? {} : { shown: item.shown.S }),
    ...(item.shortened?.BOOL ? { shortened: true } : {}),
    ...(item.notify?.S === 'task' || item.notify?.S === 'none' ? { notify: item.notify.S } : {}),
    ...(item.viewedBy?.SS === undefined ? {} : { viewedBy: item.viewedBy.SS }),
    ...(item.why?.S === undefined ? {} : { why: item.why.S }),
    expiresAt: Number(item.expiresAt?.N ?? '0'),
    ...(item.requestedAtMs?.N === undefined ? {} : { requestedAtMs: Number(item.requestedAtMs.N) }),
    ...(item.decidedAt?.N === undefined ? {} : { decidedAt: Number(item.decidedAt.N) }),
    ...(item.decidedAtMs?.N === undefined ? {} : { decidedAtMs: Number(item.decidedAtMs.N) }),
    ...(item.decidedBy?.S === undefined ? {} : { decidedBy: item.decidedBy.S }),
    ...(item.deciderGroups?.SS === undefined ? {} : { deciderGroups: item.deciderGroups.SS }),
    ...(item.quorum?.N === undefined ? {} : { quorum: Number(item.quorum.N) }),
    ...(item.approvers?.SS === undefined ? {} : { approvers: item.approvers.SS }),
    ...(item.votes?.L === undefined ? {} : { votes: item.votes.L.map(voteOf) }),
    ...(item.slackChannel?.S && item.slackTs?.S ? { slackMessage: { channel: item.slackChannel.S, ts: item.slackTs.S } } : {}),
    ...(item.escalateAt?.N === undefined ? {} : { escalateAt: Number(item.escalateAt.N) }),
    ...(item.escalatedAt?.N === undefined ? {} : { escalatedAt: Number(item.escalatedAt.N) }),
    ...(item.delegatedTo?.S === undefined ? {} : { delegatedTo: item.delegatedTo.S }),
    ...(item.delegatedBy?.S === undefined ? {} : { delegatedBy: item.delegatedBy.S }),
    ...(item.editedBy?.S
      ? {
          edited: { by: item.editedBy.S, originalSummary: item.originalSummary?.S ?? '', originalArgsHash: item.originalArgsHash?.S ?? '' },
        }
      : {}),
  };
};
