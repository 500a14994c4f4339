import { describe, expect, it } from 'vitest';
import { ApprovalStatus } from '#shared/approval/approval-binding.ts';
import type { StoredApproval } from '#shared/approval/approval-item.ts';
import { ApprovalDeniedError, ApprovalExpiredError, ApprovalMissingError } from '#shared/approval/errors.ts';
import { approvalGate, type ApprovalGateOptions } from '#shared/approval/middleware.ts';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import type { ToolInvocation } from '#shared/tool/index.ts';
import { throughMiddy } from '../../support/middy-harness.ts';

// The harness's call: run-1/call-1 of lookup_note by alice, arguments { text: 'a' }.
const NOW_S = 1_800_000_000;
const approvalFor = (overrides: Partial<StoredApproval> = {}): StoredApproval => ({
  approvalId: 'ap-1',
  status: ApprovalStatus.APPROVED,
  runId: 'run-1',
  callId: 'call-1',
  tool: 'lookup_note',
  argsHash: hashCanonical({ text: 'a' }),
  requestedBy: 'alice',
  decidedBy: 'pat',
  deciderGroups: ['approver'],
  decidedAt: NOW_S,
  expiresAt: NOW_S + 600,
  summary: '{}',
  ...overrides,
});

/** An approval reader holding one record (or none), counting its reads. */
const fakeReader = (record: StoredApproval | undefined) => {
  const reads: string[] = [];
  return { reads, store: { get: async (approvalId: string) => (reads.push(approvalId), record) } };
};

/** The gate alone around a handler that notes whether it ran. */
const gated = (reader: ReturnType<typeof fakeReader>, options: Partial<ApprovalGateOptions> = {}) => {
  const ran: boolean[] = [];
  const call = throughMiddy(
    approvalGate({ store: reader.store, tool: 'lookup_note', ...options }),
    async () => (ran.push(true), { ran: true }),
  );
  return { ran, call };
};

describe('approvalGate, alone through middy', () => {
  it('runs the call when a decided approval by another approver is bound to it, reading it once', async () => {
    const reader = fakeReader(approvalFor());
    const { call, ran } = gated(reader);
    expect(await call({ approvalId: 'ap-1' })).toEqual({ ran: true });
    expect([reader.reads, ran]).toEqual([['ap-1'], [true]]);
  });

  it('refuses a call without an approval id, and reads nothing', async () => {
    const reader = fakeReader(approvalFor());
    const { call, ran } = gated(reader);
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApprovalMissingError);
    expect((error as Error).message).toMatch(/no approval id/);
    expect([reader.reads, ran]).toEqual([[], []]);
  });

  it.each([
    ['denied', approvalFor({ status: ApprovalStatus.DENIED }), ApprovalDeniedError, /denied/],
    ['expired', approvalFor({ status: ApprovalStatus.EXPIRED }), ApprovalExpiredError, /in time/],
    ['still pending', approvalFor({ status: ApprovalStatus.PENDING, decidedBy: undefined }), ApprovalMissingError, /pending/],
    ['not there', undefined, ApprovalMissingError, /missing/],
    ['for other arguments', approvalFor({ argsHash: hashCanonical({ text: 'b' }) }), ApprovalMissingError, /mismatch/],
    ['for another call', approvalFor({ callId: 'call-2' }), ApprovalMissingError, /mismatch/],
    ['approved by the requester', approvalFor({ decidedBy: 'alice' }), ApprovalMissingError, /self-approved/],
    ['approved by someone who is not an approver', approvalFor({ deciderGroups: ['user'] }), ApprovalMissingError, /not-an-approver/],
  ])('refuses an approval %s, and the handler never runs', async (_what, record, errorClass, reason) => {
    const { call, ran } = gated(fakeReader(record));
    const error = await call({ approvalId: 'ap-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toMatch(reason);
    expect(ran).toEqual([]);
  });

  it('counts a quorum from the tool’s declaration, not from the record', async () => {
    const vote = (userId: string) => ({ userId, groups: ['approver'], at: NOW_S });
    const oneVote = approvalFor({ approvers: ['pat'], votes: [vote('pat')] });
    await expect(gated(fakeReader(oneVote), { quorum: 2 }).call({ approvalId: 'ap-1' })).rejects.toThrow(/short-of-quorum/);
    const twoVotes = approvalFor({ approvers: ['pat', 'quinn'], votes: [vote('pat'), vote('quinn')] });
    expect(await gated(fakeReader(twoVotes), { quorum: 2 }).call({ approvalId: 'ap-1' })).toEqual({ ran: true });
  });

  it('counts the escalation group’s decision only once the approval was escalated to it', async () => {
    const byOncall = (escalateAt: number) => approvalFor({ decidedBy: 'eve', deciderGroups: ['oncall'], escalateAt });
    const options = { escalationGroup: 'oncall' };
    expect(await gated(fakeReader(byOncall(NOW_S - 1)), options).call({ approvalId: 'ap-1' })).toEqual({ ran: true });
    await expect(gated(fakeReader(byOncall(NOW_S + 1)), options).call({ approvalId: 'ap-1' })).rejects.toThrow(/not-an-approver/);
    await expect(gated(fakeReader(byOncall(NOW_S - 1))).call({ approvalId: 'ap-1' })).rejects.toThrow(/not-an-approver/);
  });

  it('lets a call its `required` says needs none through without reading, approval id or not', async () => {
    const reader = fakeReader(approvalFor({ status: ApprovalStatus.DENIED }));
    const required = (invocation: ToolInvocation) => invocation.untrusted !== undefined;
    expect(await gated(reader, { required }).call({ approvalId: 'ap-1' })).toEqual({ ran: true });
    expect(reader.reads).toEqual([]);
    await expect(
      gated(reader, { required }).call({ approvalId: 'ap-1', untrusted: { tool: 'fetch_url', callId: 'c0' } }),
    ).rejects.toBeInstanceOf(ApprovalDeniedError);
    expect(reader.reads).toEqual(['ap-1']);
  });

  it('names its hook as middy names them', () => {
    expect(approvalGate({ store: fakeReader(undefined).store, tool: 'lookup_note' }).before?.name).toBe('approvalGateBefore');
  });
});
