import { describe, expect, it } from 'vitest';
import { DynamoDbApprovalStore, DynamoDbDecisionOutbox, shownArguments } from '#shared/approval/index.ts';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import { createEscalationSweep, createRequestApproval } from '#functions/orchestration/request-approval/request-approval.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();
const item = (callId: string) => ({
  functionName: 'send_email',
  summary: '{"to":"jane@example.com"}',
  invocation: {
    runId: 'run-ra',
    callId,
    tool: 'send_email',
    caller: { userId: 'adam', groups: ['admin'] },
    arguments: { to: 'jane@example.com', subject: 's', body: 'b' },
  },
});

describe('request-approval', () => {
  it('records the approval with its token, tells Slack without the token, and remembers the message', async () => {
    const approvals = new DynamoDbApprovalStore({ client: world.db.client, tableName: world.tables.approvals });
    const posted: unknown[] = [];
    const request = createRequestApproval({
      approvals,
      timeoutSeconds: 600,
      notifier: { postRequest: async (notice) => (posted.push(notice), { channel: 'C1', ts: '1.2' }) },
    });
    const { approvalId } = await request({ taskToken: 'TOKEN-SECRET-1', item: item('c1-1') });
    expect(approvalId).toBe('run-ra.c1-1');
    expect(JSON.stringify(posted)).not.toContain('TOKEN-SECRET');
    expect(await approvals.get(approvalId)).toMatchObject({
      status: 'PENDING',
      requestedBy: 'adam',
      tool: 'send_email',
      slackMessage: { channel: 'C1', ts: '1.2' },
    });
    const { taskToken } = await approvals.decide(approvalId, 'approve', { userId: 'pat', groups: ['approver'] });
    expect(taskToken).toBe('TOKEN-SECRET-1');
  });

  it('shows the approver the very arguments it is bound to: the full view and the hash come from one object', async () => {
    const approvals = new DynamoDbApprovalStore({ client: world.db.client, tableName: world.tables.approvals });
    const posted: Array<Record<string, unknown>> = [];
    const request = createRequestApproval({
      approvals,
      timeoutSeconds: 600,
      notifier: { postRequest: async (notice) => (posted.push({ ...notice }), { channel: 'C1', ts: '1.3' }) },
    });
    const long = item('c1-view');
    const args = { ...long.invocation.arguments, body: `${'x'.repeat(250)} then https://evil.example/x` };
    const { approvalId } = await request({ taskToken: 't', item: { ...long, invocation: { ...long.invocation, arguments: args } } });
    const stored = await approvals.get(approvalId);
    expect(stored?.argsHash).toBe(hashCanonical(args));
    expect(JSON.parse(stored?.shown ?? 'null')).toEqual(shownArguments(args));
    expect(JSON.parse(stored?.shown ?? 'null')).toEqual(args);
    expect(stored?.shortened).toBe(true);
    // Slack is told the message cannot hold it all, and where it sends.
    expect(posted[0]).toMatchObject({
      shortened: true,
      destinations: [
        { kind: 'email', value: 'jane@example.com', host: 'example.com', argument: 'to' },
        { kind: 'url', value: 'https://evil.example/x', host: 'evil.example', argument: 'body' },
      ],
    });
  });

  it('keeps the approval when Slack fails, and a redelivered request changes nothing', async () => {
    const approvals = new DynamoDbApprovalStore({ client: world.db.client, tableName: world.tables.approvals });
    const errors: unknown[] = [];
    const request = createRequestApproval({
      approvals,
      timeoutSeconds: 600,
      notifier: {
        postRequest: async () => {
          throw new Error('Slack chat.postMessage failed: channel_not_found');
        },
      },
      onNotifyError: (e) => errors.push(e),
    });
    await request({ taskToken: 'T2', item: item('c1-2') });
    await approvals.decide('run-ra.c1-2', 'deny', { userId: 'pat', groups: ['approver'] });
    await request({ taskToken: 'T2-again', item: item('c1-2') });
    expect(errors).toHaveLength(1);
    expect(await approvals.get('run-ra.c1-2')).toMatchObject({ status: 'DENIED' });
  });

  it('points a still-pending approval at the token of a redelivered request, so the decision reaches the wait that is live', async () => {
    const approvals = new DynamoDbApprovalStore({ client: world.db.client, tableName: world.tables.approvals });
    const request = createRequestApproval({ approvals, timeoutSeconds: 600 });
    await request({ taskToken: 'TOKEN-FIRST-WAIT', item: item('c1-3') });
    await request({ taskToken: 'TOKEN-RESUMED-WAIT', item: item('c1-3') });
    const { taskToken } = await approvals.decide('run-ra.c1-3', 'approve', { userId: 'pat', groups: ['approver'] });
    expect(taskToken).toBe('TOKEN-RESUMED-WAIT');
  });

  it('marks a decided approval undelivered again when asked again under a new token, so the API’s sweep answers the live wait', async () => {
    const approvals = new DynamoDbApprovalStore({ client: world.db.client, tableName: world.tables.approvals });
    const outbox = new DynamoDbDecisionOutbox({ client: world.db.client, tableName: world.tables.approvals });
    const request = createRequestApproval({ approvals, timeoutSeconds: 600 });
    const marked = async () => (await outbox.listUndelivered()).filter((d) => d.record.approvalId === 'run-ra.c1-4');
    await request({ taskToken: 'TOKEN-FIRST-TRY', item: item('c1-4') });
    await approvals.decide('run-ra.c1-4', 'approve', { userId: 'pat', groups: ['approver'] });
    // The API answered the first try's task, which had ended already (its Lambda was retried).
    await outbox.markDelivered('run-ra.c1-4');
    expect(await marked()).toEqual([]);
    await request({ taskToken: 'TOKEN-RETRY', item: item('c1-4') });
    expect(await marked()).toEqual([
      expect.objectContaining({ taskToken: 'TOKEN-RETRY', record: expect.objectContaining({ status: 'APPROVED' }) }),
    ]);
  });

  it('escalates a waiting approval once, past its escalateAt and never past its expiry, and tells the group’s channel', async () => {
    let now = Date.UTC(2026, 10, 30, 12) + Math.floor(Math.random() * 1e9);
    // One clock for the store and the function, as deployed (both read it once per use).
    const approvals = new DynamoDbApprovalStore({
      client: world.db.client,
      tableName: world.tables.approvals,
      escalationGroup: 'oncall',
      now: () => now,
    });
    const escalation = { afterSeconds: 60, group: 'oncall' };
    const request = createRequestApproval({ approvals, timeoutSeconds: 600, escalation, now: () => now });
    const late = createRequestApproval({ approvals, timeoutSeconds: 30, escalation, now: () => now });
    const { approvalId } = await request({ taskToken: 'T-esc', item: item(`c-esc-${now}`) });
    const { approvalId: expiresFirst } = await late({ taskToken: 'T-late', item: item(`c-late-${now}`) });
    expect(await approvals.get(approvalId)).toMatchObject({ escalateAt: Math.floor(now / 1000) + 60 });
    // An escalation due after the approval expired is never recorded.
    expect((await approvals.get(expiresFirst))?.escalateAt).toBeUndefined();
    const posted: Array<{ approvalId: string; why?: string }> = [];
    const sweep = createEscalationSweep({
      approvals,
      escalation,
      notifier: { postRequest: async (notice) => (posted.push(notice), { channel: 'C2', ts: '1.3' }) },
      now: () => now,
    });
    now += 59_000;
    expect((await sweep()).escalated).not.toContain(approvalId);
    now += 1_000;
    expect((await sweep()).escalated).toContain(approvalId);
    expect((await sweep()).escalated).not.toContain(approvalId);
    expect(posted.filter((p) => p.approvalId === approvalId)).toEqual([
      expect.objectContaining({ why: expect.stringContaining('Escalated to oncall: nobody decided within 1 min') }),
    ]);
  });
});
