import { describe, expect, it } from 'vitest';
import { judgeDecision } from '#shared/approval/approval-decision.ts';
import type { NewApproval } from '#shared/approval/approval-request.ts';
import { DynamoDbApprovalStore } from '#shared/approval/dynamodb-approval-store.ts';
import { ApprovalDecisionRefusedError } from '#shared/approval/errors.ts';
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { embeddedClientConfig } from '../../../infra/local/embedded-aws.ts';
import { injectDynamoDbFaults } from '../../../infra/sim/dynamodb-faults.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();
const NOW = 1_800_000_000;
let n = 0;
const newApproval = (overrides: Partial<NewApproval> = {}): NewApproval => ({
  approvalId: `ap-${++n}`,
  runId: 'run-1',
  callId: `c-${n}`,
  tool: 'send_email',
  argsHash: 'h',
  requestedBy: 'adam',
  summary: '{"to":"jane@example.com"}',
  shown: '{"to":"jane@example.com"}',
  taskToken: `token-secret-${n}`,
  expiresAt: NOW + 600,
  requestedAtMs: NOW * 1000,
  ...overrides,
});
/** The store with its clock at `atSeconds` (epoch seconds, as approvals count time). */
const store = (atSeconds = NOW) =>
  new DynamoDbApprovalStore({ client: world.db.client, tableName: world.tables.approvals, now: () => atSeconds * 1000 });
const pat = { userId: 'pat', groups: ['approver'] };
const refusal = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'decided',
    (error: unknown) => (error instanceof ApprovalDecisionRefusedError ? `${error.status} ${error.reason}` : String(error)),
  );

describe('DynamoDbApprovalStore.decide', () => {
  it('decides exactly once among 6 concurrent clicks and again later, and hands the token to the winner only', async () => {
    const approval = newApproval();
    await store().create(approval);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        store().decide(approval.approvalId, 'approve', { userId: `approver-${i}`, groups: ['approver'] }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<{ taskToken: string }>).value.taskToken).toBe(approval.taskToken);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 409, reason: 'already-decided' });
    expect(await refusal(store(NOW + 60).decide(approval.approvalId, 'approve', pat))).toBe('409 already-decided');
    expect(await store().get(approval.approvalId)).toMatchObject({ status: 'APPROVED', deciderGroups: ['approver'] });
  });

  it('refuses the requester, a non-approver, an unknown id and an expired approval', async () => {
    const approval = newApproval();
    await store().create(approval);
    expect(await refusal(store().decide(approval.approvalId, 'approve', { userId: 'adam', groups: ['approver', 'admin'] }))).toBe(
      '403 own-call',
    );
    expect(await refusal(store().decide(approval.approvalId, 'approve', { userId: 'olga', groups: ['admin'] }))).toBe(
      '403 not-an-approver',
    );
    expect(await refusal(store().decide('ap-missing', 'approve', pat))).toBe('404 not-found');
    expect(await refusal(store(approval.expiresAt).decide(approval.approvalId, 'approve', pat))).toBe('409 expired');
    expect(await store().get(approval.approvalId)).toMatchObject({ status: 'PENDING' });
  });

  it('records a denial, and expires only what is still pending', async () => {
    const denied = newApproval();
    const waiting = newApproval();
    await store().create(denied);
    await store().create(waiting);
    await store().decide(denied.approvalId, 'deny', pat, 'not today');
    expect(await store().get(denied.approvalId)).toMatchObject({ status: 'DENIED', decidedBy: 'pat' });
    expect(await store().expire(denied.approvalId)).toBe(false);
    expect(await store().expire(waiting.approvalId)).toBe(true);
    // An expired approval says so, not that somebody decided it.
    expect(await refusal(store().decide(waiting.approvalId, 'approve', pat))).toBe('409 expired');
  });

  it('never returns the task token from a read, and never resets a decided approval', async () => {
    const approval = newApproval();
    await store().create(approval);
    expect(JSON.stringify(await store().get(approval.approvalId))).not.toContain('token-secret');
    await store().decide(approval.approvalId, 'approve', pat);
    await expect(store().create(approval)).rejects.toThrow();
    expect(await store().get(approval.approvalId)).toMatchObject({ status: 'APPROVED' });
  });
});

