/** Why this person may decide an approval: a member of the approver group, of the escalation group once escalated, or the named delegate. */
export type Authority = 'approver' | 'escalation' | 'delegate';

/** What a record says about who else may decide it. */
export interface DelegationFacts {
  /** Epoch seconds from which the escalation group may decide too (set when the approval is asked for). */
  readonly escalateAt?: number;
  /** The colleague an approver handed the approval to, by user id. */
  readonly delegatedTo?: string;
}

/**
 * The authority a person claims by their groups and id, before any write: the store's conditional
 * write then checks what the claim rests on (the escalation time, the delegate's name) atomically.
 */
export const claimedAuthority = (
  decider: { readonly userId: string; readonly groups: readonly string[] },
  approverGroup: string,
  escalationGroup: string | undefined,
): Authority => {
  if (decider.groups.includes(approverGroup)) return 'approver';
  if (escalationGroup !== undefined && decider.groups.includes(escalationGroup)) return 'escalation';
  return 'delegate';
};

/**
 * Whether a person may decide this approval at `nowSeconds`, by any authority. Pure.
 *
 * @example
 * mayDecide({ escalateAt: 100 }, { userId: 'eve', groups: ['oncall'] }, 'approver', 'oncall', 120); // 'escalation'
 */
export const mayDecide = (
  record: DelegationFacts,
  decider: { readonly userId: string; readonly groups: readonly string[] },
  approverGroup: string,
  escalationGroup: string | undefined,
  nowSeconds: number,
): Authority | undefined => {
  const claimed = claimedAuthority(decider, approverGroup, escalationGroup);
  if (claimed === 'approver') return claimed;
  if (claimed === 'escalation' && record.escalateAt !== undefined && record.escalateAt <= nowSeconds) return claimed;
  if (record.delegatedTo !== undefined && record.delegatedTo === decider.userId) return 'delegate';
  return undefined;
};
