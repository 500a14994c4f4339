import { mayDecide } from './approval-authority.ts';
import { countedVoters, type QuorumVote } from './quorum-votes.ts';

/**
 * PENDING -> APPROVED | DENIED | EXPIRED, once (a conditional write from PENDING decides it).
 * An approval is bound to one exact call: run, call id, tool and the hash of the canonical
 * arguments, so an approval for one call can never be spent on another.
 */
export const ApprovalStatus = {
  PENDING: 'PENDING',
  APPROVED: 'APPROVED',
  DENIED: 'DENIED',
  EXPIRED: 'EXPIRED',
} as const;
export type ApprovalStatus = (typeof ApprovalStatus)[keyof typeof ApprovalStatus];

/**
 * How much longer than an approval's own expiry (`expiresAt`, which the approvals store enforces on
 * every decision) its Step Functions task waits before it times out. The store is the one authority
 * on expiry; the task's timeout is a backstop after it, longer than the API function may take (29 s
 * at most) plus any difference between Lambda's clocks, so a decision the store accepted always
 * reaches a task still waiting, with its audit record written while the run can still seal it.
 * Found by the fault simulation with clocks that differ: an API whose clock lagged accepted a
 * decision after the task had timed out, and audited it into a run that had ended.
 */
export const APPROVAL_TASK_GRACE_SECONDS = 60;

/**
 * The approval a tool's function checks before it runs a call that needs one: who decided, on
 * which arguments, and when.
 */
export interface ApprovalRecord {
  readonly approvalId: string;
  readonly status: ApprovalStatus;
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly argsHash: string;
  readonly requestedBy: string;
  readonly decidedBy?: string;
  /** The decider's groups when deciding, as the authorizer gave them. */
  readonly deciderGroups?: readonly string[];
  /** Distinct approvers needed (the tool's `quorum`); absent: one. */
  readonly quorum?: number;
  /** With a quorum: the people who said yes so far, each once (a tally; what counts is `votes`). */
  readonly approvers?: readonly string[];
  /** With a quorum: each yes with the voter's groups and time as recorded with the vote, recounted by `countedVoters`. */
  readonly votes?: readonly QuorumVote[];
  /** Epoch seconds from which the escalation group may decide too (GuardedAgent's `approvalEscalation`). */
  readonly escalateAt?: number;
  /** The colleague an approver handed it to (they may decide it), and who handed it. */
  readonly delegatedTo?: string;
  readonly delegatedBy?: string;
  /** Epoch seconds: when it was decided. */
  readonly decidedAt?: number;
  /** When it was decided, epoch milliseconds: the decision's audit record is keyed by it, so writing it again is the same record. */
  readonly decidedAtMs?: number;
}

export interface CallToApprove {
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly argsHash: string;
  readonly requestedBy: string;
}

export type ApprovalVerdict =
  | { readonly verdict: 'approved' }
  | {
      readonly verdict: 'denied' | 'expired' | 'pending' | 'missing' | 'mismatch' | 'self-approved' | 'not-an-approver' | 'short-of-quorum';
    };

/**
 * Whether a recorded approval lets this exact call run. Pure. `quorum` is the tool's own (from its
 * declaration, not from the record): that many distinct approvers, none of them the requester.
 */
export const judgeApproval = (
  record: ApprovalRecord | undefined,
  call: CallToApprove,
  approverGroup: string,
  quorum = 1,
  escalationGroup?: string,
): ApprovalVerdict => {
  if (record === undefined) return { verdict: 'missing' };
  if (
    record.runId !== call.runId ||
    record.callId !== call.callId ||
    record.tool !== call.tool ||
    record.argsHash !== call.argsHash ||
    record.requestedBy !== call.requestedBy
  ) {
    return { verdict: 'mismatch' };
  }
  switch (record.status) {
    case ApprovalStatus.PENDING:
      return { verdict: 'pending' };
    case ApprovalStatus.DENIED:
      return { verdict: 'denied' };
    case ApprovalStatus.EXPIRED:
      return { verdict: 'expired' };
    case ApprovalStatus.APPROVED: {
      if (!record.decidedBy || record.decidedBy === record.requestedBy) return { verdict: 'self-approved' };
      // The decider's authority when they decided: an approver, the escalation group once escalated, or the named delegate.
      const decider = { userId: record.decidedBy, groups: record.deciderGroups ?? [] };
      if (!mayDecide(record, decider, approverGroup, escalationGroup, record.decidedAt ?? 0)) return { verdict: 'not-an-approver' };
      if (quorum <= 1) return { verdict: 'approved' };
      if ((record.approvers ?? []).includes(record.requestedBy)) return { verdict: 'self-approved' };
      // Each voter recounted from the groups recorded with their vote: names alone (or a delegate's) never make a quorum.
      const counted = countedVoters(record, approverGroup, escalationGroup);
      if (!counted.includes(record.decidedBy)) return { verdict: 'not-an-approver' };
      return counted.length >= quorum ? { verdict: 'approved' } : { verdict: 'short-of-quorum' };
    }
  }
};

/** The approval of one call: one per (run, call), so a redelivered request changes nothing. */
export const approvalIdOf = (runId: string, callId: string): string => `${runId}.${callId}`;