describe('DynamoDbApprovalStore: who waits on a decision', () => {
  it('answers the waiting task’s token to the decision that ends it, and no token where nobody waits (MCP)', async () => {
    const waiting = newApproval();
    await store().create(waiting);
    expect((await store().decide(waiting.approvalId, 'approve', pat)).taskToken).toBe(waiting.taskToken);
    const { taskToken: _none, ...nobody } = newApproval({ notify: 'none' });
    await store().create(nobody);
    expect(await store().decide(nobody.approvalId, 'approve', pat)).toMatchObject({ taskToken: '', record: { status: 'APPROVED' } });
  });

  it('refuses a task with no token to answer, and a token where nobody waits', async () => {
    const { taskToken: _token, ...tokenless } = newApproval();
    await expect(store().create(tokenless)).rejects.toThrow(/notify 'task' needs the waiting task's token/);
    await expect(store().create(newApproval({ notify: 'none' }))).rejects.toThrow(/notify 'none' has none/);
  });

  it('reads the sentinel token MCP approvals carried before notify existed as nobody waiting', async () => {
    const legacy = newApproval({ taskToken: 'mcp:no-execution-waits' });
    await store().create(legacy);
    expect((await store().decide(legacy.approvalId, 'deny', pat)).taskToken).toBe('');
  });
});

describe('DynamoDbApprovalStore.decide with a quorum', () => {
  const approver = (i: number) => ({ userId: `approver-${i}`, groups: ['approver'] });

  it('counts each approver once, and the vote that completes a quorum of 2 decides it: once, among 6 racing', async () => {
    const approval = newApproval({ quorum: 2 });
    await store().create(approval);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => store().decide(approval.approvalId, 'approve', approver(i))),
    );
    const answered = results.filter((r) => r.status === 'fulfilled');
    // Exactly one caller gets the token (and resumes the execution); the others were counted, or came after the decision.
    expect(answered.map((r) => r.value.taskToken).filter((token) => token !== '')).toEqual([approval.taskToken]);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 409, reason: 'already-decided' });
    const decided = await store().get(approval.approvalId);
    expect(decided).toMatchObject({ status: 'APPROVED', quorum: 2 });
    expect(new Set(decided?.approvers).size).toBeGreaterThanOrEqual(2);
  });

  it('keeps the call waiting after one yes, refuses the same approver twice and the requester, and any no denies it', async () => {
    const approval = newApproval({ quorum: 2 });
    await store().create(approval);
    const first = await store().decide(approval.approvalId, 'approve', pat);
    expect(first).toMatchObject({ taskToken: '', record: { status: 'PENDING', approvers: ['pat'] } });
    expect(await refusal(store().decide(approval.approvalId, 'approve', pat))).toBe('409 already-voted');
    expect(await refusal(store().decide(approval.approvalId, 'approve', { userId: 'adam', groups: ['approver'] }))).toBe('403 own-call');
    const denied = await store().decide(approval.approvalId, 'deny', approver(9), 'no');
    expect(denied).toMatchObject({ taskToken: approval.taskToken, record: { status: 'DENIED', decidedBy: 'approver-9' } });
    expect(await refusal(store().decide(approval.approvalId, 'approve', approver(8)))).toBe('409 already-decided');
  });
});

describe('DynamoDbApprovalStore.decide when an answer is lost on the way', () => {
  /** The store on a client whose `nth` UpdateItem takes effect and then times out (the SDK sends it again, as it does on AWS). */
  const lossy = (nth = 1) => {
    const client = createDynamoDbClient(embeddedClientConfig(world.db.endpoint));
    let updates = 0;
    injectDynamoDbFaults('approvals', client, {
      decide: ((point: string) => (point.endsWith(':UpdateItem') && ++updates === nth ? 'timeout-after' : undefined)) as never,
      outage: () => false,
    });
    return new DynamoDbApprovalStore({ client, tableName: world.tables.approvals, now: () => NOW * 1000 });
  };

  it('answers a decision whose write took effect as the one that decided it: with the token, never as already decided', async () => {
    const approval = newApproval();
    await store().create(approval);
    const decided = await lossy().decide(approval.approvalId, 'approve', pat);
    expect(decided).toMatchObject({ taskToken: approval.taskToken, record: { status: 'APPROVED', decidedBy: 'pat' } });
    expect(decided.repeated).toBeUndefined();
    // Someone else, after: refused as ever.
    expect(await refusal(store().decide(approval.approvalId, 'approve', { userId: 'quinn', groups: ['approver'] }))).toBe(
      '409 already-decided',
    );
  });

  it('gives the same person repeating the same decision the token again (their retry), and refuses them another', async () => {
    const approval = newApproval();
    await store().create(approval);
    const first = await store().decide(approval.approvalId, 'deny', pat, 'no');
    const again = await store().decide(approval.approvalId, 'deny', pat, 'no');
    expect(again).toEqual({ ...first, repeated: { reason: 'no' } });
    expect(again.record.decidedAtMs).toBe(NOW * 1000);
    expect(await refusal(store().decide(approval.approvalId, 'approve', pat))).toBe('409 already-decided');
  });

  it('counts a vote whose write took effect once, and the completing vote whose answer was lost still decides it', async () => {
    const approval = newApproval({ quorum: 2 });
    await store().create(approval);
    expect(await lossy().decide(approval.approvalId, 'approve', pat)).toMatchObject({ taskToken: '', record: { approvers: ['pat'] } });
    // The second vote's count lands; then its completing write takes effect and times out.
    const completed = await lossy(2).decide(approval.approvalId, 'approve', { userId: 'quinn', groups: ['approver'] });
    expect(completed).toMatchObject({ taskToken: approval.taskToken, record: { status: 'APPROVED', decidedBy: 'quinn' } });
  });
});

