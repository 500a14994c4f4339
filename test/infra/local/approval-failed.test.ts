import { describe, expect, it } from 'vitest';
import { approvalIdOf, ApprovalStatus } from '#shared/approval/index.ts';
import type { AuditRecord } from '#shared/audit/index.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

// RequestApproval's function crashes after it recorded the approval (its answer is lost): the
// waitForTaskToken task fails (ApprovalFailed), Step Functions refuses its token from then on, and
// the run goes on without the call. CallModel closes the approval before it saves the step, so an
// approver who still finds it is refused, and nothing runs or is audited as decided.
const world = useLocalServer({
  instrumentInvoke: async (functionName, invoke) => {
    const answer = await invoke();
    if (functionName === 'RequestApproval')
      throw Object.assign(new Error('the function ended without answering'), { name: 'Sandbox.Timedout' });
    return answer;
  },
});

describe('an approval whose wait failed', () => {
  it('is closed when the run goes on: a late decision is refused (409), and the call is neither made nor audited as decided', async () => {
    const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Wait failed', body: 'Shipped.' } };
    const started = await world.api('POST', '/runs', world.tokenOfRole('admin'), {
      input: 'Email Jane',
      model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'The approval could not be requested.' }] },
    });
    const runId = started.body.runId as string;
    await until(async () => {
      const run = (await world.api('GET', `/runs/${runId}`, world.tokenOfRole('admin'))).body;
      return run.status === 'SUCCEEDED' ? run : undefined;
    }, 15_000);
    const call = (await world.system.deps.runs.load(runId))?.calls[0];
    expect(call).toMatchObject({ tool: 'send_email', status: 'failed', code: 'INTERNAL' });
    const approvalId = approvalIdOf(runId, call?.callId as string);
    expect((await world.system.approvals.get(approvalId))?.status).toBe(ApprovalStatus.EXPIRED);

    const late = await world.api('POST', `/approvals/${approvalId}`, world.tokenOfRole('approver'), { decision: 'approve' });
    expect(late.status).toBe(409);
    expect((await world.system.sentMail()).filter((m) => m.subject === 'Wait failed')).toEqual([]);
    const records = (await world.api('GET', `/runs/${runId}/audit`, world.tokenOfRole('admin'))).body.records as AuditRecord[];
    expect(records.filter((r) => r.status === 'approved' || r.status === 'denied')).toEqual([]);
  });
});
