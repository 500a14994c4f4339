import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '#shared/audit/index.ts';
import { until, useLocalServer } from '../../support/local-server.ts';
import { emailRunWaitingForApproval, succeededRun } from '../../support/approval-runs.ts';

// Approvals beyond the approver group, through npm start's API and the synthesized state machine,
// with the demo stack deployed with `approvalEscalation` (after 1 s, group `oncall`): escalation
// offers a waiting approval to the second group (the local sweep runs every second, as the
// deployed rule does every minute); delegation hands one to a named colleague. Either way the call
// runs once, and the tool's own function accepts the decision.
const world = useLocalServer({
  stack: { approvalEscalation: { after: Duration.seconds(1), group: 'oncall' } },
  extraUsers: [
    { token: 'local-oncall-token', userId: 'eve', groups: ['oncall'] },
    { token: 'local-colleague-token', userId: 'dan', groups: ['user'] },
  ],
});
const owner = () => world.tokenOfRole('admin');
const approver = () => world.tokenOfRole('approver');

const startEmailRun = (subject: string) => emailRunWaitingForApproval(world, subject);
const endedRun = (runId: string) => succeededRun(world, runId);
const sent = async (subject: string) => (await world.system.sentMail()).filter((m) => m.subject === subject);

describe('escalation (GuardedAgent approvalEscalation)', () => {
  it('offers a waiting approval to the second group once it has waited, and the call runs once on their decision', async () => {
    const { runId, approvalId } = await startEmailRun('Escalated');
    // The sweep marks it escalated (once) after escalateAt; from then on the group sees it and may decide it.
    await until(() => (world.system.events.includes(`approvalEscalated:${approvalId}`) ? true : undefined), 15_000);
    const listed = (await world.api('GET', '/approvals', 'local-oncall-token')).body.approvals as Array<Record<string, unknown>>;
    expect(listed.find((a) => a.approvalId === approvalId)).toMatchObject({ escalated: true, escalateAt: expect.any(Number) });
    expect(await world.api('POST', `/approvals/${approvalId}`, 'local-oncall-token', { decision: 'approve' })).toMatchObject({
      status: 200,
      body: { status: 'APPROVED', decidedBy: 'eve' },
    });
    await endedRun(runId);
    expect(await sent('Escalated')).toHaveLength(1);
    expect(world.system.events.filter((e) => e === `approvalEscalated:${approvalId}`)).toHaveLength(1);
  });
});

describe('delegation (POST /approvals/{id}/delegate)', () => {
  it('lets an approver hand an approval to a named colleague, who alone of the non-approvers may decide it; audited', async () => {
    const { runId, approvalId } = await startEmailRun('Delegated');
    // Before: the colleague sees nothing and may decide nothing.
    expect((await world.api('GET', '/approvals', 'local-colleague-token')).status).toBe(403);
    expect((await world.api('POST', `/approvals/${approvalId}`, 'local-colleague-token', { decision: 'approve' })).status).toBe(403);
    // Nobody but someone who may decide it may hand it on; not to the requester, not to oneself.
    expect((await world.api('POST', `/approvals/${approvalId}/delegate`, 'local-colleague-token', { to: 'dan' })).status).toBe(400);
    expect((await world.api('POST', `/approvals/${approvalId}/delegate`, world.tokenOfRole('user'), { to: 'dan' })).status).toBe(403);
    expect((await world.api('POST', `/approvals/${approvalId}/delegate`, approver(), { to: 'adam' })).status).toBe(400);
    expect(
      await world.api('POST', `/approvals/${approvalId}/delegate`, approver(), { to: 'dan', reason: 'Dan owns the customer.' }),
    ).toMatchObject({ status: 200, body: { delegatedTo: 'dan', delegatedBy: 'pat' } });
    const listed = (await world.api('GET', '/approvals', 'local-colleague-token')).body.approvals as Array<Record<string, unknown>>;
    expect(listed).toEqual([expect.objectContaining({ approvalId, delegatedTo: 'dan', delegatedBy: 'pat' })]);
    // Another plain user still may not.
    expect((await world.api('POST', `/approvals/${approvalId}`, world.tokenOfRole('user'), { decision: 'approve' })).status).toBe(403);
    // The delegate decides it as asked: they cannot hand it on again, nor change what runs.
    expect(await world.api('POST', `/approvals/${approvalId}/delegate`, 'local-colleague-token', { to: 'uma' })).toMatchObject({
      status: 403,
      body: { error: { message: expect.stringContaining('cannot be handed on again') } },
    });
    const edited = { to: 'jane@example.com', subject: 'Delegated', body: 'Changed by the delegate.' };
    expect(
      await world.api('POST', `/approvals/${approvalId}`, 'local-colleague-token', { decision: 'approve', arguments: edited }),
    ).toMatchObject({ status: 403, body: { error: { message: expect.stringContaining('Only an approver may change') } } });
    expect(await world.api('GET', '/approvals', 'local-colleague-token')).toMatchObject({
      body: { approvals: [expect.objectContaining({ approvalId, delegatedTo: 'dan', delegatedBy: 'pat' })] },
    });
    expect((await world.api('POST', `/approvals/${approvalId}`, 'local-colleague-token', { decision: 'approve' })).status).toBe(200);
    await endedRun(runId);
    expect(await sent('Delegated')).toHaveLength(1);
    const records = (await world.api('GET', `/runs/${runId}/audit`, owner())).body.records as AuditRecord[];
    expect(records.filter((r) => r.approvalId === approvalId).map((r) => [r.status, r.userId])).toEqual(
      expect.arrayContaining([
        ['delegated', 'pat'],
        ['decision-refused', 'dan'],
        ['approved', 'dan'],
        ['executed', 'adam'],
      ]),
    );
  });
});
