import { mayDecide } from './approval-authority.ts';

/** One approver's yes toward a quorum, as recorded with the vote: who, their groups then, and when (epoch seconds). */
export interface QuorumVote {
  readonly userId: string;
  readonly groups: readonly string[];
  readonly at: number;
}

/** What a record says about its votes and who may cast them. */
export interface QuorumFacts {
  readonly requestedBy: string;
  readonly escalateAt?: number;
  readonly votes?: readonly QuorumVote[];
}

/**
 * The voters who count toward a quorum, each once. A vote counts only when its groups, as recorded
 * with it, made the voter an approver then, or a member of the escalation group once the approval
 * had escalated. A delegate's authority never counts (delegation is refused on quorum calls, and a
 * vote cast by delegation would let one approver, or none, stand for several). The requester never
 * counts. Pure: the tool's own approval check recounts with it rather than trusting a tally.
 *
 * @example
 * countedVoters({ requestedBy: 'adam', votes: [{ userId: 'pat', groups: ['approver'], at: 10 }, { userId: 'dan', groups: [], at: 11 }] }, 'approver');
 * // ['pat']
 */
export const countedVoters = (record: QuorumFacts, approverGroup: string, escalationGroup?: string): string[] => {
  const counted = new Set<string>();
  for (const vote of record.votes ?? []) {
    if (vote.userId === '' || vote.userId === record.requestedBy) continue;
    // No delegate here: the facts carry no `delegatedTo`, so only group membership can count.
    const authority = mayDecide(
      record.escalateAt === undefined ? {} : { escalateAt: record.escalateAt },
      vote,
      approverGroup,
      escalationGroup,
      vote.at,
    );
    if (authority === 'approver' || authority === 'escalation') counted.add(vote.userId);
  }
  return [...counted];
};
