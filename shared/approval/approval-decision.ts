import { ApprovalStatus, type ApprovalRecord } from './approval-binding.ts';
import { mayDecide } from './approval-authority.ts';

/** An approver's answer to an approval. */
export type Decision = 'approve' | 'deny';

/** Who decides an approval: their user id and groups at decision time. */
export interface Decider {
  readonly userId: string;
  readonly groups: readonly string[];
}

export type DecisionVerdict =
  | { readonly verdict: 'allowed' }
  | {
      readonly verdict:
        'not-found' | 'not-an-approver' | 'own-call' | 'already-decided' | 'already-voted' | 'expired' | 'view-in-full-first';
    };

/**
 * Whether this person may decide this approval now. Pure; the store's conditional write enforces
 * the same rules atomically, and this explains a refused write.
 */
export const judgeDecision = (
  record:
    (ApprovalRecord & { readonly expiresAt?: number; readonly shortened?: boolean; readonly viewedBy?: readonly string[] }) | undefined,
  decider: Decider,
  approverGroup: string,
  nowSeconds: number,
  escalationGroup?: string,
  decision?: Decision,
): DecisionVerdict => {
  if (!record) return { verdict: 'not-found' };
  const authority = mayDecide(record, decider, approverGroup, escalationGroup, nowSeconds);
  // A quorum counts approvers in person: a delegate's vote would let one approver (or none) stand for several.
  if (authority === undefined || (authority === 'delegate' && (record.quorum ?? 1) > 1)) return { verdict: 'not-an-approver' };
  if (record.requestedBy === decider.userId) return { verdict: 'own-call' };
  // An approval that ran out of time says so, whether or not it has been marked expired yet.
  if (record.status === ApprovalStatus.EXPIRED) return { verdict: 'expired' };
  if (record.status !== ApprovalStatus.PENDING) return { verdict: 'already-decided' };
  if (record.expiresAt !== undefined && record.expiresAt <= nowSeconds) return { verdict: 'expired' };
  if (record.approvers?.includes(decider.userId)) return { verdict: 'already-voted' };
  // A yes on what the short form could not show waits until this person has seen it whole.
  if (decision === 'approve' && record.shortened && !record.viewedBy?.includes(decider.userId)) return { verdict: 'view-in-full-first' };
  return { verdict: 'allowed' };
};
