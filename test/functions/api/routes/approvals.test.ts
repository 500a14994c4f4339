import { createHmac } from 'node:crypto';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startingRun } from '#shared/runs/index.ts';
import { deliverStoredDecisions } from '#functions/api/decision-delivery.ts';
import { useApiHarness, users, SLACK_SECRET } from '../api-harness.ts';

// The approval routes: deciding from the API and Slack, exactly once, and the sweep that delivers a stored decision.

const api = useApiHarness();

describe('approvals', () => {
  const pending = async (callId: string, runId = 'run-api-appr') => {
    const approvalId = `${runId}.${callId}`;
    await api.deps.approvals.create({
      approvalId,
      runId,
      callId,
      tool: 'send_email',
      argsHash: 'h',
      requestedBy: 'adam',
      summary: '{"to":"j@example.com"}',
      shown: '{"to":"j@example.com"}',
      taskToken: `SECRET-TOKEN-${callId}`,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
      requestedAtMs: Date.now(),
    });
    return approvalId;
  };

  it('answers a decision 200 when the twin request sent with it (a double click) answered the task first', async () => {
    const id = await pending('c1-10');
    // The twin reached Step Functions first: this request's token is refused as a closed task's.
    api.resumed.push({ token: 'SECRET-TOKEN-c1-10', output: { approvalId: id, decision: 'approve' } });
    expect(await api.call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve' } })).toMatchObject({
      status: 200,
      body: { status: 'APPROVED', decidedBy: 'pat' },
    });
  });

  /** A run whose execution waits (its record RUNNING). */
  const runningRun = async () => {
    const runId = api.deps.newRunId();
    await api.deps.runs.create(startingRun({ runId, owner: 'adam', groups: ['admin'], input: 'Email Jane', maxIterations: 5 }));
    return runId;
  };
  const undelivered = async () => (await api.deps.decisions.listUndelivered()).map((d) => d.record.approvalId);
  const sweep = (settleMs = 0) => deliverStoredDecisions(api.deps, { settleMs, graceMs: 60_000 });

  it('delivers a decision the API stored but could not deliver: the sweep answers the task once, with the edit, and its record once', async () => {
    const runId = await runningRun();
    const id = await pending('c1-20', runId);
    const edited = { to: 'jane@example.com', subject: 'Edited', body: 'Shipped.' };
    api.stepFunctionsDown = true;
    const answered = await api
      .call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve', arguments: edited } })
      .finally(() => (api.stepFunctionsDown = false));
    expect(answered.status).toBe(500);
    expect(await undelivered()).toContain(id);
    // Younger than the API's own try: left to it.
    expect((await sweep(60_000)).delivered).not.toContain(id);
    expect((await sweep()).delivered).toContain(id);
    expect(api.resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-20')).toEqual([
      { token: 'SECRET-TOKEN-c1-20', output: { approvalId: id, decision: 'approve', arguments: edited } },
    ]);
    // The API had written the record before the task failed: the sweep adds none.
    const records = (await api.deps.audit.listByRun(runId)).filter((r) => r.approvalId === id);
    expect(records).toEqual([expect.objectContaining({ status: 'approved', userId: 'pat', edited: expect.any(Object) })]);
    expect(await undelivered()).not.toContain(id);
    expect([...(await sweep()).delivered, ...(await sweep()).closed]).not.toContain(id);
  });

  it('writes the record the API could not, before it answers the task; a decision nobody waits on any more is only unmarked', async () => {
    const runId = await runningRun();
    const waiting = await pending('c1-21', runId);
    // Decided in the store, then the API went down: no record, no answer.
    await api.deps.approvals.decide(waiting, 'deny', users.pat!, 'not now');
    // Its run does not exist (ended, for the sweep): its chain may be sealed.
    const gone = await pending('c1-22');
    await api.deps.approvals.decide(gone, 'approve', users.pat!);
    const swept = await sweep();
    expect(swept).toMatchObject({ delivered: expect.arrayContaining([waiting]), closed: expect.arrayContaining([gone]), failed: [] });
    expect(swept.delivered).not.toContain(gone);
    expect((await api.deps.audit.listByRun(runId)).filter((r) => r.approvalId === waiting)).toEqual([
      expect.objectContaining({ status: 'denied', userId: 'pat', result: expect.stringContaining('"reason":"not now"') }),
    ]);
    expect(api.resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-21')).toEqual([
      { token: 'SECRET-TOKEN-c1-21', output: { approvalId: waiting, decision: 'deny' } },
    ]);
    expect((await api.deps.audit.listByRun('run-api-appr')).filter((r) => r.approvalId === gone)).toEqual([]);
    expect(api.resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-22')).toEqual([]);
    expect(await undelivered()).not.toContain(waiting);
    expect(await undelivered()).not.toContain(gone);
  });

  it('lists pending approvals to approvers only, without the task token', async () => {
    const id = await pending('c1-1');
    expect((await api.call('GET', '/approvals', { as: 'adam' })).status).toBe(403);
    const listed = await api.call('GET', '/approvals', { as: 'pat', query: { status: 'pending' } });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(id);
    expect(JSON.stringify(listed.body)).not.toContain('SECRET-TOKEN');
  });

  it('decides once: the approver resumes the execution, a second decision is 409, the requester and non-approvers 403', async () => {
    const id = await pending('c1-2');
    expect((await api.call('POST', `/approvals/${id}`, { as: 'adam', body: { decision: 'approve' } })).status).toBe(403);
    const decided = await api.call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve', reason: 'ok' } });
    expect(decided).toMatchObject({ status: 200, body: { status: 'APPROVED', decidedBy: 'pat' } });
    expect(JSON.stringify(decided)).not.toContain('SECRET-TOKEN');
    expect(api.resumed.at(-1)).toEqual({ token: 'SECRET-TOKEN-c1-2', output: { approvalId: id, decision: 'approve' } });
    // Delivered: nothing is left for the sweep.
    expect(await undelivered()).not.toContain(id);
    expect(await api.call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'deny' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'ALREADY_DECIDED' } },
    });
    // The approver's retry of the same decision (as after an error) is answered as decided; its task had ended already.
    // Its record is written again as it was: a different reason now would change a record the chain may have sealed.
    expect(
      await api.call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve', reason: 'changed my mind' } }),
    ).toMatchObject({
      status: 200,
      body: { status: 'APPROVED', decidedBy: 'pat' },
    });
    expect(api.resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-2')).toHaveLength(1);
    const audit = await api.deps.audit.listByRun('run-api-appr');
    // The requester's try while it was pending is on the record; the late 409 on a decided approval is not.
    const records = audit.filter((r) => r.approvalId === id);
    expect(records).toHaveLength(2);
    const refused = records.find((r) => r.status === 'decision-refused');
    const approved = records.find((r) => r.status === 'approved');
    expect(approved).toMatchObject({
      userId: 'pat',
      callId: 'c1-2',
      tool: 'send_email',
      result: expect.stringContaining('"reason":"ok"'),
    });
    expect(refused).toMatchObject({ userId: 'adam', result: expect.stringContaining('not-an-approver') });
    // Both carry the millisecond they happened at, so the trail keeps their order even within one second.
    expect(refused!.at <= approved!.at).toBe(true);
  });

  it('refuses a decision on an approval that ran out as 409, and keeps it off the run, whose trail may be closed', async () => {
    const id = await pending('c1-8');
    await api.db.client.send(
      new UpdateItemCommand({
        TableName: api.approvalsTable,
        Key: { approvalId: { S: id } },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': { N: String(Math.floor(Date.now() / 1000) - 5) } },
      }),
    );
    expect(await api.call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'EXPIRED' } },
    });
    expect((await api.deps.audit.listByRun('run-api-appr')).filter((r) => r.approvalId === id)).toEqual([]);
  });

  it('stores and audits the reason redacted: an approver may paste a secret into it', async () => {
    const id = await pending('c1-9');
    const key = 'sk-proj-4Xk2J9hVbL0mN7qR1sT3uV5wX7yZ9aB1cD3eF5gH7iJ9kL1m';
    expect(
      (
        await api.call('POST', `/approvals/${id}`, {
          as: 'pat',
          body: { decision: 'deny', reason: `wrong key ${key}, see https://x.example/?token=abcdef123456` },
        })
      ).status,
    ).toBe(200);
    const stored = JSON.stringify(
      (await api.db.client.send(new GetItemCommand({ TableName: api.approvalsTable, Key: { approvalId: { S: id } } }))).Item,
    );
    const audited = JSON.stringify(await api.deps.audit.listByRun('run-api-appr'));
    for (const text of [stored, audited]) {
      expect(text).toContain('wrong key');
      expect(text).not.toContain('4Xk2J9hV');
      expect(text).not.toContain('abcdef123456');
    }
  });

  const slack = (body: string, timestamp = Math.floor(Date.now() / 1000), secret = SLACK_SECRET) => ({
    raw: body,
    headers: {
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
    },
  });
  const slackBody = (user: string, action: string, value: string) =>
    `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: user }, actions: [{ action_id: action, value }] }))}`;

  it('takes a signed Slack decision from a mapped approver, once', async () => {
    const id = await pending('c1-3');
    const body = slackBody('U_PAT', 'deny', id);
    expect(await api.call('POST', '/slack/interactions', slack(body))).toMatchObject({
      status: 200,
      body: { text: expect.stringContaining('Denied') },
    });
    expect(api.resumed.at(-1)?.output).toEqual({ approvalId: id, decision: 'deny' });
    // Slack delivering the same click again (it retries a callback it thinks unanswered) gets the same answer; the run resumed once.
    expect(await api.call('POST', '/slack/interactions', slack(body))).toMatchObject({
      status: 200,
      body: { text: expect.stringContaining('Denied') },
    });
    expect(api.resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-3')).toHaveLength(1);
    // Another answer from the same person is not a retry: refused.
    expect((await api.call('POST', '/slack/interactions', slack(slackBody('U_PAT', 'approve', id)))).status).toBe(409);
  });

  it('refuses unsigned, stale, tampered and unmapped Slack callbacks', async () => {
    const id = await pending('c1-4');
    const body = slackBody('U_PAT', 'approve', id);
    expect((await api.call('POST', '/slack/interactions', { raw: body })).status).toBe(401);
    expect((await api.call('POST', '/slack/interactions', slack(body, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
    expect((await api.call('POST', '/slack/interactions', slack(body, undefined, 'wrong-secret'))).status).toBe(401);
    const signed = slack(body);
    expect((await api.call('POST', '/slack/interactions', { ...signed, raw: body.replace('approve', 'deny') })).status).toBe(401);
    expect((await api.call('POST', '/slack/interactions', slack(slackBody('U_EVE', 'approve', id)))).status).toBe(403);
    expect((await api.call('POST', '/slack/interactions', slack(slackBody('U_ADAM', 'approve', id)))).status).toBe(403);
    // The requester, now also an approver, clicking in Slack: the same identity as in the API, so refused as their own call.
    expect(await api.call('POST', '/slack/interactions', slack(slackBody('U_ADAM_APPROVER', 'approve', id)))).toMatchObject({
      status: 403,
      body: { error: { code: 'OWN_CALL' } },
    });
    expect(await api.deps.approvals.get(id)).toMatchObject({ status: 'PENDING' });
  });
});