describe('judgeDecision', () => {
  const record = {
    approvalId: 'a',
    status: 'PENDING' as const,
    runId: 'r',
    callId: 'c',
    tool: 't',
    argsHash: 'h',
    requestedBy: 'adam',
    expiresAt: 100,
  };
  it.each([
    ['allowed', record, pat, 50],
    ['not-found', undefined, pat, 50],
    ['not-an-approver', record, { userId: 'x', groups: ['admin'] }, 50],
    ['own-call', record, { userId: 'adam', groups: ['approver'] }, 50],
    ['already-decided', { ...record, status: 'DENIED' as const }, pat, 50],
    ['expired', record, pat, 100],
  ] as const)('%s', (verdict, r, decider, now) => {
    expect(judgeDecision(r, decider, 'approver', now)).toEqual({ verdict });
  });
});

describe('DynamoDbApprovalStore.decide with an edit', () => {
  const edit = (fromHash: string) => ({
    arguments: { to: 'john@example.com' },
    argsHash: 'h-edited',
    summary: '{"to":"john@example.com"}',
    shown: '{"to":"john@example.com"}',
    shortened: false,
    from: { argsHash: fromHash, summary: '' },
  });

  it('re-binds the approval to the edited arguments in the write that decides it, keeping what was asked for', async () => {
    const approval = newApproval();
    await store().create(approval);
    const { record, taskToken } = await store().decide(approval.approvalId, 'approve', pat, undefined, {
      ...edit('h'),
      from: { argsHash: 'h', summary: approval.summary },
    });
    expect(taskToken).toBe(approval.taskToken);
    expect(record).toMatchObject({
      status: 'APPROVED',
      argsHash: 'h-edited',
      summary: '{"to":"john@example.com"}',
      edited: { by: 'pat', originalArgsHash: 'h', originalSummary: approval.summary },
    });
  });

  it('refuses an edit of arguments other than those asked for, of a call that needs a quorum, and with a denial', async () => {
    const stale = newApproval();
    await store().create(stale);
    expect(await refusal(store().decide(stale.approvalId, 'approve', pat, undefined, edit('h-other')))).toBe('409 already-decided');
    expect(await store().get(stale.approvalId)).toMatchObject({ status: 'PENDING', argsHash: 'h' });
    const quorum = newApproval({ quorum: 2 });
    await store().create(quorum);
    expect(await refusal(store().decide(quorum.approvalId, 'approve', pat, undefined, edit('h')))).toBe('400 edit-needs-one-approver');
    expect(await store().get(quorum.approvalId)).toMatchObject({ status: 'PENDING', argsHash: 'h' });
    await expect(store().decide(stale.approvalId, 'deny', pat, undefined, edit('h'))).rejects.toThrow('Only an approval');
  });
});

describe('DynamoDbApprovalStore: escalation and delegation', () => {
  const withEscalation = (atSeconds = NOW) =>
    new DynamoDbApprovalStore({
      client: world.db.client,
      tableName: world.tables.approvals,
      escalationGroup: 'oncall',
      now: () => atSeconds * 1000,
    });
  const eve = { userId: 'eve', groups: ['oncall'] };
  const dan = { userId: 'dan', groups: ['user'] };

  it('lets the escalation group decide only from escalateAt on, and marks it escalated once', async () => {
    const approval = newApproval({ escalateAt: NOW + 60 });
    await withEscalation().create(approval);
    expect(await refusal(withEscalation(NOW + 59).decide(approval.approvalId, 'approve', eve))).toBe('403 not-an-approver');
    expect(await withEscalation(NOW + 59).markEscalated(approval.approvalId)).toBe(false);
    expect(await withEscalation(NOW + 60).markEscalated(approval.approvalId)).toBe(true);
    expect(await withEscalation(NOW + 61).markEscalated(approval.approvalId)).toBe(false);
    // A store that knows no escalation group treats the group as nobody.
    expect(await refusal(store(NOW + 60).decide(approval.approvalId, 'approve', eve))).toBe('403 not-an-approver');
    expect((await withEscalation(NOW + 60).decide(approval.approvalId, 'approve', eve)).record).toMatchObject({
      status: 'APPROVED',
      decidedBy: 'eve',
      deciderGroups: ['oncall'],
      escalatedAt: NOW + 60,
    });
  });

  it('hands an approval to a named colleague, who may then decide it; nobody else outside the approvers may', async () => {
    const approval = newApproval();
    await store().create(approval);
    expect(await refusal(store().decide(approval.approvalId, 'approve', dan))).toBe('403 not-an-approver');
    expect(await refusal(store().delegate(approval.approvalId, dan, 'dan'))).toBe('403 not-an-approver');
    expect(await store().delegate(approval.approvalId, pat, 'dan')).toMatchObject({ delegatedTo: 'dan', delegatedBy: 'pat' });
    expect(await refusal(store().decide(approval.approvalId, 'approve', { userId: 'uma', groups: ['user'] }))).toBe('403 not-an-approver');
    expect((await store().decide(approval.approvalId, 'approve', dan)).record).toMatchObject({ status: 'APPROVED', decidedBy: 'dan' });
    expect(await refusal(store().delegate(approval.approvalId, pat, 'olga'))).toBe('409 already-decided');
  });
});
