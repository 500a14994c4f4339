import { describe, expect, it } from 'vitest';
import { ApprovalStatus, judgeApproval, type ApprovalRecord } from '#shared/approval/approval-binding.ts';

const call = { runId: 'r', callId: 'c', tool: 'send_email', argsHash: 'h', requestedBy: 'ann' };
const approved: ApprovalRecord = {
  approvalId: 'a',
  status: ApprovalStatus.APPROVED,
  ...call,
  decidedBy: 'bob',
  deciderGroups: ['approver'],
};

describe('judgeApproval', () => {
  it('allows a decided approval for this exact call by another approver', () => {
    expect(judgeApproval(approved, call, 'approver')).toEqual({ verdict: 'approved' });
  });
  const voteBy = (userId: string, groups: readonly string[] = ['approver'], at = 10) => ({ userId, groups, at });
  const voted = (...votes: ReturnType<typeof voteBy>[]): ApprovalRecord => ({
    ...approved,
    approvers: votes.map((v) => v.userId),
    votes,
  });
  it('holds a tool with a quorum to its own count of distinct approvers, none of them the requester', () => {
    expect(judgeApproval(voted(voteBy('bob'), voteBy('cat')), call, 'approver', 2)).toEqual({ verdict: 'approved' });
    expect(judgeApproval(voted(voteBy('bob')), call, 'approver', 2)).toEqual({ verdict: 'short-of-quorum' });
    // The same voter twice is one voter.
    expect(judgeApproval(voted(voteBy('bob'), voteBy('bob')), call, 'approver', 2)).toEqual({ verdict: 'short-of-quorum' });
    // A record that says its quorum is 1 does not lower the tool's: the count comes from the declaration.
    expect(judgeApproval({ ...voted(voteBy('bob')), quorum: 1 }, call, 'approver', 2)).toEqual({ verdict: 'short-of-quorum' });
    expect(judgeApproval(voted(voteBy('bob'), voteBy('ann')), call, 'approver', 2)).toEqual({ verdict: 'self-approved' });
  });
  it('recounts every voter from the groups recorded with their vote: names alone never make a quorum', () => {
    // Names in the tally without votes behind them (or votes of people who were not approvers then) count for nothing.
    expect(judgeApproval({ ...approved, approvers: ['bob', 'cat'] }, call, 'approver', 2)).toEqual({ verdict: 'not-an-approver' });
    expect(judgeApproval(voted(voteBy('bob'), voteBy('dan', ['user'])), call, 'approver', 2)).toEqual({ verdict: 'short-of-quorum' });
    // A delegate's vote: no approver group with it, so it does not count, whoever it was handed to by.
    expect(
      judgeApproval({ ...voted(voteBy('bob'), voteBy('dan', [])), delegatedTo: 'dan', delegatedBy: 'bob' }, call, 'approver', 2),
    ).toEqual({ verdict: 'short-of-quorum' });
    // The decider must be one of the counted voters.
    expect(judgeApproval({ ...voted(voteBy('cat'), voteBy('eve')), decidedBy: 'bob' }, call, 'approver', 2)).toEqual({
      verdict: 'not-an-approver',
    });
    // The escalation group counts only for votes cast once the approval had escalated.
    const escalated = (at: number) => ({ ...voted(voteBy('bob'), voteBy('eve', ['oncall'], at)), escalateAt: 20 });
    expect(judgeApproval(escalated(20), call, 'approver', 2, 'oncall')).toEqual({ verdict: 'approved' });
    expect(judgeApproval(escalated(19), call, 'approver', 2, 'oncall')).toEqual({ verdict: 'short-of-quorum' });
    expect(judgeApproval(escalated(20), call, 'approver', 2)).toEqual({ verdict: 'short-of-quorum' });
  });
  it.each([
    ['missing', undefined],
    ['mismatch', { ...approved, argsHash: 'other' }],
    ['mismatch', { ...approved, callId: 'c2' }],
    ['mismatch', { ...approved, tool: 'delete_document' }],
    ['mismatch', { ...approved, runId: 'r2' }],
    ['mismatch', { ...approved, requestedBy: 'eve' }],
    ['self-approved', { ...approved, decidedBy: 'ann' }],
    ['self-approved', { ...approved, decidedBy: undefined }],
    ['not-an-approver', { ...approved, deciderGroups: ['admin'] }],
    ['pending', { ...approved, status: ApprovalStatus.PENDING }],
    ['denied', { ...approved, status: ApprovalStatus.DENIED }],
    ['expired', { ...approved, status: ApprovalStatus.EXPIRED }],
  ] as const)('refuses: %s', (verdict, record) => {
    expect(judgeApproval(record as ApprovalRecord | undefined, call, 'approver')).toEqual({ verdict });
  });
  it('accepts the escalation group’s decision only on an approval decided at or after its escalateAt, and only with the tool’s own group', () => {
    const byOncall = { ...approved, decidedBy: 'eve', deciderGroups: ['oncall'], escalateAt: 100 };
    expect(judgeApproval({ ...byOncall, decidedAt: 100 }, call, 'approver', 1, 'oncall')).toEqual({ verdict: 'approved' });
    expect(judgeApproval({ ...byOncall, decidedAt: 99 }, call, 'approver', 1, 'oncall')).toEqual({ verdict: 'not-an-approver' });
    expect(judgeApproval({ ...byOncall, decidedAt: 100 }, call, 'approver', 1)).toEqual({ verdict: 'not-an-approver' });
    expect(judgeApproval({ ...byOncall, decidedAt: 100 }, call, 'approver', 1, 'other')).toEqual({ verdict: 'not-an-approver' });
  });
  it('accepts the decision of the colleague the approval was handed to, and of nobody else outside the groups', () => {
    const delegated = { ...approved, decidedBy: 'dan', deciderGroups: ['user'], delegatedTo: 'dan', delegatedBy: 'bob' };
    expect(judgeApproval(delegated, call, 'approver')).toEqual({ verdict: 'approved' });
    expect(judgeApproval({ ...delegated, delegatedTo: 'someone-else' }, call, 'approver')).toEqual({ verdict: 'not-an-approver' });
    // The requester is never their own delegate.
    expect(judgeApproval({ ...delegated, decidedBy: 'ann', delegatedTo: 'ann' }, call, 'approver')).toEqual({ verdict: 'self-approved' });
  });
});
